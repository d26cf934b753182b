package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
)

// TestPeriodOverflow (16.1): a very long setting used to wrap around
// (106752 days is past what a time.Duration holds), turning a retention of
// "keep for ages" into minutes, or into "negative". Every duration setting
// now has an explicit range, and the refusal names it.
func TestPeriodOverflow(t *testing.T) {
	// 213504 days wrapped to 25 minutes: answers older than that were deleted
	// at start-up.
	huge := []string{"213504d", "106752d", "106752", "200000d", "9223372036854775807d", "99999999999999999999d",
		"3000000h", "2562048h", "9999999999999999999ns", "4000d", "1000000000000000000"}
	for _, in := range huge {
		if d, err := bot.ParseRetention(in); err == nil {
			t.Errorf("ParseRetention(%q) = %v, want a refusal", in, d)
		} else if !strings.Contains(err.Error(), "3650d") || strings.Contains(err.Error(), "negative") {
			t.Errorf("ParseRetention(%q) error %q does not name the range (1d to 3650d)", in, err)
		}
		for _, s := range bot.PeriodSettings {
			if d, err := bot.ParsePeriod(in, s.Range); err == nil {
				t.Errorf("ParsePeriod(%q, %s) = %v, want a refusal", in, s.Env, d)
			} else if !strings.Contains(err.Error(), s.Range.String()) {
				t.Errorf("ParsePeriod(%q, %s) error %q does not name the range %s", in, s.Env, err, s.Range)
			}
		}
	}
}

// TestPeriodRanges: each scheduler setting takes its range's ends and
// refuses a step beyond them.
func TestPeriodRanges(t *testing.T) {
	for _, s := range bot.PeriodSettings {
		r := s.Range
		if r.Min <= 0 || r.Max <= r.Min || s.Default < r.Min || s.Default > r.Max {
			t.Errorf("%s: range %s with default %v is not sane", s.Env, r, s.Default)
		}
		for _, d := range []time.Duration{r.Min, r.Max, s.Default} {
			if got, err := bot.ParsePeriod(d.String(), r); err != nil || got != d {
				t.Errorf("%s: ParsePeriod(%q) = %v, %v; want %v", s.Env, d.String(), got, err, d)
			}
		}
		for _, d := range []time.Duration{r.Min - time.Second, r.Max + time.Second} {
			if got, err := bot.ParsePeriod(d.String(), r); err == nil {
				t.Errorf("%s: ParsePeriod(%q) = %v, want out of range %s", s.Env, d.String(), got, r)
			}
		}
	}
}
