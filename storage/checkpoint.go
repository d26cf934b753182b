package storage

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// Checkpoints while the bot is idle.
//
// In WAL mode SQLite copies the log back into the database file (a
// checkpoint) when a commit leaves more than 1,000 pages in the log, inside
// that commit: every write of the group commit waits for the copy and the
// fsync of the database file. With 10,000 collectives the pages lie all over
// a file of some 480 MiB, and such commits took 15–335 ms instead of about
// 1 ms: one of them in a burst of 400 commands was its p99 (issue 15,
// scale_p99_ratio). Checkpointing beside the writes (a goroutine every 64
// commits, or the committer between transactions) moved that cost onto the
// other commands of the burst instead (fsyncs of the database file beside
// those of the log, on two cores): at 10 collectives it slowed the burst.
//
// The bot's load comes in bursts with long pauses (10,000 collectives × a
// few commands a week is a command every few seconds on average), so the
// checkpoint is done in the pauses: the committer's connection checkpoints
// only when the log passes walCapPages (wal_autocheckpoint on that
// connection alone; other connections and other programs keep SQLite's
// default), and the checkpointer runs a PASSIVE checkpoint on a pooled
// connection once no commit has happened for checkpointIdle. PASSIVE never
// waits for the writer or the readers; a write arriving meanwhile goes
// ahead. Once the log has been copied in full, the next write transaction
// starts the log file from its beginning again, so the file does not grow
// from burst to burst. Durability is unchanged: a commit is durable once its
// log frames are synced (synchronous=FULL); a checkpoint only moves them.
//
// Where the cost went: the checkpoint after a burst copies the burst's
// distinct pages (README, Scale curves: how long it takes at 10 and at
// 10,000 collectives). A burst that writes more than walCapPages without a
// pause of checkpointIdle pays one such checkpoint inside the commit that
// passes the cap, as every burst did with SQLite's 1,000 pages, only less
// often.
const (
	// checkpointIdle is the pause after the last commit before the
	// checkpointer copies the log. Long enough that commands arriving
	// together in a burst (a group commit every millisecond or so) do not
	// see it, short enough that a pause between two users' commands is
	// used.
	checkpointIdle = 500 * time.Millisecond
	// walCapPages bounds the log under a load that never pauses: 8,000
	// pages of 4 KiB are 32 MiB of log (and of disk). A reader looks a page
	// up in the log's index, a hash table per 4,096 frames: two tables at
	// the cap, no measurable cost. After a crash, opening the database
	// reads and checksums the whole log once: 32 MiB, well under a second
	// even on a slow disk. The checkpoint at the cap copies at most as many
	// distinct pages, each written once however often it changed.
	walCapPages = 8000
)

// checkpointer runs the idle checkpoints of one DB.
type checkpointer struct {
	db   *sql.DB
	idle time.Duration // checkpointIdle
	// now and after are the clock (time.Now and time.After); tests
	// inject theirs.
	now   func() time.Time
	after func(time.Duration) <-chan time.Time

	last         atomic.Int64  // UnixNano of the last commit
	kick         chan struct{} // buffered 1: "a commit happened"
	quit, exited chan struct{}
	started      sync.Once // the loop starts with the first commit

	// scrub makes the next checkpoint a TRUNCATE: a deletion's own
	// (DB.checkpoint) failed, so the log may still hold what it deleted.
	scrub atomic.Bool

	// ran, when set, receives each checkpoint's outcome (tests).
	ran chan<- checkpointResult
}

// checkpointResult is what one PRAGMA wal_checkpoint reported.
type checkpointResult struct {
	busy, logPages, moved int
	err                   error
}

func newCheckpointer(db *sql.DB) *checkpointer {
	return &checkpointer{db: db, idle: checkpointIdle, now: time.Now, after: time.After,
		kick: make(chan struct{}, 1), quit: make(chan struct{}), exited: make(chan struct{})}
}

// committed tells the checkpointer about a commit; it never blocks. The
// first starts the loop (so a test may set the clock after Open).
func (c *checkpointer) committed() {
	c.started.Do(func() { go c.loop() })
	c.last.Store(c.now().UnixNano())
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// scrubLater makes the checkpoint of the next pause empty the log
// (TRUNCATE) instead of only copying it, and starts that pause as a commit
// does. A deletion (ForgetPerson, DeleteCheckinAnswersBefore) calls it
// when its own TRUNCATE failed, a reader having outlasted busy_timeout
// (a long backup, say): its deleted values stay in the log until then.
// Until one succeeds, each pause after a commit tries again; each try, like
// the deletion's own, holds up new writes until the readers let go or
// busy_timeout ends.
func (c *checkpointer) scrubLater() {
	c.scrub.Store(true)
	c.committed()
}

// stop ends the loop; a checkpoint running finishes first.
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
	for {
		select {
		case <-c.kick:
		case <-c.quit:
			return
		}
		// Wait until no commit has happened for idle.
		for {
			wait := c.idle - c.now().Sub(time.Unix(0, c.last.Load()))
			if wait <= 0 {
				break
			}
			select {
			case <-c.after(wait):
			case <-c.quit:
				return
			}
		}
		// The commits waited for are in this checkpoint; a later one
		// kicks again.
		select {
		case <-c.kick:
		default:
		}
		c.run()
	}
}

// run checkpoints once. An error (the file busy with another process's
// checkpoint, say) is left for the next pause: nothing is lost by a
// checkpoint not done, the log is only longer meanwhile.
func (c *checkpointer) run() {
	var r checkpointResult
	q := `PRAGMA wal_checkpoint(PASSIVE)`
	scrub := c.scrub.Swap(false)
	if scrub {
		q = `PRAGMA wal_checkpoint(TRUNCATE)`
	}
	r.err = c.db.QueryRowContext(context.Background(), q).Scan(&r.busy, &r.logPages, &r.moved)
	if scrub && (r.err != nil || r.busy != 0) {
		c.scrub.Store(true) // in the next pause after a commit
	}
	if c.ran != nil {
		c.ran <- r
	}
}
