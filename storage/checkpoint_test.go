package storage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// fakeTimer is the checkpointer's clock in tests: now is set by the test,
// and every wait the checkpointer starts is reported on asked and ends when
// the test sends on fire.
type fakeTimer struct {
	mu    sync.Mutex
	t     time.Time
	asked chan time.Duration
	fire  chan time.Time
}

func newFakeTimer() *fakeTimer {
	return &fakeTimer{t: t0, asked: make(chan time.Duration, 16), fire: make(chan time.Time)}
}

func (f *fakeTimer) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeTimer) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func (f *fakeTimer) after(d time.Duration) <-chan time.Time {
	f.asked <- d
	return f.fire
}

// withFakeClock gives db's checkpointer the fake clock and a channel of its
// results; call before db's first write.
func withFakeClock(db *DB) (*fakeTimer, chan checkpointResult) {
	// The pool's warm-up opens connections in the background; one opening
	// during a checkpoint is a reader it must leave pages for (a PASSIVE
	// checkpoint moved 157 of 168 pages in one CI run).
	db.warming.Wait()
	f := newFakeTimer()
	ran := make(chan checkpointResult, 1)
	ck := db.commits.ckpt
	ck.now, ck.after, ck.ran = f.now, f.after, ran
	return f, ran
}

// walFrames is how many pages the log file has room for: SQLite reuses the
// file from its start once everything in it is checkpointed, so it grows
// only while nothing is.
func walFrames(t *testing.T, db *DB) int64 {
	t.Helper()
	var path string
	if err := db.db.QueryRowContext(context.Background(), `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return (st.Size() - 32) / (4096 + 24)
}

// walRestarts is the checkpoint sequence number in the log file's header,
// which SQLite increases whenever it starts the log from its beginning.
func walRestarts(t *testing.T, db *DB) uint32 {
	t.Helper()
	var path string
	if err := db.db.QueryRowContext(context.Background(), `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var h [16]byte
	if _, err := f.ReadAt(h[:], 0); err != nil {
		t.Fatal(err)
	}
	return binary.BigEndian.Uint32(h[12:16])
}

// writeMany commits about 2,000 pages of log: 300 entries of 24 KB from 10
// chats at once, as a burst without a pause.
func writeMany(t *testing.T, db *DB, collectiveID int64, tag string) {
	t.Helper()
	text := strings.Repeat("Verslag van de bewonersavond. ", 800)
	var wg sync.WaitGroup
	for w := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 30 {
				e := &commands.Entry{CollectiveID: collectiveID, Text: fmt.Sprint(tag, w, k, text)}
				if err := db.AddEntry(context.Background(), fmt.Sprintf("%s%d-%d", tag, w, k), e, ana); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// burst runs writeMany while the checkpointer waits for a pause that never
// comes (the fake clock stands still, so every wait it starts is the whole
// idle time and is never fired), and returns the first wait it asked for.
func burst(t *testing.T, db *DB, f *fakeTimer, collectiveID int64, tag string) time.Duration {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		writeMany(t, db, collectiveID, tag)
	}()
	var first time.Duration
	select {
	case first = <-f.asked:
	case <-time.After(time.Minute):
		t.Fatal("the checkpointer never waited for a pause after the burst's commits")
	}
	<-done
	return first
}

// Commits during a burst do not checkpoint (issue 15: a checkpoint inside a
// commit made every write of that group commit wait for the copy into the
// database file); once the writes pause for checkpointIdle, the
// checkpointer copies the whole log, and the next burst reuses the log file
// from its start instead of growing it.
func TestCheckpointInPauses(t *testing.T) {
	db, _ := openTest(t)
	f, ran := withFakeClock(db)
	c := mustCollective(t, db, "Noord", "NNNN2345")
	if d := <-f.asked; d != checkpointIdle {
		t.Fatalf("after a commit the checkpointer waits %v, want %v", d, checkpointIdle)
	}
	f.advance(checkpointIdle)
	f.fire <- f.now()
	<-ran

	if d := burst(t, db, f, c.ID, "a"); d != checkpointIdle {
		t.Fatalf("the checkpointer waits %v after a commit, want %v", d, checkpointIdle)
	}
	grown := walFrames(t, db)
	if grown < 1500 {
		t.Fatalf("the log holds %d pages after about 2,000 were written in a burst: a commit checkpointed", grown)
	}
	select {
	case r := <-ran:
		t.Fatalf("a checkpoint ran during the burst: %+v", r)
	default:
	}

	// The pause: no commit for checkpointIdle.
	f.advance(checkpointIdle)
	f.fire <- f.now()
	r := <-ran
	if r.err != nil || r.busy != 0 || r.logPages < 1500 || r.moved != r.logPages {
		t.Fatalf("checkpoint in the pause: %+v, want the whole log of %d pages moved", r, grown)
	}

	// The next burst starts the log file from its beginning: SQLite counts
	// each such restart in the log's header.
	before := walRestarts(t, db)
	burst(t, db, f, c.ID, "b")
	if after := walRestarts(t, db); after <= before {
		t.Errorf("the log was not started afresh after the checkpoint (restarts %d, then %d): the file grows", before, after)
	}
}

// A commit while the checkpointer waits starts the wait again: the
// checkpoint waits for checkpointIdle after the last commit, not the first.
func TestCheckpointWaitsForTheLastCommit(t *testing.T) {
	db, _ := openTest(t)
	f, ran := withFakeClock(db)
	c := mustCollective(t, db, "Noord", "NNNN2345")
	if d := <-f.asked; d != checkpointIdle {
		t.Fatalf("wait %v, want %v", d, checkpointIdle)
	}
	f.advance(checkpointIdle / 2)
	added := make(chan error, 1)
	go func() {
		added <- db.AddEntry(context.Background(), "e1", &commands.Entry{CollectiveID: c.ID, Text: "Bewonersavond"}, ana)
	}()
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	f.fire <- f.now() // the first wait ends, half a pause after the last commit
	if d := <-f.asked; d != checkpointIdle {
		t.Fatalf("after a commit in the wait the checkpointer waits %v more, want %v", d, checkpointIdle)
	}
	select {
	case r := <-ran:
		t.Fatalf("checkpointed before the pause: %+v", r)
	default:
	}
	f.advance(checkpointIdle / 4)
	f.fire <- f.now()
	if d := <-f.asked; d != checkpointIdle*3/4 {
		t.Fatalf("the checkpointer waits %v more, want %v", d, checkpointIdle*3/4)
	}
	f.advance(checkpointIdle * 3 / 4)
	f.fire <- f.now()
	if r := <-ran; r.err != nil || r.moved == 0 || r.moved != r.logPages {
		t.Fatalf("checkpoint after the pause: %+v", r)
	}
}

// Under writes that never pause the log stays bounded: the commit that
// passes the cap checkpoints, as SQLite's own policy does at 1,000 pages.
func TestCheckpointAtTheCap(t *testing.T) {
	db, _ := openTest(t)
	f, _ := withFakeClock(db)
	db.commits.capPages = 300
	c := mustCollective(t, db, "Noord", "NNNN2345")
	<-f.asked // and never fired: no pause
	writeMany(t, db, c.ID, "a")
	if n := walFrames(t, db); n >= 1000 {
		t.Errorf("the log holds %d pages with a cap of 300 and about 2,000 written", n)
	}
}

// The erasure's TRUNCATE checkpoint (ForgetPerson) while another
// checkpoint runs: SQLite refuses a second checkpoint at once, without
// waiting (busy_timeout does not apply to that lock), and the bot's own
// checkpointer runs one in every pause. The erasure must wait its turn
// rather than fail and leave the erased values in the log. The other
// checkpoint here is a TRUNCATE on a connection of its own, which holds
// the lock while it waits for a reader.
func TestErasureCheckpointWaitsForAnother(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	withFakeClock(db) // no checkpoint of the bot's own in the pause
	mustCollective(t, db, "Noord", "NNNN2345")
	var path string
	if err := db.db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	open := func(dsn string) *sql.DB {
		sdb, err := sql.Open(driverName, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sdb.Close() })
		return sdb
	}
	// A reader with a snapshot in the log, which a TRUNCATE waits for.
	reader, err := open(DSN(path)).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM collectives`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	other := make(chan error, 1)
	go func() {
		defer reader.Rollback() // the other checkpoint gave up waiting; the reader goes too
		conn := open("file:" + path + "?_pragma=busy_timeout(1000)")
		for {
			var busy, logPages, moved int
			err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &moved)
			if err != nil || busy == 0 || logPages != -1 {
				other <- err
				return
			}
			// It found the probe below checkpointing: again.
		}
	}()
	// The other checkpoint holds the lock once a PASSIVE one gets nowhere.
	for {
		select {
		case err := <-other:
			t.Fatalf("the other checkpoint ended without waiting for the reader (%v)", err)
		default:
		}
		var busy, logPages, moved int
		if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &moved); err != nil {
			t.Fatal(err)
		}
		if busy == 1 && logPages == -1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := db.checkpoint(ctx); err != nil {
		t.Fatalf("erasure's checkpoint beside another: %v, want it to wait for the other and succeed", err)
	}
	if err := <-other; err != nil {
		t.Fatal(err)
	}
	if n := walFrames(t, db); n != 0 {
		t.Fatalf("the log holds %d pages after the erasure's checkpoint, want it emptied", n)
	}
}
