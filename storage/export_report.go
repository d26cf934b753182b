package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/wijkbv/wijkbot/commands"
)

var _ commands.ReportStore = (*DB)(nil)

// CollectiveReport returns everything recorded about the collective in one
// read transaction, so the files of one export agree with each other.
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) CollectiveReport(ctx context.Context, collectiveID int64) (*commands.CollectiveReport, error) {
	var r commands.CollectiveReport
	err := db.read(ctx, func(tx *sql.Tx) error {
		c, err := findCollective(ctx, tx, `id = ?`, collectiveID)
		if err != nil {
			return err
		}
		r.Collective = *c
		if r.Panel, err = queryAll(ctx, tx, scanElement, panelSQL, collectiveID); err != nil {
			return fmt.Errorf("panel: %w", err)
		}
		if r.Entries, err = queryAll(ctx, tx, scanEntry, `SELECT `+entryColumns+` FROM entries e
			WHERE e.collective_id = ? ORDER BY e.id`, collectiveID); err != nil {
			return fmt.Errorf("entries: %w", err)
		}
		if r.Requests, err = queryAll(ctx, tx, scanRequest, `SELECT `+requestColumns+requestFrom+
			`WHERE r.collective_id = ? ORDER BY r.number`, collectiveID); err != nil {
			return fmt.Errorf("help requests: %w", err)
		}
		if err := reportAnswers(ctx, tx, collectiveID, r.Requests); err != nil {
			return err
		}
		if r.SliderChanges, err = queryAll(ctx, tx, scanSliderChange, `SELECT `+sliderChangeColumns+`
			FROM slider_changes s JOIN elements e ON e.id = s.element_id
			WHERE s.collective_id = ? ORDER BY s.created_at, s.id`, collectiveID); err != nil {
			return fmt.Errorf("slider changes: %w", err)
		}
		if r.Rounds, err = queryAll(ctx, tx, scanRound, `SELECT `+roundColumns+` FROM checkin_rounds
			WHERE collective_id = ? ORDER BY scheduled_at`, collectiveID); err != nil {
			return fmt.Errorf("check-in rounds: %w", err)
		}
		if r.CheckinAnswers, err = queryAll(ctx, tx, scanCheckinAnswer, `SELECT a.round_id, a.text, a.author_name, a.created_at
			FROM checkin_answers a JOIN checkin_rounds r ON r.id = a.round_id
			WHERE r.collective_id = ? ORDER BY r.scheduled_at, a.id`, collectiveID); err != nil {
			return fmt.Errorf("check-in answers: %w", err)
		}
		if r.Lessons, err = queryAll(ctx, tx, scanLesson, `SELECT `+lessonColumns+`, ''`+lessonFrom+
			`WHERE l.collective_id = ? ORDER BY l.number`, collectiveID); err != nil {
			return fmt.Errorf("lessons: %w", err)
		}
		return nil
	})
	if err != nil {
		if commands.ErrorCode(err) != commands.EINTERNAL {
			return nil, err
		}
		return nil, fmt.Errorf("collective report: %w", err)
	}
	return &r, nil
}

// reportAnswers fills in the answers of the collective's requests with one
// query instead of one per request.
func reportAnswers(ctx context.Context, tx *sql.Tx, collectiveID int64, reqs []commands.HelpRequest) error {
	index := make(map[int64]int, len(reqs))
	for i, r := range reqs {
		index[r.Number] = i
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.number, a.text, a.author_name, a.created_at
		FROM help_answers a JOIN help_requests r ON r.number = a.number
		WHERE r.collective_id = ? ORDER BY a.number, a.id`, collectiveID)
	if err != nil {
		return fmt.Errorf("help answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var number int64
		var a commands.Answer
		if err := rows.Scan(&number, &a.Text, &a.Author, scanTime(&a.CreatedAt)); err != nil {
			return fmt.Errorf("help answers: %w", err)
		}
		if i, ok := index[number]; ok {
			reqs[i].Answers = append(reqs[i].Answers, a)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("help answers: %w", err)
	}
	return nil
}
