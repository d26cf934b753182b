package commands

import (
	"strings"
	"testing"
	"time"
)

// TestParseScheduleLanguage: a refused schedule is explained in the chat's
// language, naming what is wrong and what is allowed.
func TestParseScheduleLanguage(t *testing.T) {
	tests := []struct {
		spec string
		lang Lang
		want []string
	}{
		{"0 25 * * *", NL, []string{"Ongeldig schema", "buiten het bereik", "0 10 * * MON"}},
		{"0 25 * * *", EN, []string{"Invalid schedule", "out of range", "0 10 * * MON"}},
		{"0 10 * *", EN, []string{"expected 5 fields, found 4"}},
		{"0 10 * *", NL, []string{"verwacht 5 velden, gevonden 4"}},
		{"CRON_TZ=Europe/Amsterdam", EN, []string{"missing after the time zone"}},
	}
	for _, tt := range tests {
		_, err := ParseSchedule(tt.spec, time.UTC, tt.lang)
		if ErrorCode(err) != EINVALID {
			t.Fatalf("ParseSchedule(%q) = %v, want EINVALID", tt.spec, err)
		}
		msg := ErrorMessage(tt.lang, err)
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("ParseSchedule(%q, %s) message %q lacks %q", tt.spec, tt.lang, msg, w)
			}
		}
		if tt.lang == EN && strings.Contains(msg, "schema") {
			t.Errorf("English message in Dutch: %q", msg)
		}
	}
}
