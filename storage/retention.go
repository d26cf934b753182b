package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkinRetentionSQL deletes, per table, the rows Personal keeps for
// WIJKBOT_CHECKIN_RETENTION (check-in answers).
var checkinRetentionSQL = retentionStatements(Personal, CheckinRetention)

// DeleteCheckinAnswersBefore deletes the rows whose personal columns are kept
// for WIJKBOT_CHECKIN_RETENTION (Personal: the check-in answers) written
// before cutoff and returns how many it deleted. The rounds themselves stay:
// that a check-in was posted is no personal data.
//
// The deletion is as final as /vergeetmij's (ForgetPerson): secure_delete
// zeroes the rows in the database file, and once the deletion has
// committed, a TRUNCATE checkpoint empties the WAL, which still holds the
// pages with the texts as they were. An error from that checkpoint comes
// with the count: the rows are gone, but the WAL may hold them until the
// next checkpoint.
func (db *DB) DeleteCheckinAnswersBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, "", func(tx *sql.Tx) (err error) {
		n, err = deleteAll(ctx, tx, checkinRetentionSQL, cutoff, "delete old check-in answers")
		return err
	})
	if err != nil || n == 0 {
		return n, err
	}
	if err := db.checkpoint(ctx); err != nil {
		return n, fmt.Errorf("delete old check-in answers: %w", err)
	}
	return n, nil
}

// DeleteEventsBefore forgets the ids of events processed before cutoff and
// returns how many. Platforms re-deliver within hours (Telegram keeps
// updates for 24 hours, a Discord interaction lives 15 minutes), so ids
// older than that only grow the table.
func (db *DB) DeleteEventsBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, "", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM processed_events WHERE at < ?`, formatTime(cutoff))
		if err != nil {
			return fmt.Errorf("delete old event ids: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// DeleteExpired deletes the rows that are of no use after their time and
// name a person: questions waiting for a text (text_asks, a week), login
// links (15 minutes) and web sessions (12 hours); it returns how many.
// SaveAsk and CreateLogin delete them on the way, but without a next
// question or login they stayed for ever.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, "", func(tx *sql.Tx) (err error) {
		n, err = deleteAll(ctx, tx, []string{
			`DELETE FROM text_asks WHERE expires_at <= ?`,
			`DELETE FROM web_login_tokens WHERE expires_at <= ?`,
			`DELETE FROM web_sessions WHERE expires_at <= ?`,
		}, now, "delete expired")
		return err
	})
	return n, err
}

// deleteAll runs each DELETE with the time as its one argument and
// returns the rows they deleted together. It counts from zero on every
// call: a write's fn may run more than once (db.write).
func deleteAll(ctx context.Context, tx *sql.Tx, queries []string, at time.Time, what string) (int64, error) {
	var n int64
	for _, q := range queries {
		res, err := tx.ExecContext(ctx, q, formatTime(at))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		m, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}
