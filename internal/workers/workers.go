// Package workers runs functions on goroutines that are kept for the next
// function instead of ending with each.
//
// Why: a new goroutine starts with a small stack, and the bot's work per
// command (SQLite through modernc.org/sqlite, the HTTP client) needs a deep
// one, so every goroutine started per command grew its stack several times,
// copying it each time: 5 to 8 % of the CPU of the throughput and latency
// benchmarks (runtime.newstack in go tool pprof). A kept goroutine has the
// stack it grew for its last function.
package workers

import (
	"sync"
	"time"
)

// DefaultIdle is how long an idle worker waits for more work before it ends.
const DefaultIdle = time.Minute

// Pool starts functions on kept goroutines. The zero Pool is ready to use.
// Go never waits and never limits: with every worker busy it starts one
// more, as a go statement would.
type Pool struct {
	// Idle is how long an idle worker waits before it ends; 0 means
	// DefaultIdle.
	Idle time.Duration

	once   sync.Once
	jobs   chan func()   // unbuffered: a send succeeds only to a waiting worker
	closed chan struct{} // closed by Close
	closer sync.Once
}

func (p *Pool) init() {
	p.once.Do(func() {
		p.jobs = make(chan func())
		p.closed = make(chan struct{})
	})
}

// Close ends the idle workers now, and each busy one when its function
// returns, instead of a minute later: a stopped bot leaves no goroutines
// behind (a process that runs a bot after another, as the benchmark does,
// would otherwise carry the last one's workers, their stacks scanned by
// every garbage collection). Go still works after Close: each function
// then runs on a goroutine that ends with it.
func (p *Pool) Close() {
	p.init()
	p.closer.Do(func() { close(p.closed) })
}

// Go runs f on an idle worker, or on a new one when none is idle.
func (p *Pool) Go(f func()) {
	p.init()
	select {
	case p.jobs <- f:
	default:
		go p.work(f)
	}
}

func (p *Pool) work(f func()) {
	idle := p.Idle
	if idle <= 0 {
		idle = DefaultIdle
	}
	t := time.NewTimer(idle)
	defer t.Stop()
	for {
		f()
		f = nil // let the finished function's memory go while waiting
		t.Reset(idle)
		select {
		case f = <-p.jobs:
		case <-t.C:
			return
		case <-p.closed:
			return
		}
	}
}
