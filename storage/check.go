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

// Check makes sure the database can do its job before the bot takes any
// command: PRAGMA quick_check finds no damage, and a write goes through the
// path every command's write takes (Probe). A read-only or damaged file
// otherwise starts fine and then answers every command with an apology.
func (db *DB) Check(ctx context.Context) error {
	problems, err := queryAll(ctx, db.db, scanString, `PRAGMA quick_check`)
	if err != nil {
		return fmt.Errorf("%w: the file is damaged or unreadable (quick_check: %w); restore a backup (wijkbot restore)", ErrUnusable, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
		}
		return fmt.Errorf("%w: the file is damaged (quick_check: %s); restore a backup (wijkbot restore)",
			ErrUnusable, strings.Join(problems, "; "))
	}
	if err := db.Probe(ctx); err != nil {
		return fmt.Errorf("%w: it takes no writes (%w); check that the file, its folder and the disk are writable", ErrUnusable, err)
	}
	return nil
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
