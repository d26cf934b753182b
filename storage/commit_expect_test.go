package storage

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// returns runs f in a goroutine and fails the test unless it returns
// within 10 seconds (the wait a test here must never need).
func returns(t *testing.T, what string, f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return", what)
	}
}

// TestExpectedWritesShareOneCommit: the writes of a batch of commands
// handled at once, announced with ExpectWrites, are committed together,
// however they trickle in: here each comes only once the one before is in
// the committer's open transaction. Without the wait the first of them
// committed alone, while the others queued for the next commit.
func TestExpectedWritesShareOneCommit(t *testing.T) {
	db, _ := openTest(t)
	db.commits.expectWait, db.commits.expectMax = time.Minute, time.Minute // only the writes end the wait here
	const n = 20
	var evs []string
	for i := range n {
		evs = append(evs, fmt.Sprint("telegram:update:", i))
	}
	commits0, writes0 := db.CommitStats()
	db.ExpectWrites(evs)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, ev := range evs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- stateWrite(context.Background(), db, ev, ev, false)
			db.Settle(ev)
		}()
		waitTaken(t, db, ev)
	}
	returns(t, "the expected writes", func() error { wg.Wait(); return nil })
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	commits, writes := db.CommitStats()
	if commits-commits0 != 1 || writes-writes0 != n {
		t.Fatalf("%d commits for %d writes, want 1 for %d", commits-commits0, writes-writes0, n)
	}
}

// TestSettleEndsTheWait: an expected event handled without a write (a
// read-only command, a duplicate) is settled, and the others' commit goes
// at once rather than after expectWait.
func TestSettleEndsTheWait(t *testing.T) {
	db, _ := openTest(t)
	db.commits.expectWait, db.commits.expectMax = time.Minute, time.Minute
	db.ExpectWrites([]string{"a", "b"})
	done := make(chan error, 1)
	go func() { done <- stateWrite(context.Background(), db, "a", "a", false) }()
	waitTaken(t, db, "a") // a is in the committer's transaction, which waits for b
	db.Settle("b")
	returns(t, "the write after the other event settled", func() error { return <-done })
}

// waitTaken waits until the committer has taken the write for ev from its
// queue (its expectation gone, nothing queued).
func waitTaken(t *testing.T, db *DB, ev string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := db.commits
		c.mu.Lock()
		_, expected := c.expected[ev]
		taken := !expected && len(c.queue) == 0
		c.mu.Unlock()
		if taken {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the write for %s was not taken", ev)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestExpectWaitIsBounded: an expected write that never comes (nor is
// settled) holds the others up for expectWait only.
func TestExpectWaitIsBounded(t *testing.T) {
	db, _ := openTest(t)
	db.commits.expectWait = 20 * time.Millisecond
	db.ExpectWrites([]string{"a", "never"})
	returns(t, "the write while another never came", func() error { return stateWrite(context.Background(), db, "a", "a", false) })
	// The expectation is spent: a later write does not wait for it.
	db.commits.expectWait = time.Minute
	returns(t, "a later write", func() error { return stateWrite(context.Background(), db, "c", "c", false) })
}

// TestExpectedWritesMoveTheWaitOn: each expected write that comes, or
// event that is settled, gives the others expectWait more, but never past
// expectMax after ExpectWrites. Under load the writes of a batch of 100
// chats come over longer than one expectWait, one soon after another: a
// wait fixed at ExpectWrites cut such a batch into two or three commits.
func TestExpectedWritesMoveTheWaitOn(t *testing.T) {
	db, _ := openTest(t)
	c := db.commits
	c.expectWait, c.expectMax = time.Hour, 3*time.Hour
	db.ExpectWrites([]string{"a", "b", "c"})
	c.mu.Lock()
	limit := c.expectLimit
	c.expectUntil = time.Now().Add(time.Millisecond) // nearly over
	c.mu.Unlock()
	if d := time.Until(limit); d < 2*time.Hour {
		t.Fatalf("the wait may last %v in all, want expectMax", d)
	}
	until := func() time.Time {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.expectUntil
	}

	db.Settle("a") // handled without a write
	if d := time.Until(until()); d < 59*time.Minute {
		t.Fatalf("a settled event left the others %v, want expectWait", d)
	}

	c.mu.Lock()
	c.expectUntil = time.Now().Add(time.Millisecond)
	limit = time.Now().Add(30 * time.Minute) // close to its end
	c.expectLimit = limit
	c.mu.Unlock()
	// A write for b: the wait moves on, but only to the limit; c is still
	// expected, so the write waits in the open transaction until c is
	// settled.
	done := make(chan error, 1)
	go func() { done <- stateWrite(context.Background(), db, "b", "b", false) }()
	waitTaken(t, db, "b")
	if got := until(); got.After(limit) || time.Until(got) < 29*time.Minute {
		t.Fatalf("after b the wait ends in %v, want at the limit (30 min)", time.Until(got))
	}
	db.Settle("c")
	returns(t, "the write after the last event settled", func() error { return <-done })
}
