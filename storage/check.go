package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrUnusable wraps what Check found: the database cannot be trusted with a
// command (damaged, or it takes no writes).
var ErrUnusable = errors.New("database unusable")

// Check makes sure the database can do its job: the whole file passes
// PRAGMA quick_check (Verify) and a write goes through (CheckWritable).
// Verify reads every page, seconds for a large file, so the bot runs
// CheckWritable before it takes commands and Verify after it has started
// (cmd/wijkbot); Check is both at once, for callers that can wait.
func (db *DB) Check(ctx context.Context) error {
	if err := db.Verify(ctx); err != nil {
		return err
	}
	return db.CheckWritable(ctx)
}

// CheckWritable is the start-up check: a write goes through the path every
// command's write takes (Probe). A read-only file or folder, a full disk or
// a write lock held elsewhere would otherwise let the bot start and then
// answer every command with an apology. It costs one small write whatever
// the database's size. What it leaves to Verify is damage in pages a start
// does not read; a file whose header, schema or migrations cannot be read
// has already failed Open.
func (db *DB) CheckWritable(ctx context.Context) error {
	if err := db.Probe(ctx); err != nil {
		return fmt.Errorf("%w: it takes no writes (%w); check that the file, its folder and the disk are writable", ErrUnusable, err)
	}
	return nil
}

// Verify runs PRAGMA quick_check over the whole file (every page, without
// comparing indexes with their tables) and returns ErrUnusable naming the
// damage. Damage does not heal, so a failure is kept: Health reports it
// from then on. A Verify cut short by ctx reports ctx's error and keeps
// nothing.
func (db *DB) Verify(ctx context.Context) error {
	problems, err := queryAll(ctx, db.db, scanString, `PRAGMA quick_check`)
	if ctx.Err() != nil {
		return ctx.Err() // interrupted, which says nothing about the file
	}
	switch {
	case err != nil:
		err = fmt.Errorf("%w: the file is damaged or unreadable (quick_check: %w); restore a backup (wijkbot restore)", ErrUnusable, err)
	case len(problems) != 1 || problems[0] != "ok":
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
		}
		err = fmt.Errorf("%w: the file is damaged (quick_check: %s); restore a backup (wijkbot restore)",
			ErrUnusable, strings.Join(problems, "; "))
	default:
		return nil
	}
	db.damage.Store(&err)
	return err
}

// Health is the database's part of /healthz: the damage a Verify found, if
// one did, else Probe's write (a full disk, a file turned read-only or a
// lost write lock show there; a read does not notice them).
func (db *DB) Health(ctx context.Context) error {
	if err := db.damage.Load(); err != nil {
		return *err
	}
	return db.Probe(ctx)
}

// Probe writes one small row through the committer, as every command's
// write does, and returns its error: the health check's test that commands
// can still be stored (a full disk, a file turned read-only, a lock held by
// another process fail it; a read does not notice them).
func (db *DB) Probe(ctx context.Context) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO state (key, value, updated_at) VALUES ('probe', '', ?)
			ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at`, formatTime(db.now()))
		return err
	})
}
