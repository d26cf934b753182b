package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/wijkbv/wijkbot/commands"
)

// AddEntry stores e (ID, CreatedAt and Author are set).
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) AddEntry(ctx context.Context, ev string, e *commands.Entry, by commands.UserRef) error {
	now := db.now()
	var id int64
	var who author
	// The entry's trigger (entries_activity) updates the collective, not
	// its chats: the chat cache stays.
	err := db.writeKeepCaches(ctx, ev, func(tx *sql.Tx) error {
		var err error
		if who, err = db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		// The collective's existence is checked by the insert itself (the
		// schema's reference, enforced: foreign_keys), not by a look-up
		// before it; only when that check fails is the collective looked
		// up, to tell a collective that is gone from another broken
		// reference. An Exec with the new row id costs less than a query
		// with RETURNING, and VALUES less than INSERT … SELECT.
		res, err := tx.ExecContext(ctx, `INSERT INTO entries (collective_id, text, milestone, author_id, author_name, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.CollectiveID, e.Text, e.Milestone, who.id, who.name, e.Source, formatTime(now))
		if err != nil {
			if isForeignKey(err) && collectiveGone(ctx, tx, e.CollectiveID) {
				return fmt.Errorf("collective not found: %w", commands.ErrNotFound)
			}
			return fmt.Errorf("add entry: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("add entry: %w", err)
		}
		for i, theme := range e.Themes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO entry_themes (entry_id, position, theme) VALUES (?, ?, ?)`,
				id, i, strings.ToLower(theme)); err != nil {
				return fmt.Errorf("add entry theme: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.ID, e.CreatedAt, e.Author = id, now, who.name
	return nil
}

const entryColumns = `e.id, e.collective_id, e.text, e.milestone, e.author_name, e.source, e.created_at,
	COALESCE((SELECT group_concat(theme, char(31) ORDER BY position) FROM entry_themes t WHERE t.entry_id = e.id), '')`

// entriesSQL reads a collective's latest entries (/tijdlijn): a range of
// entries_collective, newest first, and each entry's themes on
// entry_themes' key (TestMixedLoadPlansUseIndexes).
const entriesSQL = `SELECT ` + entryColumns + ` FROM entries e
	WHERE e.collective_id = ? ORDER BY e.id DESC LIMIT ?`

// Entries returns the collective's latest entries, newest first; limit <= 0
// means all of them.
func (db *DB) Entries(ctx context.Context, collectiveID int64, limit int) ([]commands.Entry, error) {
	if limit <= 0 {
		limit = -1
	}
	var list []commands.Entry
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanEntry, entriesSQL, collectiveID, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("entries: %w", err)
	}
	return list, nil
}

// collectiveGone says the collective id is not stored; false when the
// look-up fails (the caller reports its own error then).
func collectiveGone(ctx context.Context, tx *sql.Tx, id int64) bool {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collectives WHERE id = ?`, id).Scan(&n)
	return err == nil && n == 0
}
