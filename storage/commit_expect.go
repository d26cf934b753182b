package storage

import "time"

// Expected writes (ExpectWrites): the commands of a batch an adapter
// starts at once share one transaction, each write applied as it comes
// (see "Group commit" in commit.go).

// expectWait bounds how long a commit waits for expected writes: the
// commands of a batch write within a millisecond or two of its arrival, so
// a handler still busy after this (a chart being drawn) does not hold up
// the others' replies longer.
const expectWait = 3 * time.Millisecond

// ExpectWrites says that writes for these events are about to come: the
// commands of a batch an adapter has started to handle at once (for
// Telegram the first update of each chat in a getUpdates answer; a
// chat's later updates wait for its first). The commit that would take
// the first of them waits for the others, up to expectWait, so they share
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
	c.expectUntil = time.Now().Add(c.expectWait)
}

// Settle says the handling of an event has ended: its write, if it has one,
// is queued, and a commit no longer waits for it.
func (db *DB) Settle(event string) {
	c := db.commits
	c.mu.Lock()
	_, was := c.expected[event]
	delete(c.expected, event)
	last := was && len(c.expected) == 0
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
