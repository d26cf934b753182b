package commands

import "testing"

// TestIntroductionMentions: the two people of an introduction are
// mentions over exactly their shown text; typed text (a theme or a
// collective name holding "<@123>" or the placeholder's NUL) never becomes
// one.
func TestIntroductionMentions(t *testing.T) {
	inv := &Invitation{FromName: "Noord <@123>", ToName: "Zuid\x000\x00", Theme: "energie",
		AskedBy: "Piet", AskedByContact: "@piet", AnsweredBy: "Mo", AnsweredByContact: "@mo",
		Asker:    UserRef{Platform: Telegram, ID: "301", Name: "Piet", Contact: "@piet"},
		Answerer: UserRef{Platform: Discord, ID: "7002", Name: "Mo", Contact: "@mo"}}
	text, ms := introduction(NL, inv)
	if len(ms) != 2 {
		t.Fatalf("%d mentions in %q, want 2", len(ms), text)
	}
	for i, want := range []struct{ shown, id string }{{"Piet (@piet)", "301"}, {"Mo (@mo)", "7002"}} {
		if got := text[ms[i].Start:ms[i].End]; got != want.shown || ms[i].User.ID != want.id {
			t.Errorf("mention %d: %q of %s, want %q of %s", i, got, ms[i].User.ID, want.shown, want.id)
		}
	}
	want := "🤝 Kennismaking over #energie!\nPiet (@piet) van Noord <@123> vroeg om contact; Mo (@mo) van Zuid0 zei ja."
	if len(text) < len(want) || text[:len(want)] != want {
		t.Errorf("introduction %q, want it to start with %q", text, want)
	}

	// An erased person (no platform id) is named, not mentioned.
	inv.Asker = UserRef{}
	if _, ms := introduction(EN, inv); len(ms) != 1 || ms[0].User.ID != "7002" {
		t.Errorf("mentions after erasure: %+v, want Mo only", ms)
	}
}
