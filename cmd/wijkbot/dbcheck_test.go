package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/storage"
)

// A read-only database stops the bot at start-up with a message saying so
// and exit status 1, instead of a bot that apologises for every command
// (issue 16, item 11). Read-only by the file's header (write version 3), so
// it holds also when the tests run as root.
func TestReadOnlyDatabaseStopsStartUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte{3}, 18)
	f.Close()

	var stderr bytes.Buffer
	m := &Main{In: strings.NewReader("/hulp\n"), Out: io.Discard, Err: &stderr, Getenv: env("WIJKBOT_DB", path)}
	if code := run(ctx, m, []string{"console"}); code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "takes no writes") || !strings.Contains(stderr.String(), path) {
		t.Errorf("stderr does not say the database takes no writes:\n%s", stderr.String())
	}
}

// The health check of the database notices a write path that fails while
// reads still work: here another process holds SQLite's write lock.
func TestDatabaseHealthNoticesFailingWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Probe(ctx); err != nil {
		t.Fatalf("probe of a healthy database: %v", err)
	}
	other, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(ctx, nil) // _txlock=immediate: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := db.State(ctx, "x"); err != nil {
		t.Fatalf("reads should still work: %v", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Probe(cctx); err == nil {
		t.Fatal("the probe wrote while another process held the write lock")
	}
}
