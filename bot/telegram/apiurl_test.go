package telegram_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram"
)

// The API URL is an address, never a format string: a self-hosted Bot API
// server under a path with a percent sign ("/tg%25api", an escaped "%") is
// reached as written, also for sends (issue 16, item 13).
func TestAPIURLWithPercentIsNotAFormat(t *testing.T) {
	const prefix = "/tg%api" // decoded path of "/tg%25api"
	var mu sync.Mutex
	var wrong []string
	h := newHarness(t, func(cfg *telegram.Config) {
		target, err := url.Parse(cfg.APIURL)
		if err != nil {
			t.Fatal(err)
		}
		proxy := httputil.NewSingleHostReverseProxy(target)
		// A reverse proxy in front of the fake, serving it under the prefix.
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, prefix+"/bot") {
				mu.Lock()
				wrong = append(wrong, r.URL.Path)
				mu.Unlock()
				http.NotFound(w, r)
				return
			}
			r.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
			r.URL.RawPath = ""
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(front.Close)
		cfg.APIURL = front.URL + "/tg%25api"
	})
	h.start()
	sent := h.say(noord, piet, "/hulp", 1)
	if len(sent) != 1 || sent[0].Shown == "" {
		t.Fatalf("no reply through the proxied URL: %+v", sent)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(wrong) > 0 {
		t.Fatalf("requests to the wrong path: %q", wrong)
	}
}
