package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wijkbv/wijkbot/commands"
)

const requestColumns = `r.number, r.collective_id, c.name, r.expertise, r.question, r.status,
	r.asked_by_name, r.claimed_by_name, r.feedback, r.created_at, r.claimed_at, r.answered_at, r.resolved_at,
	COALESCE(r.claimed_by_expert_id, 0)`

const requestFrom = ` FROM help_requests r JOIN collectives c ON c.id = r.collective_id `

func scanRequest(row scanner) (commands.HelpRequest, error) {
	var r commands.HelpRequest
	err := row.Scan(&r.Number, &r.CollectiveID, &r.CollectiveName, &r.Expertise, &r.Question, &r.Status,
		&r.AskedBy, &r.ClaimedBy, &r.Feedback, scanTime(&r.CreatedAt), scanTime(&r.ClaimedAt),
		scanTime(&r.AnsweredAt), scanTime(&r.ResolvedAt), &r.ClaimedByExpert)
	return r, err
}

// findRequest returns the request with its answers. Returns ENOTFOUND.
func findRequest(ctx context.Context, tx *sql.Tx, number int64) (*commands.HelpRequest, error) {
	r, err := scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestColumns+requestFrom+`WHERE r.number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("help request #%d not found: %w", number, commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("find help request: %w", err)
	}
	if r.Answers, err = queryAll(ctx, tx, scanExpertAnswer, `SELECT text, author_name, created_at, COALESCE(expert_id, 0)
		FROM help_answers WHERE number = ? ORDER BY id`, number); err != nil {
		return nil, fmt.Errorf("find help answers: %w", err)
	}
	if r.OfferedTo, err = queryAll(ctx, tx, scanString, `SELECT e.name FROM help_offers o JOIN experts e ON e.id = o.expert_id
		WHERE o.number = ? ORDER BY o.offered_at, e.name_key`, number); err != nil {
		return nil, fmt.Errorf("find help offers: %w", err)
	}
	return &r, nil
}

// CreateRequest stores r with the next programme-wide number (Number,
// Status, AskedBy, CollectiveName and CreatedAt are set). The write lock is
// taken at BEGIN, so concurrent requests never get the same number, and a
// collective that already has maxWaiting requests without an answer (open
// or claimed) gets commands.ErrTooManyWaiting and nothing is stored; the
// count and the insert are one transaction, so two members asking at the
// same moment cannot both pass it. maxWaiting 0 means no limit.
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) CreateRequest(ctx context.Context, ev string, r *commands.HelpRequest, by commands.UserRef, maxWaiting int) error {
	var stored *commands.HelpRequest
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		if _, err := findCollective(ctx, tx, `id = ?`, r.CollectiveID); err != nil {
			return err
		}
		if maxWaiting > 0 {
			var waiting int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM help_requests
				WHERE collective_id = ? AND status IN ('open', 'claimed')`, r.CollectiveID).Scan(&waiting); err != nil {
				return fmt.Errorf("count waiting help requests: %w", err)
			}
			if waiting >= maxWaiting {
				return fmt.Errorf("collective %d has %d help requests waiting: %w", r.CollectiveID, waiting, commands.ErrTooManyWaiting)
			}
		}
		var number int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM help_requests`).Scan(&number); err != nil {
			return fmt.Errorf("create help request: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO help_requests
			(number, collective_id, expertise, question, status, asked_by_id, asked_by_name, created_at)
			VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
			number, r.CollectiveID, r.Expertise, r.Question, who.id, who.name, formatTime(db.now())); err != nil {
			return fmt.Errorf("create help request: %w", err)
		}
		stored, err = findRequest(ctx, tx, number)
		return err
	})
	if err != nil {
		return err
	}
	*r = *stored
	return nil
}

// Request returns the request with its answers. Returns ENOTFOUND.
func (db *DB) Request(ctx context.Context, number int64) (*commands.HelpRequest, error) {
	var r *commands.HelpRequest
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		r, err = findRequest(ctx, tx, number)
		return err
	})
	return r, err
}

// Requests returns the collective's requests, newest first, without answers.
func (db *DB) Requests(ctx context.Context, collectiveID int64) ([]commands.HelpRequest, error) {
	var list []commands.HelpRequest
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanRequest, `SELECT `+requestColumns+requestFrom+
			`WHERE r.collective_id = ? ORDER BY r.number DESC`, collectiveID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("help requests: %w", err)
	}
	return list, nil
}

// OpenRequests returns every unresolved request, oldest first, without answers.
func (db *DB) OpenRequests(ctx context.Context) ([]commands.HelpRequest, error) {
	var list []commands.HelpRequest
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanRequest, openRequestsSQL)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open help requests: %w", err)
	}
	return list, nil
}

// openRequestsSQL is OpenRequests' statement. The scheduler's alerts run
// it every minute: the states listed (not "<> 'resolved'", which no index
// serves) are ranges of help_requests_status, so it reads the queue, not
// every request ever asked (TestOpenRequestsPlan).
const openRequestsSQL = `SELECT ` + requestColumns + requestFrom +
	`WHERE r.status IN ` + unresolved + ` ORDER BY r.number`

// changeRequest runs change on the request inside one write transaction and
// returns the request as stored afterwards. change sees the request's state
// and the claimer's people id as they are in that transaction.
func (db *DB) changeRequest(ctx context.Context, ev string, number int64, by commands.UserRef,
	change func(tx *sql.Tx, r *commands.HelpRequest, claimer sql.NullInt64, who author) error) (*commands.HelpRequest, error) {
	var stored *commands.HelpRequest
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		r, err := findRequest(ctx, tx, number)
		if err != nil {
			return err
		}
		var claimer sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT claimed_by_id FROM help_requests WHERE number = ?`, number).Scan(&claimer); err != nil {
			return fmt.Errorf("help request claimer: %w", err)
		}
		if err := change(tx, r, claimer, who); err != nil {
			return err
		}
		stored, err = findRequest(ctx, tx, number)
		return err
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// ClaimRequest assigns the request to by. Claiming twice is fine, and so is
// claiming a request whose claimer has since been erased (/vergeetmij). The
// claim is the one conditional UPDATE of takeRequest, so of two claims
// racing (staff here, an expert on another platform or in another process)
// exactly one wins. Returns ENOTFOUND, or ECONFLICT (commands.ErrResolved,
// commands.ErrTakenByOther).
func (db *DB) ClaimRequest(ctx context.Context, ev string, number int64, by commands.UserRef) (*commands.HelpRequest, error) {
	return db.changeRequest(ctx, ev, number, by, func(tx *sql.Tx, r *commands.HelpRequest, claimer sql.NullInt64, who author) error {
		return db.takeRequest(ctx, tx, number, who, nil)
	})
}

// takeSQL is the one statement that decides who has a request: it sets the
// claimer only where there is none (NULL: unclaimed, or erased by
// /vergeetmij) on an unresolved request and, for an expert (?3 not NULL),
// only where the request was offered to that expert. Its WHERE is checked
// and the row written under SQLite's write lock, so two claims can never
// both change the row, whichever platform or process they come from.
const takeSQL = `UPDATE help_requests SET
	status = CASE status WHEN 'open' THEN 'claimed' ELSE status END,
	claimed_by_id = ?1, claimed_by_name = ?2, claimed_by_expert_id = ?3, claimed_at = ?4
	WHERE number = ?5 AND status <> 'resolved' AND claimed_by_id IS NULL
		AND (?3 IS NULL OR EXISTS (SELECT 1 FROM help_offers o WHERE o.number = ?5 AND o.expert_id = ?3))`

// takeRequest claims the request for who (as the expert when expert is not
// nil, under the expert's name). When the row did not change it says why:
// nil if who holds it already, else ErrResolved, ErrNotOffered or
// ErrTakenByOther.
func (db *DB) takeRequest(ctx context.Context, tx *sql.Tx, number int64, who author, expert *commands.Expert) error {
	var expertID sql.NullInt64
	name := who.name
	if expert != nil {
		expertID = sql.NullInt64{Int64: expert.ID, Valid: true}
		name = expert.Name
	}
	res, err := tx.ExecContext(ctx, takeSQL, who.id, name, expertID, formatTime(db.now()), number)
	if err != nil {
		return fmt.Errorf("claim help request: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("claim help request: %w", err)
	} else if n == 1 {
		return nil
	}
	var status string
	var claimer, claimerExpert sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT status, claimed_by_id, claimed_by_expert_id FROM help_requests WHERE number = ?`,
		number).Scan(&status, &claimer, &claimerExpert); errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("help request #%d not found: %w", number, commands.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("claim help request: %w", err)
	}
	switch {
	case status == commands.StatusResolved:
		return fmt.Errorf("help request #%d: %w", number, commands.ErrResolved)
	case claimer.Valid && claimer == who.id && claimerExpert == expertID:
		return nil // claiming twice
	case expert != nil && !claimer.Valid:
		return fmt.Errorf("help request #%d: %w", number, commands.ErrNotOffered)
	}
	return fmt.Errorf("help request #%d: %w", number, commands.ErrTakenByOther)
}

// AnswerRequest adds an answer and marks the request answered, claiming it for
// by when unclaimed. Another staff member than the claimer may answer too.
// Returns ENOTFOUND, or ECONFLICT if resolved.
func (db *DB) AnswerRequest(ctx context.Context, ev string, number int64, text string, by commands.UserRef) (*commands.HelpRequest, error) {
	return db.changeRequest(ctx, ev, number, by, func(tx *sql.Tx, r *commands.HelpRequest, claimer sql.NullInt64, who author) error {
		if r.Status == commands.StatusResolved {
			return fmt.Errorf("help request #%d is resolved: %w", number, commands.ErrConflict)
		}
		now := formatTime(db.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO help_answers (number, text, author_id, author_name, created_at)
			VALUES (?, ?, ?, ?, ?)`, number, text, who.id, who.name, now); err != nil {
			return fmt.Errorf("answer help request: %w", err)
		}
		if !claimer.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET claimed_by_id = ?, claimed_by_name = ?, claimed_at = ?,
				claimed_by_expert_id = NULL WHERE number = ?`, who.id, who.name, now, number); err != nil {
				return fmt.Errorf("answer help request: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'answered', answered_at = ? WHERE number = ?`,
			now, number); err != nil {
			return fmt.Errorf("answer help request: %w", err)
		}
		return nil
	})
}

// ResolveRequest closes the request.
// Returns ENOTFOUND, or ECONFLICT if it was already resolved.
func (db *DB) ResolveRequest(ctx context.Context, ev string, number int64, by commands.UserRef) (*commands.HelpRequest, error) {
	return db.changeRequest(ctx, ev, number, by, func(tx *sql.Tx, r *commands.HelpRequest, _ sql.NullInt64, _ author) error {
		if r.Status == commands.StatusResolved {
			return fmt.Errorf("help request #%d is already resolved: %w", number, commands.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'resolved', resolved_at = ? WHERE number = ?`,
			formatTime(db.now()), number); err != nil {
			return fmt.Errorf("resolve help request: %w", err)
		}
		return nil
	})
}

// SetFeedback stores the collective's verdict ("ja"/"nee") on a resolved
// request of that collective. Returns EINVALID for another verdict,
// ENOTFOUND if the collective has no such request, or ECONFLICT if the
// request is not resolved yet or a verdict was already given.
func (db *DB) SetFeedback(ctx context.Context, ev string, collectiveID, number int64, verdict string, by commands.UserRef) error {
	if verdict != "ja" && verdict != "nee" {
		return fmt.Errorf("verdict must be ja or nee: %w", commands.ErrInvalid)
	}
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		r, err := findRequest(ctx, tx, number)
		if err != nil {
			return err
		}
		if r.CollectiveID != collectiveID {
			return fmt.Errorf("help request #%d not found: %w", number, commands.ErrNotFound)
		}
		if r.Status != commands.StatusResolved {
			return fmt.Errorf("help request #%d is not resolved: %w", number, commands.ErrConflict)
		}
		if r.Feedback != "" {
			return fmt.Errorf("help request #%d already has feedback: %w", number, commands.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET feedback = ? WHERE number = ?`, verdict, number); err != nil {
			return fmt.Errorf("help request feedback: %w", err)
		}
		return nil
	})
}
