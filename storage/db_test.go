package storage

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// t0 is the start of every test clock: a Monday, in Amsterdam summer time so
// that storing in UTC is visible.
var t0 = time.Date(2026, 6, 1, 10, 0, 0, 123456789, time.FixedZone("CEST", 2*3600))

// clock is a test clock that moves only when told.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time                { return c.now }
func (c *clock) Add(d time.Duration) time.Time { c.now = c.now.Add(d); return c.now }

// openTest opens a fresh database in a temp dir with a test clock.
func openTest(t testing.TB) (*DB, *clock) {
	t.Helper()
	db, c, _ := openTestFile(t)
	return db, c
}

// openTestFile is openTest that also returns the database's path, for the
// tests that read its files, reopen it or open a second connection.
// Closing the database early (to read the files) is fine: Close may be
// called again by the cleanup.
func openTestFile(t testing.TB) (*DB, *clock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &clock{now: t0}
	db.Now = c.Now
	return db, c, path
}

// column returns the first column of every row of query.
func column(t testing.TB, db *DB, query string, args ...any) []string {
	t.Helper()
	list, err := queryAll(context.Background(), db.db, scanString, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var (
	ana   = commands.UserRef{Platform: commands.Telegram, ID: "101", Name: "Ana"}
	bram  = commands.UserRef{Platform: commands.Telegram, ID: "102", Name: "Bram"}
	sanne = commands.UserRef{Platform: commands.Discord, ID: "9001", Name: "Sanne"}
)

// mustCollective creates a collective named name with code code.
func mustCollective(t testing.TB, db *DB, name, code string) *commands.Collective {
	t.Helper()
	c := &commands.Collective{Name: name, Code: code}
	if err := db.CreateCollective(context.Background(), "", c, ana); err != nil {
		t.Fatalf("CreateCollective(%q): %v", name, err)
	}
	return c
}

// wantCode fails the test unless err has the code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := commands.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// Open warms the pool: once warm is done, the connections the reads use
// are open already, so the first burst of commands does not open them.
func TestOpenWarmsPool(t *testing.T) {
	db, _ := openTest(t)
	db.warming.Wait()
	if got, want := db.db.Stats().OpenConnections, maxConns-1; got < want {
		t.Fatalf("%d connections open after Open, want at least %d", got, want)
	}
	// They are usable: as many concurrent reads as connections.
	var wg sync.WaitGroup
	for range maxConns - 1 {
		wg.Go(func() {
			if _, err := db.EventSeen(context.Background(), "x"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// reopen closes db and opens its file again, as a restarted process would
// (the migrations not yet applied run then), with the same clock.
func reopen(t *testing.T, db *DB, path string, clk *clock) *DB {
	t.Helper()
	db.Close()
	again, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	again.Now = clk.Now
	return again
}
