package storage

import (
	"database/sql"
	"fmt"
	"time"
)

// timeFormat is the one format every time is stored in: UTC with a fixed
// number of fraction digits, so stored times sort and compare as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime formats t for storage.
func formatTime(t time.Time) string {
	return t.UTC().Format(timeFormat)
}

// nullTime formats t for a nullable column: the zero time is NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

// parseTime parses a stored time; NULL or "" is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeFormat, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// timeScanner scans a stored time column into a time.Time.
type timeScanner struct{ t *time.Time }

func (ts timeScanner) Scan(v any) error {
	var s sql.NullString
	if err := s.Scan(v); err != nil {
		return err
	}
	t, err := parseTime(s)
	if err != nil {
		return err
	}
	*ts.t = t
	return nil
}

// scanTime returns a Scan destination that fills *t from a stored time.
func scanTime(t *time.Time) sql.Scanner { return timeScanner{t} }
