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
	if t, ok := parseUTC(s.String); ok {
		return t, nil
	}
	t, err := time.Parse(timeFormat, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// parseUTC parses a time as formatTime writes it
// ("2026-11-30T15:00:00.000000000Z"), without time.Parse's general
// machinery: listings read a time or two per row, and at 10,000
// collectives time.Parse was a tenth of the scheduler's tick. ok is false
// for anything else (another zone, a value out of range), which
// time.Parse then reads or refuses.
func parseUTC(s string) (t time.Time, ok bool) {
	if len(s) != 30 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[29] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) int {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				ok = false
				return 0
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	ok = true
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec, nsec := num(11, 13), num(14, 16), num(17, 19), num(20, 29)
	if !ok || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 31 November
		return time.Time{}, false
	}
	return t, true
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
