package bot

import (
	"sync"
	"time"
)

// Clock is a clock that can be moved: the console's :klok and tests use it,
// production leaves it running with the wall clock.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	fixed  time.Time // when set, time stands still here (tests)
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		return c.fixed
	}
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward (or back, for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		c.fixed = c.fixed.Add(d)
		return
	}
	c.offset += d
}

// Set makes the clock show t from now on, running on from there unless the
// clock was frozen.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		c.fixed = t
		return
	}
	c.offset = time.Until(t)
}

// Freeze stops the clock at t (tests that need exact times).
func (c *Clock) Freeze(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed = t
}
