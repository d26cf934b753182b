package console

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// TestNetworkWalkThrough is the README's console walk-through of lessons,
// sparring and a meeting: :klok runs the meeting's reminder and, two weeks
// after the introduction, the check-back.
func TestNetworkWalkThrough(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	staff := commands.UserRef{Platform: commands.Console, ID: FirstUser, Name: FirstUser}
	for _, c := range []*commands.Collective{{Name: "Noord", Code: "NNNN2345"}, {Name: "Zuid", Code: "ZZZZ2345"}} {
		if err := f.db.CreateCollective(ctx, "", c, staff); err != nil {
			t.Fatal(err)
		}
	}
	sched := &bot.Scheduler{Runtime: f.rt, Handler: f.rt.Handler, Store: f.db, Now: f.clock.Now, Location: amsterdam,
		Logger: slog.New(slog.DiscardHandler)}
	out, _ := f.run(t, `:chat noord
/koppel NNNN2345
:chat zuid
/koppel ZZZZ2345
:user mo
/voortgang Gesprek met de netbeheerder #energie
:chat noord
:user piet
/les De energiecoöperatie draait op vijf vrijwilligers #energie
/delen L1 ja
:chat zuid
:user mo
/lessen energiecooperatie
:chat noord
:user piet
/sparren energie
/contact Zuid energie
:chat zuid
:user mo
/uitnodiging 1 ja
:staf
/bijeenkomst "2026-12-17 19:30" Netwerkavond "Buurthuis De Pijp"
:chat noord
:user piet
/aanmelden B1 ja
/bijeenkomsten
:klok 2026-12-16T20:00
:klok +14d
`, sched.RunDue)
	for _, want := range []string{
		"📘 Les L1 vastgelegd",
		"L1 · Noord · 7 dec 2026",
		"1. Zuid — 1 voortgangsbericht over #energie",
		"[zuid] 🤝 Noord wil graag met jullie sparren over #energie.",
		"piet van Noord vroeg om contact; mo van Zuid zei ja.",
		"[noord] 🤝 Kennismaking over #energie!",
		"[staf] 🤝 Introductie: Noord en Zuid sparren over #energie.",
		"[noord] 📅 Uitnodiging: B1 Netwerkavond",
		"Uit deze chat: ja: piet",
		".ics",
		"⏰ Herinnering: B1 Netwerkavond",
		"Twee weken geleden stelde ik jullie voor aan Zuid",
		"[zuid] Twee weken geleden stelde ik jullie voor aan Noord",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Herinnering: B1"); n != 1 {
		t.Errorf("%d reminders of B1, want 1 (only Noord answered)", n)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "wil graag met jullie sparren") && strings.Contains(line, "piet") {
			t.Errorf("the invitation names the asker: %q", line)
		}
	}
}
