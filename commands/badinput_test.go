package commands_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// badInputTests are refused commands: each must get an ephemeral reply that
// names the problem, and must leave storage exactly as it was.
var badInputTests = []struct {
	chat commands.ChatRef
	user commands.UserRef
	line string
	want string
}{
	// An unlinked chat.
	{looseChat, piet, "/voortgang hallo", "nog niet gekoppeld"},
	{looseChat, piet, "/koppel ABCDEFGH", "Alleen een beheerder van deze chat"},
	{looseChat, anna, "/koppel", "Code ontbreekt"},
	{looseChat, anna, "/koppel abc", "geen geldige koppelcode"},
	{looseChat, anna, "/koppel O0I1ABCD", "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"},
	{looseChat, anna, "/koppel ZZZZZZZZ", "Er is geen collectief met koppelcode ZZZZZZZZ"},
	{looseChat, piet, "/stafkanaal", "WIJKBOT_ADMINS"},
	{looseChat, piet, "/mengpaneel", "/koppel"},
	{looseChat, piet, "/onzin", "Onbekend commando /onzin"},

	// A collective's chat.
	{noordChat, piet, "/voortgang", "Tekst ontbreekt"},
	{noordChat, piet, "/voortgang    ", "Tekst ontbreekt"},
	{noordChat, piet, "/voortgang " + strings.Repeat("a", 2001), "te lang: 2001 tekens, maximaal 2000"},
	{noordChat, piet, "/mijlpaal", "Tekst ontbreekt"},
	{noordChat, piet, "/tijdlijn 0", "van 1 tot en met 50"},
	{noordChat, piet, "/tijdlijn 51", "van 1 tot en met 50"},
	{noordChat, piet, "/tijdlijn tien", `niet "tien"`},
	{noordChat, piet, "/hulpvraag astrologie wanneer?", "Kies uit: vastgoed, juridisch"},
	{noordChat, piet, "/hulpvraag juridisch", "Vraag ontbreekt"},
	{noordChat, piet, "/schuif zeggenschap 11", "Waarde moet een heel getal van 0 tot en met 10 zijn"},
	{noordChat, piet, "/schuif zeggenschap -1", "van 0 tot en met 10"},
	{noordChat, piet, "/schuif zeggenschap 7,0", `niet "7,0"`},
	{noordChat, piet, "/schuif zeggenschap zeven", `niet "zeven"`},
	{noordChat, piet, "/schuif zeggenschap", "Waarde ontbreekt"},
	{noordChat, piet, "/schuif", "Element ontbreekt"},
	{noordChat, piet, "/schuif zegenschap 7", `Bedoel je "zeggenschap"?`},
	{noordChat, piet, "/schuif impact 7", "past op meer elementen: impact op wonen, impact op werk, impact op zorg"},
	{noordChat, piet, "/schuif toverkracht 5", "Onbekend element \"toverkracht\".\nDe elementen van jullie mengpaneel: eigenaarschap"},
	{noordChat, piet, "/mengpaneel toverkracht", "Onbekend element"},
	{noordChat, piet, "/element Zeggenschap", `"zeggenschap" staat al op jullie mengpaneel (een standaardelement)`},
	{noordChat, piet, `/element "FINANCIELE  duurzaamheid"`, `"financiële duurzaamheid" staat al op jullie mengpaneel`},
	{noordChat, piet, "/element buurtkracht", "staat al op jullie mengpaneel (een eigen element"},
	{noordChat, piet, `/element "top 10"`, "mag geen woord hebben dat met een cijfer begint"},
	{noordChat, piet, "/element 2024", "moet letters bevatten"},
	{noordChat, piet, `/element "buurt kracht`, "afsluitend aanhalingsteken"},
	{noordChat, piet, "/element " + strings.Repeat("x", 61), "maximaal 60"},
	{noordChat, piet, "/pauze 2020-01-01", "moet in de toekomst liggen"},
	{noordChat, piet, "/pauze 2026-11-27", "moet in de toekomst liggen"},
	{noordChat, piet, "/pauze 2026-13-45", "geen datum"},
	{noordChat, piet, "/pauze morgen", "JJJJ-MM-DD"},
	{noordChat, piet, "/pauze stoppen", "(of: stop)"},
	{noordChat, piet, "/pauze 2031-01-01", "hooguit een jaar"},
	{noordChat, piet, "/checkin ging goed", "nog geen check-in"},
	{noordChat, piet, "/checkin", "Tekst ontbreekt"},
	{noordChat, piet, "/feedback 1 ja", "#1 is nog niet afgerond"},
	{noordChat, piet, "/feedback 99 ja", "#99 bestaat niet"},
	{noordChat, piet, "/feedback 2 misschien", "Kies uit: ja, nee"},
	{noordChat, piet, "/feedback 2 nee", "al doorgegeven (👍)"},
	{noordChat, piet, "/open", "werkt alleen in het stafkanaal"},
	{noordChat, piet, "/oppakken 1", "werkt alleen in het stafkanaal"},
	{noordChat, admin, "/stafkanaal", "gekoppeld"},
	{noordChat, piet, "/vergeetmij misschien", "begrijp ik niet"},
	{noordChat, piet, "/taal fr", "Kies uit: nl, en"},
	{noordChat, piet, "/tijdlijn 5 extra", "Te veel woorden"},

	// The staff chat.
	{staffChat, sanne, "/voortgang hallo", "werkt in de chat van een collectief"},
	{staffChat, sanne, "/oppakken 99", "#99 bestaat niet"},
	{staffChat, sanne, "/oppakken 0", "vanaf 1"},
	{staffChat, sanne, "/oppakken een", `niet "een"`},
	{staffChat, joost, "/oppakken 1", "#1 is al opgepakt door Sanne"},
	{staffChat, joost, "/oppakken 2", "#2 is al afgerond"},
	{staffChat, sanne, "/antwoord 2 toch nog dit", "#2 is al afgerond; er kan geen antwoord meer bij"},
	{staffChat, sanne, "/antwoord 1", "Tekst ontbreekt"},
	{staffChat, sanne, "/antwoord 99 hallo", "#99 bestaat niet"},
	{staffChat, sanne, "/afronden 2", "#2 is al afgerond"},
	{staffChat, sanne, "/afronden 99", "#99 bestaat niet"},
	{staffChat, sanne, "/collectief", "Naam ontbreekt"},
	{staffChat, sanne, "/collectief 123", "moet letters bevatten"},
	{staffChat, sanne, "/schema Noord 0 25 * * *", "Ongeldig schema"},
	{staffChat, sanne, "/schema Noord 0 10 * *", "verwacht 5 velden"},
	{staffChat, sanne, "/schema Noord @soms", "onbekende afkorting"},
	{staffChat, sanne, "/schema Noord CRON_TZ=", "Laat de tijdzone weg"},
	{staffChat, sanne, "/schema Noord CRON_TZ=Europe/Amsterdam 0 10 * * MON", "Laat de tijdzone weg"},
	{staffChat, sanne, "/schema Noord TZ=UTC @daily", "Laat de tijdzone weg"},
	{staffChat, sanne, "/schema Oost @weekly", `Onbekend collectief "Oost". Collectieven: Noord.`},
	{staffChat, sanne, "/schema Nord @weekly", `Bedoel je "Noord"?`},
	{staffChat, sanne, "/schema Noord", "Schema ontbreekt"},
	{staffChat, sanne, "/feedback 2 ja", "werkt in de chat van een collectief"},
	{staffChat, admin, "/koppel ABCDEFGH", "werkt in de chat van een collectief"},
	{staffChat, sanne, "/ontkoppel console: Onbekend", `Geen gekoppelde chat heet "console: Onbekend"`},
	{staffChat, sanne, "/ontkoppel", "Chat ontbreekt"},
	{noordChat, anna, "/ontkoppel console:noord", "werkt alleen in het stafkanaal"},
	{janDM, jan, "/koppel ABCDEFGH", "niet in een privéchat"},
}

// snapshot is everything the test programme has stored, to compare before
// and after a refused command.
type snapshot struct {
	Collectives []commands.CollectiveSummary
	Entries     []commands.Entry
	Panel       []commands.Element
	Changes     []commands.SliderChange
	Requests    []*commands.HelpRequest
	Chats       []*commands.Chat
	People      []*commands.PersonalData
}

func (f *fixture) snapshot(collectiveID int64) snapshot {
	f.t.Helper()
	var s snapshot
	var err error
	check := func(e error) {
		if e != nil {
			f.t.Fatal(e)
		}
	}
	s.Collectives, err = f.db.Collectives(f.ctx)
	check(err)
	s.Entries, err = f.db.Entries(f.ctx, collectiveID, 1000)
	check(err)
	s.Panel, err = f.db.Panel(f.ctx, collectiveID)
	check(err)
	s.Changes, err = f.db.SliderChanges(f.ctx, collectiveID, 0, start.AddDate(-1, 0, 0))
	check(err)
	reqs, err := f.db.Requests(f.ctx, collectiveID)
	check(err)
	for _, r := range reqs {
		full, err := f.db.Request(f.ctx, r.Number)
		check(err)
		s.Requests = append(s.Requests, full)
	}
	for _, ref := range []commands.ChatRef{staffChat, noordChat, noordTG, looseChat} {
		chat, err := f.db.Chat(f.ctx, ref)
		check(err)
		s.Chats = append(s.Chats, chat)
	}
	for _, u := range []commands.UserRef{admin, sanne, joost, anna, piet} {
		pd, err := f.db.PersonalData(f.ctx, u)
		check(err)
		s.People = append(s.People, pd)
	}
	return s
}

func TestBadInputs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	noord := f.setup()
	f.ok(noordChat, anna, "/hulpvraag juridisch Hoe werkt een huurcontract?")
	f.ok(noordChat, anna, "/hulpvraag vastgoed Kunnen we het pand kopen?")
	f.ok(staffChat, sanne, "/oppakken 1")
	f.ok(staffChat, sanne, "/afronden 2")
	f.ok(noordChat, anna, "/feedback 2 ja")
	f.ok(noordChat, anna, "/voortgang eerste bewonersavond #wonen")
	f.ok(noordChat, anna, "/element Buurtkracht")
	f.ok(noordChat, anna, "/schuif zeggenschap 4")

	n := 0
	// Every case is compared as a whole-database dump (cheap); the Store's
	// own view is compared once over all cases.
	first := f.snapshot(noord)
	before := f.dump()
	for _, tt := range badInputTests {
		n++
		r := f.run(tt.chat, tt.user, tt.line)
		if !r.Ephemeral {
			t.Errorf("%s: reply %q is not ephemeral", tt.line, r.Text)
		}
		if r.Code == "" {
			t.Errorf("%s: reply %q has no error code", tt.line, r.Text)
		}
		if !strings.Contains(r.Text, tt.want) {
			t.Errorf("%s: reply %q, want it to name %q", tt.line, r.Text, tt.want)
		}
		if strings.Contains(r.Text, "wijkbot error") || strings.Contains(r.Text, "Er ging iets mis") {
			t.Errorf("%s: reply %q leaks an internal error", tt.line, r.Text)
		}
		if seen, err := f.db.EventSeen(f.ctx, "test:"+strconv.Itoa(f.ev)); err != nil || seen {
			t.Errorf("%s: event recorded (seen=%v, err=%v) for a refused command", tt.line, seen, err)
		}
		// Unchanged storage is the next case's "before".
		after := f.dump()
		if after != before {
			t.Errorf("%s: storage changed:\nbefore %s\nafter  %s", tt.line, before, after)
		}
		before = after
	}
	if last := f.snapshot(noord); !reflect.DeepEqual(first, last) {
		t.Errorf("the Store's view changed:\nbefore %+v\nafter  %+v", first, last)
	}
	// The comparison can fail: an accepted command changes the dump.
	f.ok(noordChat, piet, "/voortgang nog een avond")
	if f.dump() == before {
		t.Fatal("dump did not change after an accepted command")
	}
	if n < 40 {
		t.Fatalf("only %d bad inputs tested, want at least 40", n)
	}
}
