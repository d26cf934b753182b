package commands_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// networkSetup makes the staff chat, Noord (noordChat) and Zuid (zuidChat)
// and returns their ids.
func (f *fixture) networkSetup() (noord, zuid int64) {
	f.t.Helper()
	noord = f.setup()
	code := codeRE.FindString(f.ok(staffChat, sanne, "/collectief Zuid").Text)
	f.ok(zuidChat, anna, "/koppel "+code)
	chat, err := f.db.Chat(f.ctx, zuidChat)
	if err != nil {
		f.t.Fatal(err)
	}
	return noord, chat.CollectiveID
}

func TestLessonFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.networkSetup()

	r := f.ok(noordChat, piet, "/les De energiecoöperatie draait op een kern van vijf vrijwilligers #Energie")
	mustContain(t, "/les", r.Text, "L1", "#energie", "programmateam")
	if len(r.Buttons) != 2 || r.Buttons[0].Label != "Delen met het netwerk" || r.Buttons[1].Label != "Alleen programmateam" {
		t.Fatalf("buttons %+v", r.Buttons)
	}
	f.ok(zuidChat, anna, "/les Huur nooit zonder notaris")

	// Before a choice the lesson stays with the team: Zuid does not find it,
	// Noord and the staff do (marked).
	mustContain(t, "zuid before sharing", f.ok(zuidChat, anna, "/lessen").Text, "L2")
	mustNotContain(t, "zuid before sharing", f.ok(zuidChat, anna, "/lessen").Text, "L1")
	mustContain(t, "noord own", f.ok(noordChat, piet, "/lessen").Text, "L1", "niet gedeeld")
	staff := f.ok(staffChat, sanne, "/lessen").Text
	mustContain(t, "staff", staff, "L1 · Noord", "L2 · Zuid", "niet gedeeld")

	// The button shares it; then Zuid finds it, with and without accents.
	shared := f.ok(noordChat, piet, r.Buttons[0].Line())
	mustContain(t, "/delen ja", shared.Text, "L1", "gedeeld met het netwerk")
	for _, q := range []string{"energiecoöperatie", "ENERGIECOOPERATIE", "#energie", "vrijwilligers"} {
		mustContain(t, "zuid searches "+q, f.ok(zuidChat, anna, "/lessen "+q).Text, "L1 · Noord")
	}
	mustContain(t, "substring", f.ok(zuidChat, anna, "/lessen coop").Text, "Geen lessen gevonden")
	mustNotContain(t, "zuid lists", f.ok(zuidChat, anna, "/lessen").Text, "Piet")

	// Changing its mind hides it again.
	mustContain(t, "/delen nee", f.ok(noordChat, anna, r.Buttons[1].Line()).Text, "blijft bij het programmateam")
	mustNotContain(t, "zuid after unsharing", f.ok(zuidChat, anna, "/lessen energie").Text, "L1")
}

// networkBadInputs are refused network commands (issue 13): each gets an
// ephemeral Dutch message naming the problem and leaves storage unchanged.
var networkBadInputs = []struct {
	chat commands.ChatRef
	user commands.UserRef
	line string
	want string
}{
	{noordChat, piet, "/les", "Tekst ontbreekt"},
	{noordChat, piet, "/delen L2 ja", "L2 is een les van een ander collectief"},
	{noordChat, piet, "/delen L99 ja", "Les L99 bestaat niet"},
	{noordChat, piet, "/delen drie ja", `"drie" is geen lesnummer`},
	{noordChat, piet, "/delen L1 misschien", "Kies uit: ja, nee"},
	{noordChat, piet, "/lessen " + strings.Repeat("a", 201), "maximaal 200"},
	{staffChat, sanne, "/les Iets", "werkt in de chat van een collectief"},
	{staffChat, sanne, "/delen L1 ja", "werkt in de chat van een collectief"},
	{looseChat, piet, "/lessen", "nog niet gekoppeld"},

	{noordChat, piet, "/sparren", "Thema ontbreekt"},
	{noordChat, piet, "/sparren #", `"#" is geen thema`},
	{noordChat, piet, "/sparren twee woorden", `"twee woorden" is geen thema`},
	{noordChat, piet, "/contact Noord energie", "jullie eigen collectief"},
	{noordChat, piet, "/contact Oost energie", `Onbekend collectief "Oost"`},
	{noordChat, piet, "/contact Zuid", "Thema ontbreekt"},
	{noordChat, piet, "/contact Zuid energie", "al een uitnodiging open tussen jullie en Zuid (over #zorg"},
	{zuidChat, anna, "/contact Noord energie", "al een uitnodiging open tussen jullie en Noord"},
	{noordChat, piet, "/uitnodiging 1 ja", "niet voor jullie collectief"},
	{noordChat, piet, "/uitnodiging x ja", "geen nummer"},
	{noordChat, piet, "/gesproken 1 ja", "niet van jullie collectief"},
	{staffChat, sanne, "/sparren energie", "werkt in de chat van een collectief"},

	{staffChat, sanne, `/bijeenkomst "2020-01-01 10:00" Oud`, "2020-01-01 10:00 ligt in het verleden"},
	{staffChat, sanne, `/bijeenkomst "2026-11-27 10:59" Net te laat`, "ligt in het verleden"},
	{staffChat, sanne, `/bijeenkomst "morgen 10:00" Later`, `"morgen 10:00" is geen tijdstip`},
	{staffChat, sanne, `/bijeenkomst "2026-13-45 10:00" Nooit`, "JJJJ-MM-DD UU:MM"},
	{staffChat, sanne, `/bijeenkomst 2026-12-10 Avond`, "geen tijdstip"},
	{staffChat, sanne, `/bijeenkomst "2027-03-28 02:30" Zomertijd`, "bestaat niet in de tijdzone Europe/Amsterdam"},
	{staffChat, sanne, `/bijeenkomst`, "Wanneer ontbreekt"},
	{staffChat, sanne, `/bijeenkomst "2026-12-10 19:30"`, "Titel ontbreekt"},
	{noordChat, piet, `/bijeenkomst "2026-12-10 19:30" Avond`, "werkt alleen in het stafkanaal"},
	{noordChat, piet, "/aanmelden B9 ja", "Bijeenkomst B9 bestaat niet"},
	{noordChat, piet, "/aanmelden morgen ja", `"morgen" is geen bijeenkomst`},
	{noordChat, piet, "/aanmelden B1 wellicht", "Kies uit: ja, misschien, nee"},
	{looseChat, piet, "/aanmelden B1 ja", "nog niet gekoppeld"},
}

func TestNetworkBadInputs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.networkSetup()
	f.ok(noordChat, piet, "/les Eerst praten, dan kopen")
	f.ok(zuidChat, anna, "/les Huur nooit zonder notaris")
	f.ok(noordChat, piet, "/contact Zuid zorg")
	f.ok(staffChat, sanne, `/bijeenkomst "2026-12-10 19:30" Netwerkavond`)

	before := f.dump()
	for _, tt := range networkBadInputs {
		r := f.run(tt.chat, tt.user, tt.line)
		if !r.Ephemeral || r.Code == "" {
			t.Errorf("%s: reply %q (code %q) is not a refusal", tt.line, r.Text, r.Code)
		}
		if !strings.Contains(r.Text, tt.want) {
			t.Errorf("%s: reply %q, want it to name %q", tt.line, r.Text, tt.want)
		}
		if strings.Contains(r.Text, "wijkbot error") || strings.Contains(r.Text, "Er ging iets mis") {
			t.Errorf("%s: reply %q leaks an internal error", tt.line, r.Text)
		}
		if seen, err := f.db.EventSeen(f.ctx, "test:"+strconv.Itoa(f.ev)); err != nil || seen {
			t.Errorf("%s: event recorded for a refused command", tt.line)
		}
		if after := f.dump(); after != before {
			t.Errorf("%s: storage changed:\nbefore %s\nafter  %s", tt.line, before, after)
			before = after
		}
	}
	// The comparison can fail: an accepted command changes the dump.
	f.ok(noordChat, piet, "/delen L1 ja")
	if f.dump() == before {
		t.Fatal("dump did not change after an accepted command")
	}
}

func TestSparringFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, zuid := f.networkSetup()
	f.ok(zuidChat, anna, "/voortgang Gesprek met de netbeheerder #energie")
	f.ok(zuidChat, anna, "/mijlpaal Energiecoöperatie opgericht #energie")
	piet := piet
	piet.Contact = "@piet_noord"

	mustContain(t, "nothing found", f.ok(noordChat, piet, "/sparren zorg").Text, "Nog geen ander collectief", "/hulpvraag")
	r := f.ok(noordChat, piet, "/sparren #Energie")
	mustContain(t, "/sparren", r.Text, "1. Zuid — 1 voortgangsbericht, 1 mijlpaal over #energie; laatst actief")
	if len(r.Buttons) != 1 || !strings.HasPrefix(r.Buttons[0].Label, "Vraag om contact") {
		t.Fatalf("buttons %+v", r.Buttons)
	}

	for _, answer := range []string{"nee", "ja"} {
		t.Run(answer, func(t *testing.T) {
			asked := f.ok(noordChat, piet, r.Buttons[0].Line())
			mustContain(t, "asked", asked.Text, "Uitnodiging verstuurd naar Zuid", "#energie")
			invites := outboxTo(asked, zuidChat)
			if len(invites) != 1 || len(invites[0].Buttons) != 2 || invites[0].Buttons[0].Label != "Ja, graag" || invites[0].Buttons[1].Label != "Nu niet" {
				t.Fatalf("invitation to Zuid %+v", asked.Outbox)
			}
			// Before a yes, nothing about the person who asked.
			mustContain(t, "invitation", invites[0].Text, "Noord wil graag met jullie sparren over #energie")
			mustNotContain(t, "invitation", invites[0].Text, "Piet", "@piet_noord")

			sanne := sanne
			button := invites[0].Buttons[1]
			if answer == "ja" {
				sanne.Contact = "@sanne"
				button = invites[0].Buttons[0]
			}
			got := f.ok(zuidChat, sanne, button.Line())
			toNoord := outboxTo(got, noordChat)
			if len(toNoord) != 1 {
				t.Fatalf("messages to Noord %+v", got.Outbox)
			}
			if answer == "nee" {
				mustContain(t, "declined", toNoord[0].Text, "Zuid kan nu niet sparren over #energie")
				mustNotContain(t, "declined", toNoord[0].Text+got.Text, "Sanne", "Piet")
				if len(outboxTo(got, staffChat)) != 0 {
					t.Fatal("a no is reported to the staff")
				}
				return
			}
			for _, text := range []string{got.Text, toNoord[0].Text} {
				mustContain(t, "introduction", text, "Piet (@piet_noord) van Noord", "Sanne (@sanne) van Zuid", "#energie")
			}
			mustContain(t, "staff", outboxTo(got, staffChat)[0].Text, "Noord en Zuid sparren over #energie")
			// Pressed again: answered already.
			again := f.run(zuidChat, anna, button.Line())
			mustContain(t, "again", again.Text, "al beantwoord door Sanne")
		})
	}
	n, err := f.db.NetworkCounts(f.ctx)
	if err != nil || n.Introductions != 1 || n.Invitations != 2 {
		t.Fatalf("counts %+v, %v", n, err)
	}
	_ = zuid
}

func TestMeetingFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.networkSetup()
	r := f.ok(staffChat, sanne, `/bijeenkomst "2026-12-10 19:30" "Netwerkavond energie" "Buurthuis De Pijp"`)
	mustContain(t, "created", r.Text, "B1 Netwerkavond energie", "do 10 dec 2026 19:30 · Buurthuis De Pijp", "2 chats van 2 collectieven")
	for _, chat := range []commands.ChatRef{noordChat, zuidChat} {
		msgs := outboxTo(r, chat)
		if len(msgs) != 1 || len(msgs[0].Buttons) != 3 || msgs[0].Buttons[0].Label != "Ik kom" ||
			msgs[0].Buttons[1].Label != "Misschien" || msgs[0].Buttons[2].Label != "Kan niet" {
			t.Fatalf("invitation to %s: %+v", chat, msgs)
		}
	}
	buttons := outboxTo(r, noordChat)[0].Buttons
	mustContain(t, "yes", f.ok(noordChat, piet, buttons[0].Line()).Text, "Piet komt naar B1")
	f.ok(noordChat, anna, buttons[1].Line())
	f.ok(zuidChat, joost, buttons[2].Line())
	// Changing one's mind replaces the answer.
	f.ok(noordChat, anna, buttons[0].Line())

	list := f.ok(noordChat, piet, "/bijeenkomsten")
	mustContain(t, "collective list", list.Text, "B1 Netwerkavond energie", "Uit deze chat: ja: Anna, Piet")
	mustNotContain(t, "collective list", list.Text, "Joost")
	if len(list.Files) != 1 || list.Files[0].Name != "bijeenkomsten.ics" || !strings.Contains(string(list.Files[0].Data), "DTSTART:20261210T183000Z") {
		t.Fatalf("files %+v", list.Files)
	}
	staff := f.ok(staffChat, sanne, "/bijeenkomsten")
	mustContain(t, "staff list", staff.Text, "2 ja, 0 misschien, 1 kan niet", "Noord (2 ja, 0 misschien): ja: Anna, Piet", "Zuid (0 ja, 0 misschien): kan niet: Joost")
}

// The staff see the network in their usual places: the digest lists the
// period's new lessons, /overzicht counts introductions and conversations,
// the case report has the collective's lessons.
func TestNetworkInStaffViews(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, _ = f.networkSetup()
	f.ok(noordChat, piet, "/les Begin klein en vier elke stap #energie")
	f.ok(noordChat, piet, "/delen L1 ja")
	f.ok(zuidChat, anna, "/les Geheim recept")

	d, err := f.h.LoadDigest(f.ctx, start.Add(-time.Hour), start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	staff, err := f.db.Chat(f.ctx, staffChat)
	if err != nil {
		t.Fatal(err)
	}
	digest := f.h.DigestMessage(d, *staff).Text
	mustContain(t, "digest", digest, "Nieuwe lessen (2)", "L1 · Noord: Begin klein", "L2 · Zuid: Geheim recept (niet gedeeld)")
	old, err := f.h.LoadDigest(f.ctx, start.Add(-48*time.Hour), start.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, "last week's digest", f.h.DigestMessage(old, *staff).Text, "Nieuwe lessen")

	mustNotContain(t, "overview before sparring", f.ok(staffChat, sanne, "/overzicht").Text, "Sparren")
	f.ok(noordChat, piet, "/contact Zuid energie")
	f.ok(zuidChat, anna, "/uitnodiging 1 ja")
	f.ok(zuidChat, anna, "/gesproken 1 ja")
	mustContain(t, "overview", f.ok(staffChat, sanne, "/overzicht").Text, "Sparren: 1 uitnodiging, 1 introductie, 1 gesprek")

	var report string
	for _, file := range f.ok(staffChat, sanne, "/export Noord").Files {
		if strings.HasPrefix(file.Name, "casus-") {
			report = string(file.Data)
		}
	}
	mustContain(t, "case report", report, "## Lessen voor de beweging", "**L1**", "gedeeld met het netwerk", "Begin klein")
	mustNotContain(t, "case report", report, "Geheim recept")
}
