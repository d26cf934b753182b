package bench

import (
	"context"
	"testing"
)

func TestLatency(t *testing.T) {
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
	t.Logf("p50 %v p99 %v", Percentile(lat, 50), Percentile(lat, 99))
}
