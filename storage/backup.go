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
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
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
// first: a running bot keeps the old file open and would go on writing to it.
// SQLite cannot tell us that another process has the file open, so Restore
// refuses while the run lease is held (the bot, also on another machine)
// or while any process holds the file open through Open (the bot, a
// standby, a console: the lock beside the file, openlock.go), with an
// *InUseError naming them where the system says; it holds that lock
// itself until the new file is in place.
//
// The backup may be a file of `wijkbot backup` or a copy of a database's
// files taken as they were (the main file and its -wal, say of a bot that
// crashed): its -wal holds acknowledged commits the main file does not have
// yet. So Restore never copies the main file alone: it copies the backup
// with its -wal into a new private directory beside the database,
// checkpoints that copy into one file (journal_mode DELETE, no -wal left),
// checks it (PRAGMA integrity_check, and that it is a wijkbot database) and
// puts exactly that checked file in place.
//
// Nothing is replaced or followed: the staging directory is new
// (MkdirTemp), every file is created with O_EXCL|O_NOFOLLOW, and the
// database it replaces is moved, with its -wal and -shm, to keptAs by hard
// links that fail rather than overwrite (a second restore in the same second
// gets "-2"). keptAs is "" when there was no database. The backup itself
// stays as it is.
func Restore(ctx context.Context, backupPath, dbPath string) (keptAs string, err error) {
	if backupPath == "" || dbPath == "" {
		return "", errors.New("restore: need a backup file and a database file")
	}
	if same, err := sameFile(backupPath, dbPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	} else if same {
		return "", fmt.Errorf("restore: %s is the database itself", backupPath)
	}
	if err := refuseRunning(ctx, dbPath); err != nil {
		return "", err
	}
	// Held until the new file is in place: no process has the database
	// open meanwhile, and none opens it (Open returns ErrRestoring).
	lock, err := lockExclusive(dbPath)
	if err != nil {
		var inUse *InUseError
		if errors.As(err, &inUse) {
			return "", err
		}
		return "", fmt.Errorf("restore: %w", err)
	}
	defer closeLock(lock)
	stage, err := os.MkdirTemp(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+".restoring-")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(stage)
	staged := filepath.Join(stage, "restore.db")
	if err := stageCheckpointed(ctx, backupPath, staged); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Lstat(dbPath); err == nil {
		if keptAs, err = keepAside(dbPath); err != nil {
			return "", fmt.Errorf("restore: keep the old database: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("restore: %w", err)
	} else if err := refuseStrays(dbPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := placeNew(staged, dbPath); err != nil {
		return keptAs, fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(dbPath))
	return keptAs, nil
}

// refuseRunning fails when a wijkbot process holds the run lease on the
// database at dbPath: it would go on writing to the replaced file. (A
// process that died leaves a lease that expires within seconds.)
func refuseRunning(ctx context.Context, dbPath string) error {
	if _, err := os.Stat(dbPath); err != nil {
		return nil // no database (yet), or Restore says why later
	}
	if _, err := os.Lstat(dbPath + "-wal"); err != nil {
		// A process with the database open keeps its -wal; without one
		// nobody runs it, and opening it would create -wal and -shm.
		return nil
	}
	sdb, err := sql.Open(driverName, "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil
	}
	defer sdb.Close()
	var holder string
	var expires time.Time
	err = sdb.QueryRowContext(ctx, `SELECT holder, expires_at FROM leases WHERE name = 'run'`).Scan(&holder, scanTime(&expires))
	if err != nil {
		return nil // no lease table (an older database) or no lease: nobody runs it
	}
	if time.Now().Before(expires) {
		until := expires.UTC().Format(time.RFC3339)
		return fmt.Errorf("herstel geweigerd: de bot (%s) draait op %s; stop hem eerst (zijn lease loopt tot %s) en herstel daarna opnieuw. Er is niets veranderd.\n"+
			"restore refused: a wijkbot process (%s) is running on %s; stop it first (its lease runs until %s), then restore again. Nothing was changed.",
			holder, dbPath, until, holder, dbPath, until)
	}
	return nil
}

// stageCheckpointed copies the backup (with its -wal, if any) to the new
// file staged, folds the -wal into it and checks the result.
func stageCheckpointed(ctx context.Context, backupPath, staged string) error {
	if err := copyFile(backupPath, staged); err != nil {
		return err
	}
	if err := copyFile(backupPath+"-wal", staged+"-wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	sdb, err := sql.Open(driverName, "file:"+staged+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", backupPath, err)
	}
	// One connection: the checkpoint and the journal mode are per file, but
	// a second pooled connection would keep the -wal open.
	sdb.SetMaxOpenConns(1)
	var mode string
	err = sdb.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode)
	if cerr := sdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: cannot fold its -wal into it: %w", backupPath, err)
	}
	if mode != "delete" {
		return fmt.Errorf("%s: cannot fold its -wal into it (journal mode stays %s)", backupPath, mode)
	}
	if _, err := os.Lstat(staged + "-wal"); err == nil {
		return fmt.Errorf("%s: its -wal could not be folded into it", backupPath)
	}
	if err := CheckIntegrity(ctx, staged); err != nil {
		// Name the backup, not the staging file the user never sees.
		return errors.New(strings.ReplaceAll(err.Error(), staged, backupPath))
	}
	return syncFile(staged)
}

// keepAside moves the database at dbPath, with its -wal and -shm, to a
// new name <db>.before-restore-<time>[-N] and returns it. Every move is a
// hard link that fails when the name is taken, so nothing is replaced.
func keepAside(dbPath string) (string, error) {
	base := dbPath + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
	for n := 1; n < 1000; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		if taken(name) || taken(name+"-wal") || taken(name+"-shm") {
			continue
		}
		if err := moveNew(dbPath, name); errors.Is(err, fs.ErrExist) {
			continue // taken in the meantime
		} else if err != nil {
			return "", err
		}
		// The -wal belongs to the old file: left beside the new one, SQLite
		// would replay it into the restored database. It goes with it.
		for _, suffix := range []string{"-wal", "-shm"} {
			if err := moveNew(dbPath+suffix, name+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return name, err
			}
		}
		// The kept copy holds everyone's personal data, whatever mode an
		// older version gave the database.
		for _, suffix := range dbSuffixes {
			if err := chmodPrivate(name + suffix); err != nil {
				return name, err
			}
		}
		return name, nil
	}
	return "", fmt.Errorf("no free name beside %s", base)
}

// refuseStrays fails when a -wal or -shm lies beside a missing database: it
// belongs to no file we know and would be replayed into the restored one.
func refuseStrays(dbPath string) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		if taken(dbPath + suffix) {
			return fmt.Errorf("%s exists without its database; move it away first", dbPath+suffix)
		}
	}
	return nil
}

func taken(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// moveNew renames src to dst, failing with fs.ErrExist if dst exists (a
// hard link never replaces; a symlink at src is moved, not followed).
func moveNew(src, dst string) error {
	if _, err := os.Lstat(src); err != nil {
		return err
	}
	if err := os.Link(src, dst); err != nil {
		return err
	}
	return os.Remove(src)
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

// copyFile copies src to a new file dst and syncs it. dst must not exist
// (O_EXCL) and is never reached through a symlink (O_NOFOLLOW).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, privateMode)
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
