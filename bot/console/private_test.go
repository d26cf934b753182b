package console

import (
	"context"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// The README's expert walk-through: :prive plays a private chat, where an
// invited expert onboards, gets the request of their expertise and answers
// it; the collective's chat and the staff chat see the answer.
func TestPrivateChatWalkThrough(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	staff := commands.UserRef{Platform: commands.Console, ID: FirstUser, Name: FirstUser}
	coll := &commands.Collective{Name: "Noord", Code: "NNNN2345"}
	if err := f.db.CreateCollective(ctx, "", coll, staff); err != nil {
		t.Fatal(err)
	}
	// /expert shows a fresh code; the test needs one it knows.
	e := &commands.Expert{Name: "Jan", Expertises: []string{"juridisch"}}
	if err := f.db.CreateExpert(ctx, "", e, "JJJJ2345", start.Add(commands.InviteTTL), staff); err != nil {
		t.Fatal(err)
	}
	out, c := f.run(t, `:chat noord
/koppel NNNN2345
:prive jan
/ikbenexpert JJJJ2345
:chat noord
/hulpvraag juridisch Mag de verhuurder de huur zo verhogen?
:prive jan
/mijnvragen
/oppakken 1
/antwoord 1 Nee, niet meer dan de wettelijke grens.
:prive piet
/mijnvragen
`, nil)
	for _, want := range []string{
		"Welkom, Jan! 🎓 Je bent nu expert bij wijkbot voor: juridisch.",
		"[prive:jan] 🆘 Nieuwe hulpvraag #1 voor je expertise juridisch.",
		"[staf] Voorgelegd aan experts: Jan",
		"#1 · Noord · juridisch · open",
		"Je hebt #1 van Noord opgepakt (juridisch)",
		"[noord] 🙋 #1 is opgepakt door Jan (expert juridisch).",
		"[noord] 💬 Antwoord op jullie hulpvraag #1, van Jan (expert juridisch):",
		"[staf] 💬 Jan (expert juridisch) beantwoordde #1 van Noord:",
		"/mijnvragen is voor experts van het programma.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if c.chat != "prive:piet" || c.user != "piet" {
		t.Errorf(":prive piet left chat %q, user %q", c.chat, c.user)
	}
}
