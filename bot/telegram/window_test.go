package telegram

import (
	"context"
	"sync"
	"testing"
	"time"
)

// No span of per may see more than n calls, counting from each call's
// answer (release) to a later call's start (acquire).
func TestWindowNeverExceeds(t *testing.T) {
	const n, per = 3, 60 * time.Millisecond
	w := newWindow(n, per)
	var mu sync.Mutex
	var starts, ends []time.Time
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := w.acquire(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			time.Sleep(5 * time.Millisecond) // the call
			mu.Lock()
			ends = append(ends, time.Now())
			mu.Unlock()
			release()
		}()
	}
	wg.Wait()
	// The i-th call to start may not start before per after the (i-n)-th
	// call to end.
	for i := n; i < len(starts); i++ {
		if gap := starts[i].Sub(ends[i-n]); gap < per {
			t.Fatalf("call %d started %v after call %d ended, want at least %v", i, gap, i-n, per)
		}
	}
	if total := ends[len(ends)-1].Sub(starts[0]); total < 3*per {
		t.Fatalf("10 calls at 3 per %v took %v, want at least %v", per, total, 3*per)
	}
}

func TestWindowCancel(t *testing.T) {
	w := newWindow(1, time.Hour)
	if _, err := w.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := w.acquire(ctx); err == nil {
		t.Fatal("acquire with the only slot taken returned before its context ended")
	}
}
