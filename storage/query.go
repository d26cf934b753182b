package storage

import (
	"context"
	"database/sql"
	"strings"

	"github.com/wijkbv/wijkbot/commands"
)

// scanner is one row to read: a *sql.Row or the current row of *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// querier runs a query: a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll runs query and reads every row with scan. Each kind of record
// has one scan function (below or beside its columns), used both here and
// with QueryRowContext, so a record is read the same way everywhere.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// scanString reads a row of one text column.
func scanString(row scanner) (s string, err error) {
	err = row.Scan(&s)
	return s, err
}

// scanEntry reads the entryColumns.
func scanEntry(row scanner) (commands.Entry, error) {
	var e commands.Entry
	var themes string
	if err := row.Scan(&e.ID, &e.CollectiveID, &e.Text, &e.Milestone, &e.Author, &e.Source,
		scanTime(&e.CreatedAt), &themes); err != nil {
		return e, err
	}
	// Themes are joined with the unit separator, a control character
	// commands.CleanText never lets into user text.
	if themes != "" {
		e.Themes = strings.Split(themes, "\x1f")
	}
	return e, nil
}

// scanSliderChange reads the sliderChangeColumns.
func scanSliderChange(row scanner) (commands.SliderChange, error) {
	var c commands.SliderChange
	var prev sql.NullInt64
	err := row.Scan(&c.ID, &c.CollectiveID, &c.ElementID, &c.ElementName, &c.Value, &prev,
		&c.Who, &c.Why, scanTime(&c.At))
	c.Previous, c.HadPrevious = int(prev.Int64), prev.Valid
	return c, err
}

// scanElement reads a row of panelSQL.
func scanElement(row scanner) (commands.Element, error) {
	var e commands.Element
	var value sql.NullInt64
	err := row.Scan(&e.ID, &e.CollectiveID, &e.Name, &e.Description, &value, scanTime(&e.UpdatedAt))
	e.Value, e.IsSet = int(value.Int64), value.Valid
	return e, err
}

// scanAnswer reads text, author_name, created_at of help_answers.
func scanAnswer(row scanner) (commands.Answer, error) {
	var a commands.Answer
	err := row.Scan(&a.Text, &a.Author, scanTime(&a.CreatedAt))
	return a, err
}

// scanCheckinAnswer reads round_id, text, author_name, created_at of
// checkin_answers.
func scanCheckinAnswer(row scanner) (commands.CheckinAnswer, error) {
	var a commands.CheckinAnswer
	err := row.Scan(&a.RoundID, &a.Text, &a.Author, scanTime(&a.CreatedAt))
	return a, err
}

// scanExpertAnswer reads text, author_name, created_at and
// COALESCE(expert_id, 0) of help_answers.
func scanExpertAnswer(row scanner) (commands.Answer, error) {
	var a commands.Answer
	err := row.Scan(&a.Text, &a.Author, scanTime(&a.CreatedAt), &a.ExpertID)
	return a, err
}
