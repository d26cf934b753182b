package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var parseScheduleTests = []struct {
	spec string
	next string // next fire after 2026-11-27 12:00 Amsterdam, in Amsterdam time
	err  Reason // the reason it is refused; -1: accepted
}{
	{"0 10 * * MON", "2026-11-30 10:00", ok},
	{"  0 10 * * mon  ", "2026-11-30 10:00", ok},
	{"0 16 * * FRI", "2026-11-27 16:00", ok},
	{"@weekly", "2026-11-29 00:00", ok},
	{"@daily", "2026-11-28 00:00", ok},
	{"@every 10s", "2026-11-27 12:00:10", ok},
	{"CRON_TZ=UTC 0 10 * * *", "2026-11-28 11:00", ok}, // its own zone wins
	{"0 0 29 2 *", "2028-02-29 00:00", ok},
	{"", "", Empty},
	{"CRON_TZ=Europe/Amsterdam", "", MissingSpec}, // panics inside robfig/cron
	{"TZ=X", "", MissingSpec},
	{"CRON_TZ=Mars/Olympus 0 10 * * *", "", UnknownZone},
	{"0 10 * *", "", FieldCount},       // found 4
	{"0 0 10 * * MON", "", FieldCount}, // found 6
	{"@fortnightly", "", UnknownDescriptor},
	{"@every soon", "", BadDuration},
	{"@every 500ms", "", EveryTooShort},
	{"@every -5s", "", EveryTooShort},
	{"0 25 * * *", "", OutOfRange},
	{"0 10 * * MAANDAG", "", BadField},
	{"0 10 30 2 *", "", NeverFires},
}

// ok marks a spec that parses.
const ok Reason = -1

func TestParse(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 27, 12, 0, 0, 0, ams)
	for _, tt := range parseScheduleTests {
		s, err := Parse(tt.spec, ams)
		if tt.err != ok {
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.err {
				t.Errorf("Parse(%q) error = %v, want reason %d", tt.spec, err, tt.err)
				continue
			}
			if e.Reason == FieldCount {
				if got, want := e.Fields, len(strings.Fields(tt.spec)); got != want {
					t.Errorf("Parse(%q) Fields = %d, want %d", tt.spec, got, want)
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q) = %v", tt.spec, err)
			continue
		}
		got := s.Next(from).In(ams).Format("2006-01-02 15:04:05")
		if want := tt.next; got != want && got != want+":00" {
			t.Errorf("Parse(%q).Next = %s, want %s", tt.spec, got, want)
		}
	}
}

// TestEvery: only "@every" schedules have an interval.
func TestEvery(t *testing.T) {
	for spec, want := range map[string]time.Duration{"@every 3s": 3 * time.Second, "@every 1h30m": 90 * time.Minute, "0 10 * * MON": 0, "@daily": 0} {
		s, err := Parse(spec, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Every(); got != want {
			t.Errorf("Parse(%q).Every() = %v, want %v", spec, got, want)
		}
	}
}
