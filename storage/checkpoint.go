package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Checkpoints off the commit path.
//
// In WAL mode SQLite copies the log back into the database file (a
// checkpoint) when a commit leaves more than 1,000 pages in the log, and
// it does so inside that commit: every write of the group commit waited
// for the copy and for the fsync of the database file. With 10,000
// collectives the pages a checkpoint writes lie all over a 430 MiB file;
// such commits took 15–330 ms instead of about 1 ms, and those waits were
// the mixed load's p99 (issue 15, scale_p99_ratio).
//
// So the committer's connection does not checkpoint (wal_autocheckpoint
// 0 on that connection only: other connections and other programs on the
// file keep SQLite's default), and a goroutine checkpoints instead, on a
// pooled connection, PASSIVE: it copies what no reader still needs and
// never blocks the writer or the readers. Durability is unchanged: a
// commit is durable once its log frames are synced (synchronous=FULL), a
// checkpoint only moves them. It runs after checkpointCommits commits, or
// checkpointDelay after the last commit when fewer came.
//
// SQLite starts the log file from its beginning again only when a write
// transaction begins with every page of the log checkpointed. Its own
// checkpoints run in the writer, so the next write finds it so; ours run
// beside the writer, and under writes that never pause the log might grow
// without end. So when the checkpointer finds more than checkpointLimit
// pages in the log, the committer checkpoints once itself, between two
// transactions, as SQLite would have done; by then the checkpointer has
// copied nearly all of them, so that costs a few pages and an fsync.
const (
	checkpointCommits = 64 // at 10,000 collectives about 900 pages of log
	checkpointDelay   = time.Second
	checkpointLimit   = 1000 // pages, SQLite's own mark (wal_autocheckpoint)
)

// checkpointer runs the checkpoints of one DB.
type checkpointer struct {
	db           *sql.DB
	commits      func() int64  // commits so far
	every        int64         // checkpointCommits; tests set fewer
	delay        time.Duration // checkpointDelay
	kick         chan struct{} // buffered 1: "a commit happened"
	quit, exited chan struct{}
	started      sync.Once    // the loop starts with the first commit
	limit        int64        // checkpointLimit
	done         atomic.Int64 // checkpoints run, for tests
	moved        atomic.Int64 // pages they moved, for tests
	// tooLong says the last checkpoint found more than limit pages in the
	// log: the committer should checkpoint itself (takeTooLong).
	tooLong atomic.Bool
	// ran, when set, is told of each checkpoint (tests).
	ran chan<- struct{}
}

func newCheckpointer(db *sql.DB, commits func() int64) *checkpointer {
	return &checkpointer{db: db, commits: commits, every: checkpointCommits, delay: checkpointDelay, limit: checkpointLimit,
		kick: make(chan struct{}, 1), quit: make(chan struct{}), exited: make(chan struct{})}
}

// committed tells the checkpointer about a commit; it never blocks. The
// first starts the loop (so a test may set every and delay after Open).
func (c *checkpointer) committed() {
	c.started.Do(func() { go c.loop() })
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// stop ends the loop (the last connection to close checkpoints anyway).
func (c *checkpointer) stop() {
	running := true
	c.started.Do(func() { running = false })
	close(c.quit)
	if running {
		<-c.exited
	}
}

func (c *checkpointer) loop() {
	defer close(c.exited)
	var last int64 // commits at the last checkpoint
	for {
		select {
		case <-c.kick:
		case <-c.quit:
			return
		}
		// Let commits gather until there are enough, or none came for a
		// while.
		timer := time.NewTimer(c.delay)
		for waiting := true; waiting && c.commits()-last < c.every; {
			select {
			case <-c.kick:
				timer.Reset(c.delay)
			case <-timer.C:
				waiting = false
			case <-c.quit:
				timer.Stop()
				return
			}
		}
		timer.Stop()
		last = c.commits()
		c.run()
	}
}

// takeTooLong reports (once) that the log grew past limit.
func (c *checkpointer) takeTooLong() bool { return c.tooLong.Swap(false) }

// run checkpoints once. An error (the file busy with another process's
// checkpoint, say) is left for the next run: nothing is lost by a
// checkpoint not done, the log is only longer meanwhile.
func (c *checkpointer) run() {
	var busy, logPages, moved int
	if err := c.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &moved); err == nil {
		c.done.Add(1)
		c.moved.Add(int64(moved))
		if int64(logPages) > c.limit {
			c.tooLong.Store(true)
		}
	}
	if c.ran != nil {
		c.ran <- struct{}{}
	}
}

// Checkpoint copies the log into the database file now (PASSIVE), as the
// checkpointer does a moment after writes. A benchmark ends its timed
// writes with it, so that they include the checkpoint work they caused
// (SQLite's own checkpoints would have run inside them).
func (db *DB) Checkpoint(ctx context.Context) error {
	var busy, logPages, moved int
	if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &moved); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
