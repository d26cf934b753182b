package bench

import (
	"context"
	"testing"
	"time"
)

func TestMinimumFanout(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{1, 0}, {30, 0}, {31, time.Second}, {200, 6 * time.Second}, {1000, 33 * time.Second}} {
		if got := MinimumFanout(tc.n, 30); got != tc.want {
			t.Errorf("MinimumFanout(%d)=%v, want %v", tc.n, got, tc.want)
		}
	}
}

// TestFloodLimit checks the limiter's windows with explicit times.
func TestFloodLimit(t *testing.T) {
	f := &FloodLimit{Global: 3, PerGroup: 2, grp: map[int64][]time.Time{}}
	t0 := time.Unix(1000, 0)
	steps := []struct {
		chat int64
		at   time.Duration
		ok   bool
	}{
		{-1, 0, true}, {-1, 10 * time.Millisecond, true},
		{-1, 20 * time.Millisecond, false}, // third in a group within a minute
		{5, 30 * time.Millisecond, true},
		{6, 40 * time.Millisecond, false},  // fourth within a second
		{6, 1001 * time.Millisecond, true}, // the first has left the window
		{-1, 61 * time.Second, true},
	}
	for i, st := range steps {
		if _, ok := f.admit(st.chat, t0.Add(st.at)); ok != st.ok {
			t.Fatalf("step %d: admitted=%v, want %v", i, ok, st.ok)
		}
	}
}

// TestFanout runs a small fan-out: 40 check-ins need at least a second.
func TestFanout(t *testing.T) {
	if testing.Short() {
		t.Skip("takes two seconds")
	}
	res, err := Fanout{Dir: t.TempDir(), Collectives: 40}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Elapsed < res.Minimum {
		t.Fatalf("elapsed %v below the minimum %v: the limiter is not enforcing", res.Elapsed, res.Minimum)
	}
	t.Logf("%+v", res)
}
