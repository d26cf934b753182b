package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// LastRoundAt returns the scheduled time of the collective's latest round of
// any status; zero when it has none.
func (db *DB) LastRoundAt(ctx context.Context, collectiveID int64) (time.Time, error) {
	var at time.Time
	err := db.db.QueryRowContext(ctx, `SELECT MAX(scheduled_at) FROM checkin_rounds WHERE collective_id = ?`,
		collectiveID).Scan(scanTime(&at))
	if err != nil {
		return time.Time{}, fmt.Errorf("last round: %w", err)
	}
	return at, nil
}

// RoundMarks returns, for every collective that has rounds, the scheduled
// time of its latest round of any status (LastRoundAt) and its latest
// posted round (as LatestRound, without PostedAt), in one query of two
// index look-ups a collective (checkin_rounds_posted holds the status, so
// no round is read): the scheduler's tick asked both of each collective
// in reads of their own, 0.5 s a minute at 10,000 collectives. In the
// order of the indexes (by collective), so consecutive look-ups share
// their pages.
//
// A posted round scheduled at or before settledBy (the rounds due a
// reminder) is Settled when it has an answer or its reminder's key
// (commands.NudgeKey) is in scheduler_sends: two more look-ups on
// covering indexes for those collectives only. Without them, every tick
// from the reminders until the next round read three times a collective.
func (db *DB) RoundMarks(ctx context.Context, settledBy time.Time) (map[int64]commands.RoundMark, error) {
	marks := map[int64]commands.RoundMark{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, roundMarksSQL, formatTime(settledBy), commands.SendNudge)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var m commands.RoundMark
			var posted sql.NullInt64
			var postedAt time.Time
			if err := rows.Scan(&id, scanTime(&m.Last), &posted, scanTime(&postedAt), &m.Settled); err != nil {
				return err
			}
			if m.Last.IsZero() {
				continue
			}
			if posted.Valid {
				m.Posted = &commands.Round{ID: posted.Int64, CollectiveID: id, ScheduledAt: postedAt, Status: commands.RoundPosted}
			}
			marks[id] = m
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("round marks: %w", err)
	}
	return marks, nil
}

// Rounds returns the collective's rounds scheduled in [from, to), oldest first.
func (db *DB) Rounds(ctx context.Context, collectiveID int64, from, to time.Time) ([]commands.Round, error) {
	list, err := queryAll(ctx, db.db, scanRound, `SELECT `+roundColumns+` FROM checkin_rounds
		WHERE collective_id = ? AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at`,
		collectiveID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	return list, nil
}

// ClaimedRounds returns the rounds claimed but neither posted nor missed,
// oldest first.
func (db *DB) ClaimedRounds(ctx context.Context) ([]commands.Round, error) {
	list, err := queryAll(ctx, db.db, scanRound, `SELECT `+roundColumns+` FROM checkin_rounds
		WHERE status = 'claimed' ORDER BY scheduled_at, id`)
	if err != nil {
		return nil, fmt.Errorf("claimed rounds: %w", err)
	}
	return list, nil
}

// MarkClaimedRoundMissed turns a claimed round into a missed one; a round
// that is no longer claimed is left alone.
func (db *DB) MarkClaimedRoundMissed(ctx context.Context, roundID int64) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE checkin_rounds SET status = 'missed' WHERE id = ? AND status = 'claimed'`,
			roundID); err != nil {
			return fmt.Errorf("mark claimed round missed: %w", err)
		}
		return nil
	})
}

// RoundByMessage returns the round whose check-in was that message.
// Returns ENOTFOUND if the message was not a check-in.
func (db *DB) RoundByMessage(ctx context.Context, chat commands.ChatRef, messageID string) (*commands.Round, error) {
	r, err := scanRound(db.db.QueryRowContext(ctx, `SELECT r.id, r.collective_id, r.scheduled_at, r.status, r.posted_at
		FROM scheduler_deliveries d JOIN checkin_rounds r ON r.id = d.round_id
		WHERE d.platform = ? AND d.chat_id = ? AND d.message_id = ? LIMIT 1`,
		chat.Platform, chat.ID, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no check-in with that message: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("round by message: %w", err)
	}
	return &r, nil
}

// ClaimSend records a one-off send as claimed; claimed is false, with the
// existing status, if the key was recorded before.
func (db *DB) ClaimSend(ctx context.Context, key, kind string, scheduledAt time.Time) (claimed bool, status string, err error) {
	err = db.write(ctx, "", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO scheduler_sends (key, kind, scheduled_at, status, created_at)
			VALUES (?, ?, ?, 'claimed', ?) ON CONFLICT (key) DO NOTHING`,
			key, kind, formatTime(scheduledAt), formatTime(db.now()))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		claimed = n == 1
		return tx.QueryRowContext(ctx, `SELECT status FROM scheduler_sends WHERE key = ?`, key).Scan(&status)
	})
	if err != nil {
		return false, "", fmt.Errorf("claim send %s: %w", key, err)
	}
	return claimed, status, nil
}

// SendStatus returns the status of a send, "" when it was never claimed.
func (db *DB) SendStatus(ctx context.Context, key string) (string, error) {
	var status string
	err := db.db.QueryRowContext(ctx, `SELECT status FROM scheduler_sends WHERE key = ?`, key).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("send status %s: %w", key, err)
	}
	return status, nil
}

// FinishSend sets a send's status to posted or missed.
func (db *DB) FinishSend(ctx context.Context, key, status string) error {
	if status != commands.RoundPosted && status != commands.RoundMissed {
		return fmt.Errorf("finish send %s: bad status %q", key, status)
	}
	return db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE scheduler_sends SET status = ?, finished_at = ? WHERE key = ?`,
			status, formatTime(db.now()), key); err != nil {
			return fmt.Errorf("finish send %s: %w", key, err)
		}
		return nil
	})
}

// ClaimedSends returns the sends claimed but not finished, oldest first.
func (db *DB) ClaimedSends(ctx context.Context) ([]commands.Send, error) {
	list, err := queryAll(ctx, db.db, func(row scanner) (commands.Send, error) {
		var s commands.Send
		err := row.Scan(&s.Key, &s.Kind, scanTime(&s.ScheduledAt), &s.Status)
		return s, err
	}, `SELECT key, kind, scheduled_at, status FROM scheduler_sends
		WHERE status = 'claimed' ORDER BY scheduled_at, key`)
	if err != nil {
		return nil, fmt.Errorf("claimed sends: %w", err)
	}
	return list, nil
}

// LastSendAt returns the scheduled time of the latest send of the kind; zero
// when none.
func (db *DB) LastSendAt(ctx context.Context, kind string) (time.Time, error) {
	var at time.Time
	if err := db.db.QueryRowContext(ctx, `SELECT MAX(scheduled_at) FROM scheduler_sends WHERE kind = ?`, kind).
		Scan(scanTime(&at)); err != nil {
		return time.Time{}, fmt.Errorf("last send: %w", err)
	}
	return at, nil
}

// BeginDelivery claims the delivery of owner's message to one chat: a new
// row, or a failed one with retries left. The primary key makes it the
// per-chat lock across processes.
func (db *DB) BeginDelivery(ctx context.Context, owner string, roundID int64, chat commands.ChatRef, maxFailures int) (ok bool, err error) {
	round := sql.NullInt64{Int64: roundID, Valid: roundID != 0}
	err = db.write(ctx, "", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO scheduler_deliveries (owner, round_id, platform, chat_id, status, updated_at)
			VALUES (?, ?, ?, ?, 'sending', ?)
			ON CONFLICT (owner, platform, chat_id) DO UPDATE SET status = 'sending', updated_at = excluded.updated_at
			WHERE status = 'failed' AND failures < ?`,
			owner, round, chat.Platform, chat.ID, formatTime(db.now()), maxFailures)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("begin delivery %s to %s: %w", owner, chat, err)
	}
	return ok, nil
}

// FinishDelivery records the outcome of a delivery.
func (db *DB) FinishDelivery(ctx context.Context, owner string, chat commands.ChatRef, messageID string, failed bool) error {
	status, add := commands.DeliverySent, 0
	if failed {
		status, add = commands.DeliveryFailed, 1
	}
	msg := sql.NullString{String: messageID, Valid: messageID != ""}
	return db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE scheduler_deliveries SET status = ?, failures = failures + ?,
			message_id = COALESCE(?, message_id), updated_at = ? WHERE owner = ? AND platform = ? AND chat_id = ?`,
			status, add, msg, formatTime(db.now()), owner, chat.Platform, chat.ID); err != nil {
			return fmt.Errorf("finish delivery %s to %s: %w", owner, chat, err)
		}
		return nil
	})
}

// DeliveryCounts counts owner's deliveries begun at all, and failed ones with
// retries left.
func (db *DB) DeliveryCounts(ctx context.Context, owner string, maxFailures int) (begun, retryable int, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(status = 'failed' AND failures < ?), 0)
		FROM scheduler_deliveries WHERE owner = ?`, maxFailures, owner).Scan(&begun, &retryable)
	if err != nil {
		return 0, 0, fmt.Errorf("delivery counts %s: %w", owner, err)
	}
	return begun, retryable, nil
}

// DoneDeliveries returns the chats BeginDelivery would refuse for owner:
// reached, being sent to, or failed maxFailures times. One read on the
// primary key's range, where asking BeginDelivery of each chat is a write
// each.
func (db *DB) DoneDeliveries(ctx context.Context, owner string, maxFailures int) (map[commands.ChatRef]bool, error) {
	done := map[commands.ChatRef]bool{}
	rows, err := db.db.QueryContext(ctx, `SELECT platform, chat_id FROM scheduler_deliveries
		WHERE owner = ? AND NOT (status = 'failed' AND failures < ?)`, owner, maxFailures)
	if err != nil {
		return nil, fmt.Errorf("done deliveries %s: %w", owner, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c commands.ChatRef
		if err := rows.Scan(&c.Platform, &c.ID); err != nil {
			return nil, fmt.Errorf("done deliveries %s: %w", owner, err)
		}
		done[c] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("done deliveries %s: %w", owner, err)
	}
	return done, nil
}

// roundMarksSQL is RoundMarks' statement (?1 settledBy, ?2
// commands.SendNudge, the reminder key's prefix). The CASE asks whether a
// round is settled only of rounds due a reminder. MATERIALIZED computes
// each collective's marks once: flattened, SQLite repeated the look-ups
// of the posted round in the CASE (at 10,000 collectives 31 instead of 20
// ms of CPU, sqlite3 on a copy of the scale database).
const roundMarksSQL = `WITH m AS MATERIALIZED (SELECT c.id AS id,
			(SELECT MAX(scheduled_at) FROM checkin_rounds WHERE collective_id = c.id) AS last,
			(SELECT id FROM checkin_rounds
				WHERE collective_id = c.id AND status = 'posted' ORDER BY scheduled_at DESC LIMIT 1) AS posted,
			(SELECT MAX(scheduled_at) FROM checkin_rounds
				WHERE collective_id = c.id AND status = 'posted') AS posted_at
		FROM collectives c ORDER BY c.id)
	SELECT id, last, posted, posted_at,
		CASE WHEN posted_at <= ?1 THEN
			EXISTS (SELECT 1 FROM checkin_answers a WHERE a.round_id = posted)
			OR EXISTS (SELECT 1 FROM scheduler_sends s WHERE s.key = ?2 || ':' || id || ':' || posted)
		ELSE 0 END
	FROM m`
