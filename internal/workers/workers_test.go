package workers_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/internal/workers"
)

// TestPoolRunsEveryFunctionAtOnce starts more functions than there are
// idle workers, each waiting for all the others: Go must never make one
// wait for another, or this would hang.
func TestPoolRunsEveryFunctionAtOnce(t *testing.T) {
	var p workers.Pool
	for round := range 3 { // later rounds find workers of earlier ones idle
		const n = 50
		var arrived sync.WaitGroup
		arrived.Add(n)
		var done sync.WaitGroup
		var ran atomic.Int64
		for range n {
			done.Add(1)
			p.Go(func() {
				defer done.Done()
				arrived.Done()
				arrived.Wait() // all n run at the same time
				ran.Add(1)
			})
		}
		done.Wait()
		if got := ran.Load(); got != n {
			t.Fatalf("round %d: %d of %d functions ran", round, got, n)
		}
	}
}

// TestPoolSequentialReuse: functions handed over one after another
// by one caller, each waiting for the previous, all run exactly once.
func TestPoolSequentialReuse(t *testing.T) {
	var p workers.Pool
	var ran []int
	var mu sync.Mutex
	for i := range 100 {
		done := make(chan struct{})
		p.Go(func() {
			mu.Lock()
			ran = append(ran, i)
			mu.Unlock()
			close(done)
		})
		<-done
	}
	if len(ran) != 100 {
		t.Fatalf("%d functions ran, want 100", len(ran))
	}
	for i, v := range ran {
		if v != i {
			t.Fatalf("function %d ran as %d", i, v)
		}
	}
}

// TestCloseEndsTheWorkers: after Close no worker is left waiting, a
// function running at Close still finishes, and Go still runs functions.
func TestCloseEndsTheWorkers(t *testing.T) {
	before := runtime.NumGoroutine()
	var p workers.Pool
	var done sync.WaitGroup
	for range 20 {
		done.Add(1)
		p.Go(done.Done)
	}
	done.Wait() // 1 to 20 workers now idle, for a minute
	release := make(chan struct{})
	finished := make(chan struct{})
	p.Go(func() { <-release; close(finished) })
	p.Close()
	close(release)
	<-finished
	ran := make(chan struct{})
	p.Go(func() { close(ran) })
	<-ran
	// The workers end on their own goroutines, at once: without Close
	// they would wait a minute (DefaultIdle), far past these 10 seconds.
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 10_000 {
			t.Fatalf("%d goroutines left after Close, %d before the pool", runtime.NumGoroutine(), before)
		}
		time.Sleep(time.Millisecond)
	}
}
