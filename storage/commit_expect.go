package storage

import "time"

// Expected writes (ExpectWrites): the commands of a batch an adapter
// starts at once share one transaction, each write applied as it comes
// (see "Group commit" in commit.go).

// expectWait is how long a commit waits for the next of the expected
// writes: each one that comes (or is settled without a write) gives the
// others expectWait more, up to expectMax after ExpectWrites. Under load
// the commands of a batch of 100 chats write over several milliseconds,
// each one soon after the one before; a fixed 3 ms for the whole batch
// cut such a batch into two or three commits, each with its fsync, while
// the next poll waited for the last. A handler still busy once the others
// are done (a chart being drawn) holds up their replies by expectWait.
const (
	expectWait = 3 * time.Millisecond
	expectMax  = 25 * time.Millisecond
)

// ExpectWrites says that writes for these events are about to come: the
// commands of a batch an adapter has started to handle at once (for
// Telegram the first update of each chat in a getUpdates answer; a
// chat's later updates wait for its first). The commit that would take
// the first of them waits for the others (see expectWait), so they share
// one transaction and one fsync. Each event's handling must end with
// Settle, also when it writes: an event that never comes costs the
// others' replies expectWait.
func (db *DB) ExpectWrites(events []string) {
	c := db.commits
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(events) == 0 || c.closed {
		return
	}
	if c.expected == nil {
		c.expected = map[string]struct{}{}
	}
	for _, ev := range events {
		if ev != "" {
			c.expected[ev] = struct{}{}
		}
	}
	now := time.Now()
	c.expectLimit = now.Add(c.expectMax)
	c.expectUntil = now.Add(min(c.expectWait, c.expectMax))
}

// expectedCame drops an expected event whose write came or whose handling
// ended, and gives the others expectWait more (up to expectLimit); c.mu
// is held. It reports whether the event was expected.
func (c *committer) expectedCame(event string) bool {
	if _, was := c.expected[event]; !was {
		return false
	}
	delete(c.expected, event)
	if until := time.Now().Add(c.expectWait); until.After(c.expectUntil) {
		c.expectUntil = until
		if c.expectUntil.After(c.expectLimit) {
			c.expectUntil = c.expectLimit
		}
	}
	return true
}

// Settle says the handling of an event has ended: its write, if it has one,
// is queued, and a commit no longer waits for it.
func (db *DB) Settle(event string) {
	c := db.commits
	c.mu.Lock()
	last := c.expectedCame(event) && len(c.expected) == 0
	c.mu.Unlock()
	if last {
		c.poke()
	}
}

// expecting says whether writes are expected (ExpectWrites) and may
// still be waited for.
func (c *committer) expecting() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.expected) > 0 && !c.closed && time.Now().Before(c.expectUntil)
}

// more returns the writes queued for a transaction that holds have
// writes, waiting for them while writes are expected; nil when none are
// queued and none are expected any more (or the wait is over, or the
// transaction is full).
func (c *committer) more(have int) []*writeReq {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if n := min(len(c.queue), maxBatch-have); n > 0 {
			got := append([]*writeReq(nil), c.queue[:n]...)
			c.queue = append(c.queue[:0], c.queue[n:]...)
			return got
		}
		if have >= maxBatch || !c.awaitExpected() {
			return nil
		}
	}
}

// awaitExpected waits, c.mu held (and held again on return), until the
// queue or the expected writes change, the wait is over or the committer
// closes. It returns false, at once, when nothing is to be waited for.
func (c *committer) awaitExpected() bool {
	if len(c.expected) == 0 || c.closed {
		return false
	}
	left := time.Until(c.expectUntil)
	if left <= 0 {
		clear(c.expected) // waited long enough for these
		return false
	}
	c.mu.Unlock()
	t := time.NewTimer(left)
	select {
	case <-c.wake:
	case <-t.C:
	case <-c.quit:
	}
	t.Stop()
	c.mu.Lock()
	return true
}
