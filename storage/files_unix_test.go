//go:build unix

package storage

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// TestFilesPrivate: with the common umask 022 the database, its -wal and
// -shm, a backup and the copy restore keeps are all 0600 (issue 16.3: they
// were 0644, readable by every user of the machine). A database an older
// version created 0644 is narrowed when opened.
func TestFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")

	wantPrivate := func(t *testing.T, paths ...string) {
		t.Helper()
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("%s has mode %v, want -rw-------", filepath.Base(p), got)
			}
		}
	}
	write := func(t *testing.T, db *DB, name, code string) {
		t.Helper()
		c := &commands.Collective{Name: name, Code: code}
		if err := db.CreateCollective(ctx, "", c, ana); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("new database", func(t *testing.T) {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		write(t, db, "Noord", "NNNN2345")
		wantPrivate(t, path, path+"-wal", path+"-shm")

		if err := db.Backup(ctx, filepath.Join(dir, "backup.db")); err != nil {
			t.Fatal(err)
		}
		wantPrivate(t, filepath.Join(dir, "backup.db"))
	})

	t.Run("older database made 0644", func(t *testing.T) {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		write(t, db, "Zuid", "ZZZZ2345") // a -wal and -shm exist while open
		for _, s := range dbSuffixes {
			if err := os.Chmod(path+s, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		db2, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		wantPrivate(t, path, path+"-wal", path+"-shm")
		db2.Close()
		db.Close()
	})

	t.Run("kept copy after restore", func(t *testing.T) {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		kept, err := Restore(ctx, filepath.Join(dir, "backup.db"), path)
		if err != nil {
			t.Fatal(err)
		}
		wantPrivate(t, kept, path)
		for _, s := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(kept + s); err == nil {
				wantPrivate(t, kept+s)
			} else if !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
	})

	// No file of the database's directory is left readable by others.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 && fi.Mode().Type() != fs.ModeDir {
			t.Errorf("%s has mode %v", e.Name(), fi.Mode().Perm())
		}
	}
}
