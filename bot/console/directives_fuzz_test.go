package console

import (
	"testing"
	"time"
)

// FuzzParseClock: the :klok argument never panics, and a move is forward
// and at most maxMove (so clock arithmetic cannot overflow).
func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"+3d", "2h", "+1d12h", "30m", "1w", "2026-12-07T10:00", "2026-12-07 10:00", "2026-12-07",
		"+99999999999999999999d", "+9223372036854775807m", "+1d-1h", "+", "", "3", "+٣d", "+1W1D1H1M", "+3653d", "+522w"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseClock(s, now, loc)
		if err != nil {
			return
		}
		if d := got.Sub(now); d >= 0 && d > maxMove {
			t.Fatalf("parseClock(%q) moves %v, more than %v", s, d, maxMove)
		}
		if m, err := parseMove(s); err == nil && (m < 0 || m > maxMove) {
			t.Fatalf("parseMove(%q) = %v, outside 0..%v", s, m, maxMove)
		}
	})
}
