package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// Group commit.
//
// With synchronous=FULL every commit waits for an fsync of the WAL, which
// bounds a transaction-per-command design at one command per fsync, and
// concurrent writers make it worse: each waits for SQLite's write lock by
// sleeping and retrying (busy_timeout), so 100 chats writing at once spend
// their time polling a lock instead of committing. The committer serialises
// this process's writes in Go instead and commits those that arrive while
// one commit is running together: one transaction, one fsync, and a
// failing write rolls back only itself (together: the batch runs again
// with a savepoint per write).
//
// Durability is unchanged: write returns only after the transaction holding
// its changes has committed (with its fsync), so a command is acknowledged
// only when it is on disk. A write arriving alone commits at once; nothing
// waits to fill a batch, except for writes an adapter said are coming
// (ExpectWrites): a Telegram batch's commands are handled at once, and the
// first of their writes used to commit alone, the next few together, the
// rest in a third commit, each with its fsync, while the next poll waited
// for the last. Now the transaction that takes the first of them stays
// open for the others (until each has come or its handling ended without
// one, Settle; see expectWait) and applies each as it comes, so
// SQLite's work overlaps with the handlers' and one commit holds them all.

// maxBatch bounds one group commit, so one fsync never waits on an
// unbounded amount of work.
const maxBatch = 128

// errClosed is what a write after Close returns.
var errClosed = errors.New("database closed")

// writeReq is one write waiting for the committer.
type writeReq struct {
	ctx context.Context
	ev  string
	fn  func(tx *sql.Tx) error
	// keepCaches: fn changes no chat and no person but through
	// upsertPerson (writeKeepCaches), so the caches may stay.
	keepCaches bool
	// people are the people rows upsertPerson saw in this write's
	// transaction, for the cache once it has committed (peoplecache.go).
	people []notedPerson
	err    error
	pan    any // a panic of fn, re-raised in the caller's goroutine
	done   chan struct{}
}

// committer runs the writes of one DB.
type committer struct {
	db *DB
	// conn is the connection every write transaction runs on, so its page
	// cache stays warm: a connection's cache is valid only until another
	// connection writes, and with writes spread over the pool each commit
	// began by reading its pages again. Reads use the rest of the pool.
	conn *sql.Conn
	// dc is conn's driver connection, whose failures tell whether a
	// statement failed during a batch run without savepoints.
	dc *cachingConn
	// dataVersion is conn's PRAGMA data_version at its last transaction
	// (-1: none yet). It moves when another connection committed, also
	// one of another process: what is cached of the database may be
	// stale then (chatcache.go).
	dataVersion int64
	// people caches the people rows of recent writes (peoplecache.go);
	// cur is the write being applied, peopleOff says that it may change
	// people itself, so the cache is neither read nor noted meanwhile.
	people    peopleCache
	cur       *writeReq
	peopleOff bool

	mu     sync.Mutex
	queue  []*writeReq
	closed bool
	wake   chan struct{} // buffered 1: "the queue or the expected writes changed"
	// expected are the events whose writes a commit waits for, until
	// expectUntil, which each one that comes moves on up to expectLimit
	// (commit_expect.go); expectWait and expectMax are the constants but
	// in tests.
	expected                 map[string]struct{}
	expectUntil, expectLimit time.Time
	expectWait, expectMax    time.Duration
	// soon are state rows to store with the next commit (SetStateSoon),
	// or on their own after soonWait.
	soon map[string]string

	// commits and writes count committed transactions and the writes they
	// stored, for CommitStats.
	commits, writes atomic.Int64
	// ckpt checkpoints the log in pauses; conn only at walCapPages
	// (checkpoint.go).
	ckpt *checkpointer
	// capPages is conn's wal_autocheckpoint: walCapPages; tests set less.
	capPages int
	quit     chan struct{}
	exited   chan struct{}
}

func newCommitter(db *DB) *committer {
	c := &committer{
		db:     db,
		wake:   make(chan struct{}, 1),
		quit:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	c.ckpt = newCheckpointer(db.db)
	c.capPages = walCapPages
	c.expectWait, c.expectMax = expectWait, expectMax
	go c.loop()
	return c
}

// submit queues a write and waits until it is committed or has failed. It
// waits also when ctx ends meanwhile: the committer skips a write whose
// context has ended before it starts, and once started the write's outcome
// must be reported, not guessed.
func (c *committer) submit(ctx context.Context, ev string, fn func(tx *sql.Tx) error, keepCaches bool) error {
	req := &writeReq{ctx: ctx, ev: ev, fn: fn, keepCaches: keepCaches, done: make(chan struct{})}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	c.queue = append(c.queue, req)
	c.expectedCame(ev)
	c.mu.Unlock()
	c.poke()
	<-req.done
	if req.pan != nil {
		panic(req.pan)
	}
	return req.err
}

// poke wakes the committer's loop.
func (c *committer) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// close runs the writes already queued, refuses new ones and stops.
func (c *committer) close() {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	c.mu.Unlock()
	if !already {
		close(c.quit)
	}
	<-c.exited
}

func (c *committer) loop() {
	defer close(c.exited)
	defer func() {
		c.ckpt.stop()
		c.release()
	}()
	for {
		c.mu.Lock()
		n := min(len(c.queue), maxBatch)
		batch := append([]*writeReq(nil), c.queue[:n]...)
		c.queue = append(c.queue[:0], c.queue[n:]...)
		c.mu.Unlock()
		if len(batch) > 0 {
			c.run(batch)
			continue
		}
		var flush <-chan time.Time
		var timer *time.Timer
		if c.takeSoon() != nil {
			timer = time.NewTimer(soonWait)
			flush = timer.C
		}
		stop := false
		select {
		case <-c.wake:
		case <-flush:
			c.storeSoonAlone()
		case <-c.quit:
			c.mu.Lock()
			stop = len(c.queue) == 0
			c.mu.Unlock()
		}
		if timer != nil {
			timer.Stop()
		}
		if stop {
			c.storeSoonAlone()
			return
		}
	}
}

// run commits a batch and reports each write's outcome.
func (c *committer) run(batch []*writeReq) {
	defer func() {
		// Before any writer hears of its outcome: a read that begins
		// after a write returned must not find the chat as it was. Also
		// after a failure, which may have committed part of the batch.
		for _, r := range batch {
			if !r.keepCaches {
				c.dropCaches()
				break
			}
		}
		for _, r := range batch {
			close(r.done)
		}
	}()
	if len(batch) == 1 && !c.expecting() {
		c.alone(batch[0])
		return
	}
	if err := c.together(&batch); err != nil {
		// The batch could not commit as a whole: a write's context ended in
		// the middle of a statement (SQLite then rolls back the whole
		// transaction, and the savepoint is gone), or BEGIN, a savepoint or
		// COMMIT failed. Nothing of it was committed (a failed COMMIT is
		// rolled back by the driver), so each write is run again in its
		// own transaction, where only its own failure can stop it.
		for _, r := range batch {
			r.err, r.pan = nil, nil
			c.alone(r)
		}
	}
}

// begin starts a write transaction on the committer's connection, taking
// a new one from the pool when the last went bad.
func (c *committer) begin(ctx context.Context) (*sql.Tx, error) {
	if c.conn == nil {
		conn, err := c.db.db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		// The commits checkpoint only at the cap; the checkpointer does
		// in pauses (checkpoint.go).
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint=%d`, c.capPages)); err != nil {
			conn.Close()
			return nil, err
		}
		c.conn = conn
		c.dc = nil
		c.dataVersion = -1 // another connection's values mean nothing here
		conn.Raw(func(dc any) error {
			c.dc, _ = dc.(*cachingConn)
			return nil
		})
	}
	tx, err := c.conn.BeginTx(ctx, nil)
	if err != nil {
		if ctx.Err() == nil {
			// Possibly a broken connection: the next write gets a fresh one.
			c.release()
		}
		return nil, err
	}
	if err := c.noticeOthers(ctx, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// noticeOthers drops the caches when another connection committed since
// this connection's last transaction. Inside the transaction, which holds
// the write lock (BEGIN IMMEDIATE), nobody else can commit until it ends.
func (c *committer) noticeOthers(ctx context.Context, tx *sql.Tx) error {
	var v int64
	if err := tx.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	if v != c.dataVersion {
		c.dropCaches()
		c.dataVersion = v
	}
	return nil
}

// dropCaches forgets every cached chat and person.
func (c *committer) dropCaches() {
	c.db.chats.drop()
	clear(c.people)
}

// person returns the cached people row of u, for upsertPerson. Only the
// committer's goroutine calls it, inside a write's transaction.
func (c *committer) person(u commands.UserRef) (author, bool) {
	if c.peopleOff || c.cur == nil {
		return author{}, false
	}
	a, ok := c.people[keyOf(u)]
	return a, ok
}

// notePerson records that the write's transaction has the people row who
// for u; changed says upsertPerson created or renamed it there.
func (c *committer) notePerson(u commands.UserRef, who author, changed bool) {
	if c.cur == nil {
		return
	}
	k := keyOf(u)
	if changed {
		delete(c.people, k) // the committed row is not this one (yet)
	}
	if !c.peopleOff {
		c.cur.people = append(c.cur.people, notedPerson{k, who})
	}
}

// keepPeople adds the people rows the committed writes saw to the cache.
func (c *committer) keepPeople(batch []*writeReq) {
	for _, r := range batch {
		if r.err != nil || r.pan != nil {
			continue
		}
		if !r.keepCaches {
			return // run drops the caches anyway
		}
		for _, p := range r.people {
			if c.people == nil || len(c.people) >= maxCachedPeople {
				c.people = make(peopleCache)
			}
			c.people[p.key] = p.who
		}
	}
}

// release gives the connection back to the pool with SQLite's own
// checkpointing again, as the pool's other connections have it.
func (c *committer) release() {
	if c.conn == nil {
		return
	}
	c.conn.ExecContext(context.Background(), `PRAGMA wal_autocheckpoint=1000`)
	c.conn.Close()
	c.conn = nil
}

// alone runs one write in its own transaction, bound to its context.
func (c *committer) alone(r *writeReq) {
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return
	}
	tx, err := c.begin(r.ctx)
	if err != nil {
		r.err = fmt.Errorf("begin: %w", err)
		return
	}
	defer tx.Rollback()
	if r.err = c.apply(r, tx); r.err != nil {
		return
	}
	soon := c.takeSoon()
	if err := c.writeSoon(r.ctx, tx, soon); err != nil {
		r.err = err
		return
	}
	if err := tx.Commit(); err != nil {
		r.err = fmt.Errorf("commit: %w", err)
		return
	}
	c.storedSoon(soon)
	c.keepPeople([]*writeReq{r})
	c.commits.Add(1)
	c.writes.Add(1)
	c.ckpt.committed()
}

// together runs the writes of a batch in one transaction. It returns an
// error only when the batch as a whole failed (then no write of it is
// committed); a write's own failure is in its err.
//
// It first runs the writes one after another without savepoints: nearly
// always every write succeeds, and a savepoint per write cost a third of
// the committer's time (two statements, and SQLite copying every page a
// write touches into its sub-journal). As soon as a write fails, or any
// statement on the connection failed (also one whose error the write
// ignored: the connection counts them), that transaction is rolled back
// and the batch runs again with a savepoint per write, so that the failing
// write rolls back only itself.
//
// While writes are expected (ExpectWrites), those that come are applied in
// the same transaction as they come (the batch grows), so SQLite's work for
// a batch of commands overlaps with their handlers' instead of following it.
func (c *committer) together(batch *[]*writeReq) error {
	if done, err := c.attempt(batch, false); done || err != nil {
		return err
	}
	for _, r := range *batch {
		r.err, r.pan = nil, nil
	}
	_, err := c.attempt(batch, true)
	return err
}

// attempt runs the batch in one transaction and commits it (done). Without
// savepoints it stops at the first failure instead, having committed
// nothing (done false, err nil).
//
// With savepoints, RELEASE is what catches a transaction SQLite rolled
// back by itself (an interrupted or failed statement; see "Response To
// Errors Within A Transaction" in SQLite's docs) also when the write
// ignored that error: the savepoint is gone then, RELEASE fails and the
// batch is run again. Without that check the next SAVEPOINT would silently
// begin a new transaction: the writes before it would be lost yet reported
// stored. Without savepoints the connection's count of failed statements
// is that check: such a rollback always comes with a failed statement.
func (c *committer) attempt(grown *[]*writeReq, savepoints bool) (done bool, err error) {
	// Not bound to any one write's context: one caller giving up must not
	// roll back the others.
	ctx := context.Background()
	tx, err := c.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for i := 0; ; i++ {
		if i == len(*grown) {
			more := c.more(len(*grown))
			if more == nil {
				break
			}
			*grown = append(*grown, more...)
		}
		r := (*grown)[i]
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if !savepoints && c.dc != nil {
			failures := c.dc.failures.Load()
			if r.err = c.apply(r, tx); r.err != nil || c.dc.failures.Load() != failures {
				return false, nil
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
			return false, err
		}
		if r.err = c.apply(r, tx); r.err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO w`); err != nil {
				return false, err
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE w`); err != nil {
			return false, err
		}
	}
	batch := *grown
	soon := c.takeSoon()
	if err := c.writeSoon(ctx, tx, soon); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	c.storedSoon(soon)
	c.keepPeople(batch)
	c.commits.Add(1)
	for _, r := range batch {
		if r.err == nil { // a failed or skipped write stored nothing
			c.writes.Add(1)
		}
	}
	c.ckpt.committed()
	return true, nil
}

// CommitStats returns how many write transactions the committer has
// committed (each one fsync of the WAL with synchronous=FULL) and how many
// writes they stored (a failed write is not counted), so a benchmark can report the batching group commit
// achieved and compare it with SQLite at the same batch size.
func (db *DB) CommitStats() (commits, writes int64) {
	return db.commits.commits.Load(), db.commits.writes.Load()
}

// apply records the write's event and runs it; a panic becomes an error
// here (so the savepoint is rolled back) and is re-raised by submit.
func (c *committer) apply(r *writeReq, tx *sql.Tx) (err error) {
	r.people = r.people[:0] // of an earlier run of it, rolled back
	c.cur, c.peopleOff = r, !r.keepCaches
	if c.peopleOff {
		// It may change people: nothing cached may be used after it in
		// this transaction either.
		clear(c.people)
	}
	defer func() {
		c.cur, c.peopleOff = nil, false
		if p := recover(); p != nil {
			r.pan = p
			err = fmt.Errorf("panic in write: %v", p)
		}
	}()
	if err := c.db.recordEvent(r.ctx, tx, r.ev); err != nil {
		return err
	}
	return r.fn(tx)
}
