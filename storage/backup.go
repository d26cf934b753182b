package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Backup writes a consistent copy of the database to path while the bot keeps
// running. It uses VACUUM INTO, which reads one snapshot in a read
// transaction: writers are not blocked (WAL) and the copy holds every commit
// made before it started and none made after. The copy is compact (free pages
// are dropped) and a complete database on its own, without a -wal file.
//
// Backup refuses to overwrite an existing file. The copy is written under a
// temporary name and appears under path only when complete and synced, so a
// crash never leaves a half-written file that looks like a backup.
func (db *DB) Backup(ctx context.Context, path string) error {
	if path == "" {
		return errors.New("backup: no file name given")
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := path + ".partial"
	// A leftover from a crashed backup is ours to replace; VACUUM INTO would
	// refuse it.
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	// The copy holds everyone's personal data: readable by the owner only,
	// from the first byte (VACUUM INTO accepts an empty file).
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := placeNew(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// Restore puts a backup in place of the database at dbPath. Stop the bot
// first: a running bot keeps the old file open and would go on writing to it
// (SQLite cannot tell us reliably that another process has the file open).
//
// The backup is checked first (PRAGMA integrity_check, and that it is a
// wijkbot database). The database it replaces is not deleted: it is renamed,
// with its -wal and -shm files, to keptAs ("" when there was none), so a
// mistaken restore can be undone by hand. The backup file itself is copied,
// never moved, and stays as it is.
func Restore(ctx context.Context, backupPath, dbPath string) (keptAs string, err error) {
	if backupPath == "" || dbPath == "" {
		return "", errors.New("restore: need a backup file and a database file")
	}
	if same, err := sameFile(backupPath, dbPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	} else if same {
		return "", fmt.Errorf("restore: %s is the database itself", backupPath)
	}
	if err := CheckIntegrity(ctx, backupPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(backupPath, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Lstat(dbPath); err == nil {
		keptAs = fmt.Sprintf("%s.before-restore-%s", dbPath, time.Now().UTC().Format("20060102T150405Z"))
		// The -wal belongs to the old file: left beside the new one, SQLite
		// would replay it into the restored database and corrupt it. Move
		// the three together so the old database stays usable as it was.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			err := os.Rename(dbPath+suffix, keptAs+suffix)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				os.Remove(tmp)
				return "", fmt.Errorf("restore: keep the old database: %w", err)
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		os.Remove(tmp)
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return keptAs, fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(dbPath))
	return keptAs, nil
}

// CheckIntegrity opens the database file read-only and runs PRAGMA
// integrity_check; it also checks that the file is a wijkbot database (it
// has the migrations table), so a wrong file is not restored.
func CheckIntegrity(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	sdb, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer sdb.Close()
	problems, err := queryAll(ctx, sdb, scanString, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("%s is damaged: %s", path, strings.Join(problems, "; "))
	}
	var n int
	if err := sdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("%s is not a wijkbot database", path)
	}
	return nil
}

// placeNew gives the finished file tmp the name path, failing if path exists
// by now. A hard link cannot replace a file; where links are not supported
// the rename after a second look is the best there is.
func placeNew(tmp, path string) error {
	if err := os.Link(tmp, path); err == nil {
		return os.Remove(tmp)
	} else if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	return os.Rename(tmp, path)
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// copyFile copies src to a new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable. Not every system can sync a
// directory; the rename is then as durable as the system makes it.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	d.Sync()
}
