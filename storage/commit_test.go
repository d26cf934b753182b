package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/wijkbv/wijkbot/commands"
)

// cancelWrite is what the SQL function cancel_write() calls: a statement
// that runs it has its context end while it is running, neither before it
// starts (database/sql would refuse to start it) nor after it finished.
var cancelWrite atomic.Pointer[context.CancelFunc]

func init() {
	sqliteDriver.MustRegisterScalarFunction("cancel_write", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		if cancel := cancelWrite.Load(); cancel != nil {
			(*cancel)()
		}
		return int64(0), nil
	})
}

// interruptedWrite inserts key, then runs an endless INSERT that ends its
// own context, so SQLite interrupts it and rolls back the whole
// transaction it runs in. swallow ignores that error, as a careless write
// might.
func interruptedWrite(db *DB, ev, key string, swallow bool) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelWrite.Store(&cancel)
	defer cancelWrite.Store(nil)
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO state (key, value, updated_at) VALUES (?, 'v', 'now')`, key); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE n(x) AS (SELECT cancel_write() UNION ALL SELECT x + 1 FROM n)
			INSERT INTO state (key, value, updated_at) SELECT 'never', 'v', 'now' FROM n WHERE x < 0`)
		if swallow {
			return nil
		}
		return err
	})
}

// stateWrite writes key=v in the state table; fail makes it fail after
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
	return holdCommitterWith(t, db.write)
}

// holdCommitterWith is holdCommitter with the holding write submitted
// through write (db.write, or db.writeKeepCaches).
func holdCommitterWith(t *testing.T, write func(context.Context, string, func(*sql.Tx) error) error) (release func()) {
	t.Helper()
	started, hold := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- write(context.Background(), "", func(tx *sql.Tx) error {
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

	for _, swallow := range []bool{false, true} {
		t.Run(fmt.Sprintf("a write interrupted in a batch spares the others (error ignored: %v)", swallow), func(t *testing.T) {
			db, _ := openTest(t)
			release := holdCommitter(t, db)
			errs := make([]chan error, 3)
			for i := range errs {
				errs[i] = make(chan error, 1)
			}
			go func() { errs[0] <- stateWrite(context.Background(), db, "ev:before", "before", false) }()
			waitQueued(t, db, 1)
			go func() { errs[1] <- interruptedWrite(db, "ev:cut", "cut", swallow) }()
			waitQueued(t, db, 2)
			go func() { errs[2] <- stateWrite(context.Background(), db, "ev:after", "after", false) }()
			waitQueued(t, db, 3)
			release()
			if err := <-errs[0]; err != nil {
				t.Errorf("write before: %v", err)
			}
			if err := <-errs[1]; err == nil {
				t.Error("the interrupted write reported success")
			}
			if err := <-errs[2]; err != nil {
				t.Errorf("write after: %v", err)
			}
			for key, want := range map[string]bool{"before": true, "cut": false, "never": false, "after": true} {
				if got := stateExists(t, db, key); got != want {
					t.Errorf("%s stored=%v, want %v", key, got, want)
				}
			}
			for ev, want := range map[string]bool{"ev:before": true, "ev:cut": false, "ev:after": true} {
				if seen, _ := db.EventSeen(context.Background(), ev); seen != want {
					t.Errorf("event %s recorded=%v, want %v", ev, seen, want)
				}
			}
		})
	}

	t.Run("Close runs the writes already queued", func(t *testing.T) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "close.db")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		release := holdCommitter(t, db)
		const n = 5
		errs := make(chan error, n)
		for i := range n {
			go func() { errs <- stateWrite(ctx, db, "", fmt.Sprint("k", i), false) }()
		}
		waitQueued(t, db, n)
		closed := make(chan error, 1)
		go func() { closed <- db.Close() }()
		for { // Close has begun once it refuses new writes
			db.commits.mu.Lock()
			c := db.commits.closed
			db.commits.mu.Unlock()
			if c {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if err := stateWrite(ctx, db, "", "late", false); !errors.Is(err, errClosed) {
			t.Fatalf("write during Close: %v, want errClosed", err)
		}
		release()
		if err := <-closed; err != nil {
			t.Fatal(err)
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("queued write: %v", err)
			}
		}
		db, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for i := range n {
			if !stateExists(t, db, fmt.Sprint("k", i)) {
				t.Errorf("queued write k%d lost at Close", i)
			}
		}
		if stateExists(t, db, "late") {
			t.Error("a write refused at Close was stored")
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

// CommitStats counts the writes a commit stored: one that failed (or whose
// context ended before its turn) shared the transaction but stored nothing,
// and counting it would flatter the batching the benchmarks report.
func TestCommitStatsCountStoredWrites(t *testing.T) {
	db, _ := openTest(t)
	release := holdCommitter(t, db)
	commits0, writes0 := db.CommitStats()
	errs := make(chan error, 3)
	for i, fail := range []bool{false, true, false} {
		go func() { errs <- stateWrite(context.Background(), db, "", fmt.Sprint("k", i), fail) }()
		waitQueued(t, db, i+1)
	}
	release()
	var failed int
	for range 3 {
		if err := <-errs; err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("%d writes failed, want 1", failed)
	}
	commits, writes := db.CommitStats()
	// The holding write committed alone, then the batch: two commits
	// storing three writes.
	if got, want := commits-commits0, int64(2); got != want {
		t.Errorf("commits=%d, want %d", got, want)
	}
	if got, want := writes-writes0, int64(3); got != want {
		t.Errorf("writes=%d, want %d (the failed write stored nothing)", got, want)
	}
}
