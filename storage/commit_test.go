package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// queueOne writes key=value in the state table; fail makes it fail after
// its insert, so the insert must be rolled back.
func stateWrite(ctx context.Context, db *DB, ev, key string, fail bool) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO state (key, value, updated_at) VALUES (?, 'v', 'now')`, key); err != nil {
			return err
		}
		if fail {
			return commands.Errorf(commands.EINVALID, "write %s fails on purpose", key)
		}
		return nil
	})
}

// holdCommitter makes the committer busy with a write that waits for
// release, so the writes submitted meanwhile queue up and are committed
// together as one batch once it is released.
func holdCommitter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	started, hold := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.write(context.Background(), "", func(tx *sql.Tx) error {
			close(started)
			<-hold
			return nil
		})
	}()
	<-started
	return func() {
		close(hold)
		if err := <-done; err != nil {
			t.Errorf("holding write: %v", err)
		}
	}
}

// waitQueued waits until n writes wait for the committer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		db.commits.mu.Lock()
		q := len(db.commits.queue)
		db.commits.mu.Unlock()
		if q >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", q, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func stateExists(t *testing.T, db *DB, key string) bool {
	t.Helper()
	v, err := db.State(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return v != ""
}

func TestGroupCommit(t *testing.T) {
	t.Run("a failing write in a batch rolls back only itself", func(t *testing.T) {
		db, _ := openTest(t)
		release := holdCommitter(t, db)
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = stateWrite(context.Background(), db, fmt.Sprint("ev:", i), fmt.Sprint("k", i), i%3 == 0)
			}()
		}
		waitQueued(t, db, n)
		release()
		wg.Wait()
		for i := range n {
			failing := i%3 == 0
			if got := errs[i] != nil; got != failing {
				t.Errorf("write %d: err=%v, want failure %v", i, errs[i], failing)
			}
			if got := stateExists(t, db, fmt.Sprint("k", i)); got == failing {
				t.Errorf("write %d: row stored=%v, want %v", i, got, !failing)
			}
			if seen, _ := db.EventSeen(context.Background(), fmt.Sprint("ev:", i)); seen == failing {
				t.Errorf("write %d: event recorded=%v, want %v", i, seen, !failing)
			}
		}
	})

	t.Run("a duplicate event in the same batch runs once", func(t *testing.T) {
		db, _ := openTest(t)
		release := holdCommitter(t, db)
		errs := make(chan error, 2)
		for _, key := range []string{"first", "second"} {
			go func() { errs <- stateWrite(context.Background(), db, "telegram:update:7", key, false) }()
			waitQueued(t, db, map[string]int{"first": 1, "second": 2}[key])
		}
		release()
		var dup, ok int
		for range 2 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errors.Is(err, commands.ErrDuplicate):
				dup++
			default:
				t.Fatal(err)
			}
		}
		if ok != 1 || dup != 1 {
			t.Fatalf("ok=%d duplicate=%d, want 1 and 1", ok, dup)
		}
		if !stateExists(t, db, "first") || stateExists(t, db, "second") {
			t.Fatal("want the first write stored and the second not")
		}
	})

	t.Run("a panicking write panics its caller and spares the batch", func(t *testing.T) {
		db, _ := openTest(t)
		release := holdCommitter(t, db)
		recovered := make(chan any, 1)
		go func() {
			defer func() { recovered <- recover() }()
			db.write(context.Background(), "", func(tx *sql.Tx) error {
				tx.ExecContext(context.Background(), `INSERT INTO state (key, value, updated_at) VALUES ('boom', 'v', 'now')`)
				panic("kapot")
			})
		}()
		waitQueued(t, db, 1)
		okErr := make(chan error, 1)
		go func() { okErr <- stateWrite(context.Background(), db, "", "fine", false) }()
		waitQueued(t, db, 2)
		release()
		if p := <-recovered; p != "kapot" {
			t.Fatalf("recovered %v, want the write's panic", p)
		}
		if err := <-okErr; err != nil {
			t.Fatal(err)
		}
		if stateExists(t, db, "boom") || !stateExists(t, db, "fine") {
			t.Fatal("want the panicking write rolled back and the other stored")
		}
	})

	t.Run("a write whose context ended before its turn does nothing", func(t *testing.T) {
		db, _ := openTest(t)
		release := holdCommitter(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- stateWrite(ctx, db, "ev:c", "cancelled", false) }()
		waitQueued(t, db, 1)
		cancel()
		release()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("err=%v, want context.Canceled", err)
		}
		if stateExists(t, db, "cancelled") {
			t.Fatal("a cancelled write was stored")
		}
	})

	t.Run("writes after Close fail", func(t *testing.T) {
		db, _ := openTest(t)
		db.Close()
		if err := stateWrite(context.Background(), db, "", "late", false); err == nil {
			t.Fatal("write after Close succeeded")
		}
	})
}
