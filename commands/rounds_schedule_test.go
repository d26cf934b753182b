package commands

import (
	"strings"
	"testing"
	"time"
)

var parseScheduleTests = []struct {
	spec string
	next string // next fire after 2026-11-27 12:00 Amsterdam, in Amsterdam time
	err  string // substring of the Dutch error
}{
	{"0 10 * * MON", "2026-11-30 10:00", ""},
	{"  0 10 * * mon  ", "2026-11-30 10:00", ""},
	{"0 16 * * FRI", "2026-11-27 16:00", ""},
	{"@weekly", "2026-11-29 00:00", ""},
	{"@daily", "2026-11-28 00:00", ""},
	{"@every 10s", "2026-11-27 12:00:10", ""},
	{"CRON_TZ=UTC 0 10 * * *", "2026-11-28 11:00", ""}, // its own zone wins
	{"0 0 29 2 *", "2028-02-29 00:00", ""},
	{"", "", "leeg"},
	{"CRON_TZ=Europe/Amsterdam", "", "ontbreekt het schema"}, // panics inside robfig/cron
	{"TZ=X", "", "ontbreekt het schema"},
	{"CRON_TZ=Mars/Olympus 0 10 * * *", "", "onbekende tijdzone"},
	{"0 10 * *", "", "verwacht 5 velden, gevonden 4"},
	{"0 0 10 * * MON", "", "verwacht 5 velden, gevonden 6"},
	{"@fortnightly", "", "onbekende afkorting"},
	{"@every soon", "", "onleesbare duur"},
	{"@every 500ms", "", "minstens 1s"},
	{"@every -5s", "", "minstens 1s"},
	{"0 25 * * *", "", "buiten het bereik"},
	{"0 10 * * MAANDAG", "", "geen getal"},
	{"0 10 30 2 *", "", "bestaat nooit"},
}

func TestParseSchedule(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 27, 12, 0, 0, 0, ams)
	for _, tt := range parseScheduleTests {
		s, err := ParseSchedule(tt.spec, ams)
		if tt.err != "" {
			if err == nil {
				t.Errorf("ParseSchedule(%q) = nil error, want %q", tt.spec, tt.err)
				continue
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(NL, err), tt.err) {
				t.Errorf("ParseSchedule(%q) error = %v, want EINVALID containing %q", tt.spec, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSchedule(%q) = %v", tt.spec, err)
			continue
		}
		got := s.Next(from).In(ams).Format("2006-01-02 15:04:05")
		if want := tt.next; got != want && got != want+":00" {
			t.Errorf("ParseSchedule(%q).Next = %s, want %s", tt.spec, got, want)
		}
	}
}
