package storage

import (
	"database/sql"
	"math/rand/v2"
	"testing"
	"time"
)

// parseTime's fast path reads exactly what time.Parse reads, and leaves
// anything else (other zones, values out of range) to it.
func TestParseTimeAsTimeParse(t *testing.T) {
	in := []string{
		"2026-11-30T15:00:00.000000000Z", "2028-02-29T23:59:59.999999999Z", "0001-01-01T00:00:00.000000000Z",
		"2026-11-31T10:00:00.000000000Z", "2027-02-29T10:00:00.000000000Z", "2026-13-01T10:00:00.000000000Z",
		"2026-00-01T10:00:00.000000000Z", "2026-11-00T10:00:00.000000000Z", "2026-11-30T24:00:00.000000000Z",
		"2026-11-30T15:60:00.000000000Z", "2026-11-30T15:00:60.000000000Z", "2026-11-30T15:00:00.00000000xZ",
		"2026-11-30T16:00:00.000000000+01:00", "2026-11-30T15:00:00Z", "2026-11-30 15:00:00.000000000Z",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		in = append(in, formatTime(time.Unix(rng.Int64N(1<<36), rng.Int64N(1e9))))
	}
	for _, s := range in {
		want, wantErr := time.Parse(timeFormat, s)
		got, err := parseTime(sql.NullString{String: s, Valid: true})
		if (err != nil) != (wantErr != nil) || wantErr == nil && (!got.Equal(want) || got.Location() != time.UTC) {
			t.Errorf("parseTime(%q) = %v, %v; time.Parse gives %v, %v", s, got, err, want.UTC(), wantErr)
		}
	}
}
