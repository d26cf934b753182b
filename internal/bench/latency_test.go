package bench

import (
	"context"
	"net/http"
	"testing"
)

func TestLatency(t *testing.T) {
	before := http.DefaultTransport
	lat, err := Latency{Dir: t.TempDir(), Interactions: 20}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(lat), 20; got != want {
		t.Fatalf("latencies=%d, want %d", got, want)
	}
	for _, d := range lat {
		if d <= 0 {
			t.Fatalf("latency %v, want > 0", d)
		}
	}
	// The run swaps http.DefaultTransport to time the callbacks; the rest
	// of the process must get the real one back.
	if http.DefaultTransport != before {
		t.Fatalf("http.DefaultTransport is still %T after the run", http.DefaultTransport)
	}
	t.Logf("p50 %v p99 %v", Percentile(lat, 50), Percentile(lat, 99))
}
