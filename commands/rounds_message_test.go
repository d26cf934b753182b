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
		lang    Lang
		byReply bool
		want    []string
		not     []string
	}{
		{NL, true, []string{"check-in", "Noord", "10:00", "#7", "/checkin", "antwoord op dit bericht met /checkin"}, nil},
		{EN, true, []string{"check-in", "Noord", "10:00", "#7", "/checkin", "reply to this message with /checkin"}, nil},
		// Where replies do not reach the bot, offering them would mislead.
		{NL, false, []string{"check-in", "Antwoord met /checkin <tekst>."}, []string{"antwoord op dit bericht"}},
		{EN, false, []string{"check-in", "Answer with /checkin <text>."}, []string{"reply to this message"}},
	} {
		m := h.CheckinMessage(cc, Chat{Ref: ChatRef{Platform: Console, ID: "noord"}, Kind: ChatCollective, CollectiveID: 1, Lang: tt.lang}, tt.byReply)
		for _, w := range tt.want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s check-in (byReply %v) lacks %q:\n%s", tt.lang, tt.byReply, w, m.Text)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(m.Text, w) {
				t.Errorf("%s check-in (byReply %v) has %q:\n%s", tt.lang, tt.byReply, w, m.Text)
			}
		}
		if m.Kind != "checkin" {
			t.Errorf("kind = %q, want checkin", m.Kind)
		}
	}
}
