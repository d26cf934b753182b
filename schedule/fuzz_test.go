package schedule

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse: Parse never panics (robfig/cron does on some input), refuses
// with an *Error, and an accepted schedule's rounds move forward in time.
func FuzzParse(f *testing.F) {
	for _, tt := range parseScheduleTests {
		f.Add(tt.spec)
	}
	for _, s := range []string{"30 2 * * SUN", "0 0 * * *", "CRON_TZ=America/Santiago 0 0 * * *", "*/15 * * * *", "@every 1h", "0 0 31 2,4 *", "TZ=", "@every 9999999h"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		f.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := Parse(spec, loc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T %v, want *Error", spec, err, err)
			}
			return
		}
		at := from
		for i := 0; i < 5; i++ {
			n := s.Next(at)
			if n.IsZero() {
				return
			}
			if !n.After(at) {
				t.Fatalf("Parse(%q): round %d at %v is not after %v", spec, i, n, at)
			}
			at = n
		}
		p := s.Plan(from, from.Add(40*24*time.Hour), 24*time.Hour, time.Time{})
		if len(p.Missed) > MaxMissed {
			t.Fatalf("Parse(%q): %d missed, more than %d", spec, len(p.Missed), MaxMissed)
		}
	})
}
