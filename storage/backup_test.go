package storage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := storage.Open(ctx, filepath.Join(dir, "wijkbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	by := commands.UserRef{Platform: commands.Telegram, ID: "42", Name: "Fatima"}
	c := &commands.Collective{Name: "Bewonersbedrijf Noord", Code: "ABCD2345"}
	if err := db.CreateCollective(ctx, "test:1", c, by); err != nil {
		t.Fatal(err)
	}
	const before = 20
	for i := range before {
		e := &commands.Entry{CollectiveID: c.ID, Text: fmt.Sprintf("voor de back-up %d", i), Author: by.Name, Source: commands.Telegram}
		if err := db.AddEntry(ctx, fmt.Sprintf("test:before:%d", i), e, by); err != nil {
			t.Fatal(err)
		}
	}

	// A writer keeps going while the backup runs, as the bot would.
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e := &commands.Entry{CollectiveID: c.ID, Text: fmt.Sprintf("tijdens de back-up %d", i), Author: by.Name, Source: commands.Telegram}
			if err := db.AddEntry(ctx, fmt.Sprintf("test:during:%d", i), e, by); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	backup := filepath.Join(dir, "backup.db")
	// Let the writer get going so the backup really overlaps with writes.
	for written.Load() < 3 {
		runtime.Gosched()
	}
	err = db.Backup(ctx, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}

	t.Run("refuses to overwrite", func(t *testing.T) {
		if err := db.Backup(ctx, backup); err == nil {
			t.Fatal("second Backup to the same file succeeded")
		}
	})
	t.Run("is intact and private", func(t *testing.T) {
		if err := storage.CheckIntegrity(ctx, backup); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(backup)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Fatalf("backup mode=%v, want %v", got, want)
		}
		if _, err := os.Stat(backup + ".partial"); !os.IsNotExist(err) {
			t.Fatalf("temporary file left behind: %v", err)
		}
	})
	t.Run("holds the data", func(t *testing.T) {
		copyDB, err := storage.Open(ctx, backup)
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		got, err := copyDB.CollectiveByName(ctx, "bewonersbedrijf noord")
		if err != nil {
			t.Fatal(err)
		}
		entries, err := copyDB.Entries(ctx, got.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		total := before + int(written.Load())
		if n := len(entries); n < before || n > total {
			t.Fatalf("backup has %d entries, want between %d and %d", n, before, total)
		}
		// A snapshot: entries written during the backup are a prefix of
		// the writer's sequence, never a later one without an earlier.
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Text] = true
		}
		during := len(entries) - before
		for i := range during {
			if !seen[fmt.Sprintf("tijdens de back-up %d", i)] {
				t.Fatalf("backup lacks entry %d of %d written during it: not one snapshot", i, during)
			}
		}
		t.Logf("backup holds %d of %d entries (%d written during the backup)", len(entries), total, written.Load())
	})
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	by := commands.UserRef{Platform: commands.Discord, ID: "7", Name: "Sem"}
	dbPath := filepath.Join(dir, "wijkbot.db")
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateCollective(ctx, "", &commands.Collective{Name: "Zorgcoöperatie Zuid", Code: "ZZZZ2345"}, by); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// After the backup the database moves on; the restore must bring back
	// the backup's state, not this one.
	if err := db.CreateCollective(ctx, "", &commands.Collective{Name: "Na de back-up", Code: "NNNN2345"}, by); err != nil {
		t.Fatal(err)
	}
	db.Close() // the bot is stopped before a restore

	t.Run("refuses a damaged backup", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.db")
		if err := os.WriteFile(bad, []byte("dit is geen database"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := storage.Restore(ctx, bad, dbPath); err == nil {
			t.Fatal("Restore of a non-database succeeded")
		}
		if _, err := os.Stat(dbPath); err != nil {
			t.Fatalf("database gone after a refused restore: %v", err)
		}
	})
	t.Run("refuses the database itself", func(t *testing.T) {
		if _, err := storage.Restore(ctx, dbPath, dbPath); err == nil {
			t.Fatal("Restore of the database onto itself succeeded")
		}
	})

	keptAs, err := storage.Restore(ctx, backup, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("restored data", func(t *testing.T) {
		db, err := storage.Open(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.CollectiveByName(ctx, "Zorgcoöperatie Zuid"); err != nil {
			t.Fatalf("restored database lacks the backed-up collective: %v", err)
		}
		if _, err := db.CollectiveByName(ctx, "Na de back-up"); commands.ErrorCode(err) != commands.ENOTFOUND {
			t.Fatalf("restored database has a collective made after the backup (err=%v)", err)
		}
		if err := storage.CheckIntegrity(ctx, dbPath); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("old database kept", func(t *testing.T) {
		if keptAs == "" {
			t.Fatal("no name for the replaced database")
		}
		old, err := storage.Open(ctx, keptAs)
		if err != nil {
			t.Fatal(err)
		}
		defer old.Close()
		if _, err := old.CollectiveByName(ctx, "Na de back-up"); err != nil {
			t.Fatalf("replaced database lost its data: %v", err)
		}
	})
	t.Run("backup unchanged", func(t *testing.T) {
		if err := storage.CheckIntegrity(ctx, backup); err != nil {
			t.Fatal(err)
		}
	})
}
