package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

const roundColumns = `id, collective_id, scheduled_at, status, posted_at`

func scanRound(row scanner) (commands.Round, error) {
	var r commands.Round
	err := row.Scan(&r.ID, &r.CollectiveID, scanTime(&r.ScheduledAt), &r.Status, scanTime(&r.PostedAt))
	return r, err
}

// ClaimRound records the round as claimed for posting. claimed is false if
// the round already exists (another process or an earlier run has it); the
// existing round is returned then. The UNIQUE (collective, scheduled time)
// constraint makes this safe across processes and restarts.
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) ClaimRound(ctx context.Context, collectiveID int64, scheduledAt time.Time) (r *commands.Round, claimed bool, err error) {
	err = db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := findCollective(ctx, tx, `id = ?`, collectiveID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO checkin_rounds (collective_id, scheduled_at, status, created_at)
			VALUES (?, ?, 'claimed', ?) ON CONFLICT (collective_id, scheduled_at) DO NOTHING`,
			collectiveID, formatTime(scheduledAt), formatTime(db.now()))
		if err != nil {
			return fmt.Errorf("claim round: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("claim round: %w", err)
		}
		claimed = n == 1
		found, err := scanRound(tx.QueryRowContext(ctx, `SELECT `+roundColumns+` FROM checkin_rounds
			WHERE collective_id = ? AND scheduled_at = ?`, collectiveID, formatTime(scheduledAt)))
		if err != nil {
			return fmt.Errorf("claim round: %w", err)
		}
		r = &found
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return r, claimed, nil
}

// MarkRoundPosted marks a claimed round as posted.
// Returns ENOTFOUND if there is no such round.
func (db *DB) MarkRoundPosted(ctx context.Context, roundID int64) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE checkin_rounds SET status = 'posted', posted_at = ? WHERE id = ?`,
			formatTime(db.now()), roundID)
		if err != nil {
			return fmt.Errorf("mark round posted: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("mark round posted: %w", err)
		} else if n == 0 {
			return fmt.Errorf("check-in round not found: %w", commands.ErrNotFound)
		}
		return nil
	})
}

// MarkRoundMissed records a round that is too late to post. A round that
// already exists (claimed or posted) is left as it is.
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) MarkRoundMissed(ctx context.Context, collectiveID int64, scheduledAt time.Time) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := findCollective(ctx, tx, `id = ?`, collectiveID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_rounds (collective_id, scheduled_at, status, created_at)
			VALUES (?, ?, 'missed', ?) ON CONFLICT (collective_id, scheduled_at) DO NOTHING`,
			collectiveID, formatTime(scheduledAt), formatTime(db.now())); err != nil {
			return fmt.Errorf("mark round missed: %w", err)
		}
		return nil
	})
}

// LatestRound returns the collective's latest posted round.
// Returns ENOTFOUND if none was posted yet.
func (db *DB) LatestRound(ctx context.Context, collectiveID int64) (*commands.Round, error) {
	var r commands.Round
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		r, err = scanRound(tx.QueryRowContext(ctx, `SELECT `+roundColumns+` FROM checkin_rounds
			WHERE collective_id = ? AND status = 'posted' ORDER BY scheduled_at DESC LIMIT 1`, collectiveID))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no check-in round posted yet: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("latest round: %w", err)
	}
	return &r, nil
}

// AddCheckinAnswer stores an answer to the round.
// Returns ENOTFOUND if there is no such round.
func (db *DB) AddCheckinAnswer(ctx context.Context, ev string, roundID int64, text string, by commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM checkin_rounds WHERE id = ?`, roundID).Scan(&n); err != nil {
			return fmt.Errorf("add check-in answer: %w", err)
		} else if n == 0 {
			return fmt.Errorf("check-in round not found: %w", commands.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_answers (round_id, text, author_id, author_name, created_at)
			VALUES (?, ?, ?, ?, ?)`, roundID, text, who.id, who.name, formatTime(db.now())); err != nil {
			return fmt.Errorf("add check-in answer: %w", err)
		}
		return nil
	})
}

// CheckinAnswers returns the answers to a round, oldest first.
func (db *DB) CheckinAnswers(ctx context.Context, roundID int64) ([]commands.CheckinAnswer, error) {
	var list []commands.CheckinAnswer
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanCheckinAnswer, `SELECT round_id, text, author_name, created_at
			FROM checkin_answers WHERE round_id = ? ORDER BY id`, roundID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("check-in answers: %w", err)
	}
	return list, nil
}

// PostedRounds returns, for every collective that has one, the latest round
// posted with a scheduled time in [from, to), with its number of answers:
// the digest's state of every collective in one query, on the index
// checkin_rounds_scheduled (a week's rounds, not every round ever posted;
// the unary + keeps the planner off checkin_rounds_status, which holds
// nearly every round).
func (db *DB) PostedRounds(ctx context.Context, from, to time.Time) ([]commands.RoundTally, error) {
	var list []commands.RoundTally
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, func(row scanner) (commands.RoundTally, error) {
			var t commands.RoundTally
			err := row.Scan(&t.ID, &t.CollectiveID, scanTime(&t.ScheduledAt), &t.Status, scanTime(&t.PostedAt), &t.Answers)
			return t, err
		}, `SELECT r.id, r.collective_id, r.scheduled_at, r.status, r.posted_at,
				(SELECT COUNT(*) FROM checkin_answers a WHERE a.round_id = r.id)
			FROM checkin_rounds r
			WHERE r.scheduled_at >= ? AND r.scheduled_at < ? AND +r.status = 'posted'
				AND NOT EXISTS (SELECT 1 FROM checkin_rounds later WHERE later.collective_id = r.collective_id
					AND later.status = 'posted' AND later.scheduled_at > r.scheduled_at AND later.scheduled_at < ?)`,
			formatTime(from), formatTime(to), formatTime(to))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("posted rounds: %w", err)
	}
	return list, nil
}
