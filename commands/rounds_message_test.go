package commands

import (
	"strings"
	"testing"
	"time"
)

// TestCheckinMessage: the check-in says "check-in" (DESIGN.md: other tools
// look for the word), in both languages, with its questions and context.
func TestCheckinMessage(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{Location: ams}
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	cc := &CheckinContext{
		Collective:  Collective{ID: 1, Name: "Noord"},
		ScheduledAt: at,
		Since:       at.AddDate(0, 0, -7),
		Entries:     []Entry{{Text: "pand bezocht"}, {Text: "vereniging opgericht", Milestone: true}},
		Open:        []HelpRequest{{Number: 7, Expertise: "juridisch", Status: StatusOpen, CreatedAt: at.Add(-48 * time.Hour)}},
	}
	for _, tt := range []struct {
		lang Lang
		want []string
	}{
		{NL, []string{"check-in", "Noord", "10:00", "#7", "/checkin"}},
		{EN, []string{"check-in", "Noord", "10:00", "#7", "/checkin"}},
	} {
		m := h.CheckinMessage(cc, Chat{Ref: ChatRef{Platform: Telegram, ID: "-1"}, Kind: ChatCollective, CollectiveID: 1, Lang: tt.lang})
		for _, w := range tt.want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s check-in lacks %q:\n%s", tt.lang, w, m.Text)
			}
		}
		if m.Kind != "checkin" {
			t.Errorf("kind = %q, want checkin", m.Kind)
		}
	}
}
