package telegram

import (
	"context"
	"sync"
	"time"
)

// window paces calls so that no span of length per, wherever it starts,
// holds more than n of them as the server receives them: the strict
// reading of Telegram's "30 messages a second" and "20 a minute in a
// group". A token bucket with a burst of n lets 2n through in the first
// period (the burst, then the refill), which is what earns a 429.
//
// Each call takes a slot and gives it back when its answer has arrived
// (or it failed). A slot is reused only per after that: the server got
// the earlier call before its answer came back, so it sees the two at
// least per apart, whatever the delays on the way.
type window struct {
	per time.Duration

	mu      sync.Mutex
	slots   []windowSlot // a ring, oldest use first
	next    int
	changed chan struct{} // closed and replaced when a slot is given back
}

type windowSlot struct {
	busy bool
	done time.Time // when it was last given back
}

func newWindow(n int, per time.Duration) *window {
	return &window{per: per, slots: make([]windowSlot, max(n, 1)), changed: make(chan struct{})}
}

// acquire waits for a slot; call release when the call's answer is in.
func (w *window) acquire(ctx context.Context) (release func(), err error) {
	for {
		w.mu.Lock()
		s := &w.slots[w.next]
		busy := s.busy
		var wait time.Duration
		if !busy {
			wait = time.Until(s.done.Add(w.per))
		}
		if !busy && wait <= 0 {
			s.busy = true
			w.next = (w.next + 1) % len(w.slots)
			w.mu.Unlock()
			return func() { w.release(s) }, nil
		}
		changed := w.changed
		w.mu.Unlock()
		if busy {
			// The slot's call is still out: wait for an answer.
			select {
			case <-changed:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			continue
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (w *window) release(s *windowSlot) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s.busy = false
	s.done = time.Now()
	close(w.changed)
	w.changed = make(chan struct{})
}
