package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

const collectiveColumns = `id, name, code, schedule, paused_until, created_at`

func scanCollective(row scanner) (commands.Collective, error) {
	var c commands.Collective
	err := row.Scan(&c.ID, &c.Name, &c.Code, &c.Schedule, scanTime(&c.PausedUntil), scanTime(&c.CreatedAt))
	return c, err
}

// summaryColumns are collectiveColumns and the last activity, which
// 070_activity's triggers keep in the row: reading it costs a row per
// collective, not a scan of their history.
const summaryColumns = collectiveColumns + `, last_activity_at`

// scanSummary reads summaryColumns (without the chats).
func scanSummary(row scanner) (commands.CollectiveSummary, error) {
	var s commands.CollectiveSummary
	c := &s.Collective
	err := row.Scan(&c.ID, &c.Name, &c.Code, &c.Schedule, scanTime(&c.PausedUntil), scanTime(&c.CreatedAt), scanTime(&s.LastActivity))
	return s, err
}

// findCollective returns the one collective matching where.
// Returns ENOTFOUND if there is none.
func findCollective(ctx context.Context, tx *sql.Tx, where string, args ...any) (*commands.Collective, error) {
	c, err := scanCollective(tx.QueryRowContext(ctx, `SELECT `+collectiveColumns+` FROM collectives WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("collective not found: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("find collective: %w", err)
	}
	return &c, nil
}

// CreateCollective stores c (ID and CreatedAt are set; Name is trimmed and
// Code stored upper-case).
// Returns EINVALID for an empty name or code, ECONFLICT if the name
// (case- and accent-insensitively) or the code is taken.
func (db *DB) CreateCollective(ctx context.Context, ev string, c *commands.Collective, by commands.UserRef) error {
	name := strings.TrimSpace(c.Name)
	key := commands.NormalizeName(name)
	code := strings.ToUpper(strings.TrimSpace(c.Code))
	if key == "" || code == "" {
		return fmt.Errorf("collective needs a name and a code: %w", commands.ErrInvalid)
	}
	now := db.now()
	var id int64
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collectives WHERE name_key = ?`, key).Scan(&n); err != nil {
			return fmt.Errorf("create collective: %w", err)
		} else if n > 0 {
			return fmt.Errorf("collective name taken: %w", commands.ErrConflict)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collectives WHERE code = ?`, code).Scan(&n); err != nil {
			return fmt.Errorf("create collective: %w", err)
		} else if n > 0 {
			return fmt.Errorf("link code taken: %w", commands.ErrConflict)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO collectives (name, name_key, code, schedule, paused_until, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			name, key, code, c.Schedule, nullTime(c.PausedUntil), formatTime(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("create collective: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.ID, c.Name, c.Code, c.CreatedAt = id, name, code, now
	c.PausedUntil = roundTrip(c.PausedUntil)
	return nil
}

// roundTrip returns t as it reads back from storage.
func roundTrip(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// Collective returns the collective. Returns ENOTFOUND if it does not exist.
func (db *DB) Collective(ctx context.Context, id int64) (*commands.Collective, error) {
	var c *commands.Collective
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		c, err = findCollective(ctx, tx, `id = ?`, id)
		return err
	})
	return c, err
}

// CollectiveByName finds a collective case- and accent-insensitively.
// Returns ENOTFOUND if none has that name.
func (db *DB) CollectiveByName(ctx context.Context, name string) (*commands.Collective, error) {
	var c *commands.Collective
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		c, err = findCollective(ctx, tx, `name_key = ?`, commands.NormalizeName(name))
		return err
	})
	return c, err
}

// Collectives returns every collective with its active chats and last
// activity, by name.
func (db *DB) Collectives(ctx context.Context) ([]commands.CollectiveSummary, error) {
	var list []commands.CollectiveSummary
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+` FROM collectives ORDER BY name_key`)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			s, err := scanSummary(rows)
			if err != nil {
				return err
			}
			index[s.ID] = len(list)
			list = append(list, s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		chats, err := queryAll(ctx, tx, scanChat, `SELECT `+chatColumns+` FROM chats
			WHERE kind = 'collective' AND active = 1 ORDER BY created_at, platform, chat_id`)
		if err != nil {
			return err
		}
		for _, ch := range chats {
			if i, ok := index[ch.CollectiveID]; ok {
				list[i].Chats = append(list[i].Chats, ch)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("collectives: %w", err)
	}
	return list, nil
}

// SetSchedule sets the check-in schedule ("" for the default).
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) SetSchedule(ctx context.Context, ev string, collectiveID int64, schedule string, by commands.UserRef) error {
	return db.updateCollective(ctx, ev, collectiveID, by, `schedule = ?`, strings.TrimSpace(schedule))
}

// SetPause pauses check-ins until the date (zero time ends a pause).
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) SetPause(ctx context.Context, ev string, collectiveID int64, until time.Time, by commands.UserRef) error {
	return db.updateCollective(ctx, ev, collectiveID, by, `paused_until = ?`, nullTime(until))
}

func (db *DB) updateCollective(ctx context.Context, ev string, id int64, by commands.UserRef, set string, arg any) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE collectives SET `+set+` WHERE id = ?`, arg, id)
		if err != nil {
			return fmt.Errorf("update collective: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update collective: %w", err)
		} else if n == 0 {
			return fmt.Errorf("collective not found: %w", commands.ErrNotFound)
		}
		return nil
	})
}
