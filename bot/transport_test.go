package bot_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"testing"

	"github.com/wijkbv/wijkbot/bot"
)

// TestAPITransportKeepsConnections sends two bursts of concurrent requests
// to one host: every connection of the first goes back to the pool, and
// the second reuses them instead of opening new ones (Go's default keeps
// two per host, and closed the other eighteen).
func TestAPITransportKeepsConnections(t *testing.T) {
	const burst = 20
	arrived := make(chan struct{}, burst)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release // every request of the burst is in flight at once
	}))
	defer srv.Close()
	client := &http.Client{Transport: bot.APITransport()}

	// round sends a burst and returns how many requests got a reused
	// connection and how many connections were not taken back.
	round := func() (reused, dropped int) {
		t.Helper()
		var mu sync.Mutex
		putBack := make(chan error, burst)
		trace := &httptrace.ClientTrace{
			GotConn: func(info httptrace.GotConnInfo) {
				mu.Lock()
				defer mu.Unlock()
				if info.Reused {
					reused++
				}
			},
			PutIdleConn: func(err error) { putBack <- err },
		}
		var wg sync.WaitGroup
		errs := make(chan error, burst)
		for range burst {
			wg.Go(func() {
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, srv.URL, nil)
				if err != nil {
					errs <- err
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
			})
		}
		for range burst {
			<-arrived
		}
		for range burst {
			release <- struct{}{}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for range burst { // each connection is offered back to the pool
			if err := <-putBack; err != nil {
				dropped++
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return reused, dropped
	}
	if reused, dropped := round(); reused != 0 || dropped != 0 {
		t.Fatalf("first burst: %d reused, %d connections dropped; want 0 and 0", reused, dropped)
	}
	if reused, dropped := round(); reused != burst || dropped != 0 {
		t.Fatalf("second burst: %d of %d requests on a kept connection, %d dropped", reused, burst, dropped)
	}
}
