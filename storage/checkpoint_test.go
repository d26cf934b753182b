package storage

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// walFrames is how many pages the log file has room for: SQLite reuses the
// file from its start after a checkpoint, so it grows past about 1,000
// pages only when nothing checkpointed.
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

// writeMany commits about 2,000 pages of log: 300 entries of 24 KB from 10
// chats at once.
func writeMany(t *testing.T, db *DB, collectiveID int64) {
	t.Helper()
	text := strings.Repeat("Verslag van de bewonersavond. ", 800)
	var wg sync.WaitGroup
	for w := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 30 {
				e := &commands.Entry{CollectiveID: collectiveID, Text: fmt.Sprint(w, k, text)}
				if err := db.AddEntry(context.Background(), fmt.Sprintf("e%d-%d", w, k), e, ana); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// The commits do not checkpoint (issue 15: a checkpoint inside a commit made
// every write of it wait for the copy into the database file): with the
// checkpointer held back, the log keeps every page written.
func TestCommitsDoNotCheckpoint(t *testing.T) {
	db, _ := openTest(t)
	db.commits.ckpt.every, db.commits.ckpt.delay = 1<<40, time.Hour
	c := mustCollective(t, db, "Noord", "NNNN2345")
	writeMany(t, db, c.ID)
	if n := walFrames(t, db); n < 1500 {
		t.Fatalf("the log holds %d pages after about 2,000 were written: a commit checkpointed", n)
	}
	if testing.Verbose() {
		t.Logf("%d pages", walFrames(t, db))
	}
}

// The checkpointer checkpoints after its number of commits, outside them;
// and when writes never pause long enough for the log to be reused from
// its start, the committer checkpoints once itself, so the log stays
// bounded.
func TestCheckpointerCheckpoints(t *testing.T) {
	db, _ := openTest(t)
	ran := make(chan struct{}, 100)
	ck := db.commits.ckpt
	ck.every, ck.delay, ck.limit, ck.ran = 16, time.Hour, 300, ran
	c := mustCollective(t, db, "Noord", "NNNN2345")
	writeMany(t, db, c.ID)
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint after 300 writes")
	}
	if ck.done.Load() == 0 || ck.moved.Load() == 0 {
		t.Fatalf("%d checkpoints moved %d pages", ck.done.Load(), ck.moved.Load())
	}
	if n := walFrames(t, db); n >= 1500 {
		t.Errorf("the log holds %d pages: it was not reused after the checkpoints", n)
	}
}
