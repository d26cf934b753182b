package bot_test

import (
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
)

var periodSeeds = []string{"", "0", "2d", "5D", "3", " 36h ", "-1h", "twee dagen", "213504d", "106752", "1h30m",
	"9223372036854775807ns", "9999999999999999999ns", "3000000h", "1e3h", "+2d", "0x10", "1.5h", "d", "-0"}

// FuzzParsePeriod: whatever the text, ParsePeriod never panics and never
// returns a period outside the range it was given.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range periodSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range bot.PeriodSettings {
			d, err := bot.ParsePeriod(s, p.Range)
			if err == nil && (d < p.Range.Min || d > p.Range.Max) {
				t.Fatalf("ParsePeriod(%q, %s) = %v, outside %s", s, p.Env, d, p.Range)
			}
			if err != nil && d != 0 {
				t.Fatalf("ParsePeriod(%q) = %v with error %v", s, d, err)
			}
		}
	})
}

// FuzzParseRetention: a retention is 0 (forever) or within RetentionRange;
// nothing wraps around into a short one.
func FuzzParseRetention(f *testing.F) {
	for _, s := range periodSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := bot.ParseRetention(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("ParseRetention(%q) = %v with error %v", s, d, err)
			}
			return
		}
		if d != 0 && (d < bot.RetentionRange.Min || d > bot.RetentionRange.Max) {
			t.Fatalf("ParseRetention(%q) = %v, outside %s", s, d, bot.RetentionRange)
		}
		if d > 0 && d < time.Hour {
			t.Fatalf("ParseRetention(%q) = %v: would delete answers at once", s, d)
		}
	})
}
