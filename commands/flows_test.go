package commands_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// TestFlows runs the stories users go through, each on its own database.
func TestFlows(t *testing.T) {
	for _, flow := range []struct {
		name string
		run  func(t *testing.T)
	}{
		{"link", flowLink},
		{"log, milestone and timeline", flowProgress},
		{"help request lifecycle", flowHelpRequest},
		{"help request without staff chat", flowNoStaffChat},
		{"slider, element and did-you-mean", flowPanel},
		{"panel chart hook", flowPanelChart},
		{"checkin and pause", flowCheckinPause},
		{"schedule", flowSchedule},
		{"privacy export and forget", flowPrivacy},
		{"English chat", flowEnglish},
		{"autocomplete", flowComplete},
	} {
		t.Run(flow.name, func(t *testing.T) {
			t.Parallel()
			flow.run(t)
		})
	}
}

func flowLink(t *testing.T) {
	f := newFixture(t)
	r := f.ok(looseChat, piet, "/hulp")
	mustContain(t, "/hulp unlinked", r.Text, "nog niet gekoppeld", "/hulp")
	mustNotContain(t, "/hulp unlinked for a member", r.Text, "/koppel <code> —", "/stafkanaal")

	f.ok(staffChat, admin, "/stafkanaal")
	r = f.ok(staffChat, sanne, "/collectief Bewonersbedrijf   Noord")
	code := codeRE.FindString(r.Text)
	mustContain(t, "/collectief", r.Text, "Bewonersbedrijf Noord", "/koppel "+code)
	again := f.ok(staffChat, joost, "/collectief bewonersbedrijf noord")
	mustContain(t, "/collectief again", again.Text, "bestaat al", code)

	r = f.ok(noordChat, anna, "/koppel "+strings.ToLower(code[:4])+"-"+strings.ToLower(code[4:]))
	mustContain(t, "/koppel", r.Text, "Welkom, Bewonersbedrijf Noord!", "/voortgang", "/mengpaneel", "/hulpvraag")
	chat, err := f.db.Chat(f.ctx, noordChat)
	if err != nil {
		t.Fatal(err)
	}
	if chat.Kind != commands.ChatCollective || chat.CollectiveID == 0 {
		t.Fatalf("chat after /koppel = %+v", chat)
	}
	r = f.ok(noordChat, anna, "/koppel "+code)
	mustContain(t, "/koppel again", r.Text, "al gekoppeld")

	r = f.ok(noordChat, piet, "/hulp")
	mustContain(t, "/hulp in a collective", r.Text, "/voortgang <tekst>", "/schuif <element> <waarde> [toelichting]",
		"/hulpvraag <expertise> <vraag>", "vastgoed, juridisch", "/pauze [tot]")
	mustNotContain(t, "/hulp in a collective", r.Text, "/oppakken", "/feedback", "/stafkanaal", "/koppel", "[bevestig]")

	r = f.ok(staffChat, sanne, "/start")
	mustContain(t, "/start in the staff chat", r.Text, "stafkanaal", "/oppakken <nummer>", "/schema <collectief> <schema>")
	mustNotContain(t, "/start in the staff chat", r.Text, "/voortgang", "/stafkanaal")

	r = f.ok(staffChat, sanne, "/collectieven")
	mustContain(t, "/collectieven", r.Text, "Bewonersbedrijf Noord", code, "console: chat noord", "nog geen activiteit")
}

func flowProgress(t *testing.T) {
	f := newFixture(t)
	f.setup()
	r := f.ok(noordChat, anna, "/voortgang Eerste bewonersavond over het #Buurthuis en #zorg, #zorg!")
	mustContain(t, "/voortgang", r.Text, "Genoteerd", "#buurthuis, #zorg")
	f.now = f.now.Add(2 * time.Hour)
	r = f.ok(noordChat, piet, "/mijlpaal Koopcontract getekend")
	mustContain(t, "/mijlpaal", r.Text, "Mijlpaal")
	f.now = f.now.Add(time.Hour)
	f.ok(noordChat, anna, "/voortgang derde")

	r = f.ok(noordChat, piet, "/tijdlijn")
	// Newest first, times in Amsterdam (UTC+1 in November), milestone marked.
	i1, i2, i3 := strings.Index(r.Text, "derde"), strings.Index(r.Text, "Koopcontract"), strings.Index(r.Text, "Eerste")
	if !(i1 >= 0 && i1 < i2 && i2 < i3) {
		t.Fatalf("/tijdlijn not newest first: %q", r.Text)
	}
	mustContain(t, "/tijdlijn", r.Text, "★ 27 nov 2026 13:00 — Piet", "• 27 nov 2026 11:00 — Anna")
	r = f.ok(noordChat, piet, "/tijdlijn 1")
	mustContain(t, "/tijdlijn 1", r.Text, "derde")
	mustNotContain(t, "/tijdlijn 1", r.Text, "Koopcontract")

	entries, err := f.db.Entries(f.ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := entries[2].Themes; strings.Join(got, ",") != "buurthuis,zorg" {
		t.Fatalf("themes = %q, want [buurthuis zorg]", got)
	}
	if !entries[1].Milestone || entries[0].Milestone {
		t.Fatalf("milestone flags wrong: %+v", entries)
	}
}

var themeTests = []struct {
	in   string
	want string
}{
	{"geen thema", ""},
	{"#Zorg en #zorg", "zorg"},
	{"#zorg-coöp, #energie.", "zorg-coöp,energie"},
	{"hulpvraag #12 en #2e-pand", "2e-pand"},
	{"mail@#niet en a#b", ""},
	{"#Wonen_Noord! #", "wonen_noord"},
	{"einde #zorg-", "zorg"},
}

func TestThemes(t *testing.T) {
	for _, tt := range themeTests {
		if got := strings.Join(commands.Themes(tt.in), ","); got != tt.want {
			t.Errorf("Themes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func flowHelpRequest(t *testing.T) {
	f := newFixture(t)
	noord := f.setup()
	// A second chat of the same collective, on another platform.
	code := codeRE.FindString(f.ok(staffChat, sanne, "/collectief Noord").Text)
	req := f.request(noordTG, anna)
	req.Command, req.Args = "koppel", map[string]string{"code": code}
	if r := f.h.Handle(f.ctx, req); r.Code != "" {
		t.Fatalf("link second chat: %q", r.Text)
	}

	r := f.ok(noordChat, anna, "/hulpvraag juridisch Mogen we het buurthuis onderverhuren?")
	mustContain(t, "/hulpvraag", r.Text, "#1", "juridisch")
	staff := outboxTo(r, staffChat)
	if len(r.Outbox) != 1 || len(staff) != 1 {
		t.Fatalf("/hulpvraag outbox = %+v, want one message to the staff chat", r.Outbox)
	}
	mustContain(t, "staff message", staff[0].Text, "#1", "Noord", "juridisch", "onderverhuren", "Anna")
	// Beantwoorden leaves out the answer's text: platforms that can ask for
	// it (a Discord form) show it, the others leave it out (Table.Asks).
	if b := staff[0].Buttons; len(b) != 3 || b[0].Line() != "/oppakken 1" || b[1].Line() != "/antwoord 1" || b[2].Line() != "/afronden 1" ||
		b[0].Label != "Oppakken" || b[1].Label != "Beantwoorden" || b[2].Label != "Afronden" ||
		commands.Commands.Asks(b[0]) != nil || commands.Commands.Asks(b[1]) == nil || commands.Commands.Asks(b[2]) != nil {
		t.Fatalf("staff buttons = %+v", b)
	}

	f.now = f.now.Add(3*24*time.Hour + time.Hour)
	r = f.ok(staffChat, sanne, "/oppakken 1")
	mustContain(t, "/oppakken", r.Text, "#1", "onderverhuren", "/antwoord 1")
	if len(r.Outbox) != 2 || len(outboxTo(r, noordChat)) != 1 || len(outboxTo(r, noordTG)) != 1 {
		t.Fatalf("/oppakken outbox = %+v, want both chats of Noord", r.Outbox)
	}
	mustContain(t, "claim message", r.Outbox[0].Text, "#1 is opgepakt door Sanne")
	r = f.ok(staffChat, sanne, "/oppakken 1")
	mustContain(t, "/oppakken twice", r.Text, "al opgepakt")
	if len(r.Outbox) != 0 {
		t.Fatalf("claiming twice told the collective again: %+v", r.Outbox)
	}
	r = f.run(staffChat, joost, "/oppakken 1")
	mustContain(t, "/oppakken by another", r.Text, "#1 is al opgepakt door Sanne")

	r = f.ok(staffChat, sanne, "/open")
	mustContain(t, "/open", r.Text, "#1 · Noord · juridisch · 3 dagen · opgepakt door Sanne")

	r = f.ok(staffChat, joost, "/antwoord 1 Ja, als de huurovereenkomst het toestaat.\nLees artikel 7.")
	mustContain(t, "/antwoord", r.Text, "#1", "Noord", "/afronden 1")
	if len(r.Outbox) != 2 {
		t.Fatalf("/antwoord outbox = %+v, want both chats", r.Outbox)
	}
	for _, m := range r.Outbox {
		mustContain(t, "answer message", m.Text, "#1", "Joost", "huurovereenkomst het toestaat.\nLees artikel 7.")
	}

	r = f.ok(noordChat, piet, "/hulpvragen")
	mustContain(t, "/hulpvragen answered", r.Text, "#1 · juridisch · beantwoord", "onderverhuren", "Joost", "artikel 7")

	r = f.ok(staffChat, sanne, "/afronden 1")
	mustContain(t, "/afronden", r.Text, "#1 is afgerond")
	if len(r.Outbox) != 2 {
		t.Fatalf("/afronden outbox = %+v", r.Outbox)
	}
	m := outboxTo(r, noordChat)[0]
	mustContain(t, "resolved message", m.Text, "#1 is afgerond")
	if len(m.Buttons) != 2 || m.Buttons[0].Label != "Geholpen? 👍" || m.Buttons[0].Line() != "/feedback 1 ja" ||
		m.Buttons[1].Label != "👎" || m.Buttons[1].Line() != "/feedback 1 nee" {
		t.Fatalf("feedback buttons = %+v", m.Buttons)
	}
	r = f.ok(staffChat, sanne, "/open")
	mustContain(t, "/open after resolving", r.Text, "Geen openstaande hulpvragen")

	// The buttons run as the presser in the collective's chat.
	r = f.ok(noordChat, piet, m.Buttons[0].Line())
	mustContain(t, "/feedback", r.Text, "#1", "👍")
	if s := outboxTo(r, staffChat); len(s) != 1 || !strings.Contains(s[0].Text, "#1") {
		t.Fatalf("/feedback outbox = %+v", r.Outbox)
	}
	r = f.run(noordChat, anna, m.Buttons[1].Line())
	if !r.Ephemeral || !strings.Contains(r.Text, "al doorgegeven") {
		t.Fatalf("second feedback = %+v", r)
	}
	got, err := f.db.Request(f.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Feedback != "ja" || got.Status != commands.StatusResolved || len(got.Answers) != 1 {
		t.Fatalf("request after the lifecycle = %+v", got)
	}
	r = f.ok(noordChat, piet, "/hulpvragen")
	mustContain(t, "/hulpvragen resolved", r.Text, "#1 · juridisch · afgerond 👍")

	// Another collective cannot give feedback on Noord's request.
	zuid := codeRE.FindString(f.ok(staffChat, sanne, "/collectief Zuid").Text)
	f.ok(looseChat, anna, "/koppel "+zuid)
	r = f.run(looseChat, anna, "/feedback 1 nee")
	mustContain(t, "feedback from another collective", r.Text, "#1 bestaat niet")
	if got, _ := f.db.Request(f.ctx, 1); got.CollectiveID != noord || got.Feedback != "ja" {
		t.Fatalf("request #1 = %+v", got)
	}
}

func flowNoStaffChat(t *testing.T) {
	f := newFixture(t)
	// A bot admin creates a collective before any staff chat exists: that
	// is impossible through commands, so the collective comes from storage.
	c := &commands.Collective{Name: "Oost", Code: "K7MPX2QD"}
	if err := f.db.CreateCollective(f.ctx, "", c, admin); err != nil {
		t.Fatal(err)
	}
	f.ok(noordChat, anna, "/koppel K7MPX2QD")
	r := f.ok(noordChat, anna, "/hulpvraag energie Wie weet iets van warmtenetten?")
	mustContain(t, "/hulpvraag without staff", r.Text, "#1", "opgeslagen", "stafkanaal")
	if len(r.Outbox) != 0 {
		t.Fatalf("outbox = %+v, want none", r.Outbox)
	}
	if reqs, err := f.db.Requests(f.ctx, c.ID); err != nil || len(reqs) != 1 {
		t.Fatalf("requests = %v, %v; want one stored", reqs, err)
	}
	mustContain(t, "log", f.logs.String(), "no staff chat")
	mustNotContain(t, "log", f.logs.String(), "warmtenetten")
}

func flowPanel(t *testing.T) {
	f := newFixture(t)
	f.setup()
	r := f.ok(noordChat, anna, "/schuif Zeggenschap 7 we beslissen nu samen")
	mustContain(t, "/schuif first", r.Text, "zeggenschap: nog niet gezet → 7", "▰▰▰▰▰▰▰▱▱▱")
	f.now = f.now.Add(24 * time.Hour)
	r = f.ok(noordChat, piet, "/schuif zegg 5")
	mustContain(t, "/schuif prefix", r.Text, "zeggenschap: 7 → 5", "toelichting")
	r = f.ok(noordChat, piet, "/schuif financiele duurzaamheid 3")
	mustContain(t, "/schuif accents", r.Text, "financiële duurzaamheid: nog niet gezet → 3")

	r = f.run(noordChat, piet, "/schuif zegenschap 6")
	mustContain(t, "/schuif typo", r.Text, `Onbekend element "zegenschap". Bedoel je "zeggenschap"?`, "impact op zorg")

	r = f.ok(noordChat, anna, "/element Buurtkracht hoeveel mensen meedoen")
	mustContain(t, "/element", r.Text, "Buurtkracht", "/schuif Buurtkracht", "Omschrijving: hoeveel mensen meedoen")
	r = f.ok(noordChat, anna, "/schuif buurt 4")
	mustContain(t, "/schuif own element", r.Text, "Buurtkracht: nog niet gezet → 4")

	r = f.ok(noordChat, piet, "/mengpaneel")
	lines := strings.Split(r.Text, "\n")
	for _, want := range []string{"• zeggenschap: ▰▰▰▰▰▱▱▱▱▱ 5", "• eigenaarschap: nog niet gezet",
		"• financiële duurzaamheid: ▰▰▰▱▱▱▱▱▱▱ 3", "• impact op zorg: nog niet gezet", "• Buurtkracht: ▰▰▰▰▱▱▱▱▱▱ 4"} {
		found := false
		for _, l := range lines {
			found = found || l == want
		}
		if !found {
			t.Errorf("/mengpaneel has no line %q:\n%s", want, r.Text)
		}
	}
	if r.Image != nil {
		t.Fatalf("an image without a chart renderer")
	}

	r = f.ok(noordChat, piet, "/mengpaneel zeggenschap")
	mustContain(t, "/mengpaneel element", r.Text, "zeggenschap van Noord, nu 5",
		"28 nov 2026 11:00: 7 → 5 — Piet", "27 nov 2026 11:00: nog niet gezet → 7 — Anna", "we beslissen nu samen")
	if strings.Index(r.Text, "7 → 5") > strings.Index(r.Text, "→ 7") {
		t.Fatalf("history not newest first: %q", r.Text)
	}
	r = f.ok(noordChat, piet, "/mengpaneel eigenaarschap")
	mustContain(t, "/mengpaneel unset element", r.Text, "nog nooit gezet")
}

// fakeCharts records what it was asked to draw.
type fakeCharts struct {
	title  string
	elems  []commands.Element
	before map[int64]int
	// lang and historyLang are the languages the last panel and history
	// charts were asked for.
	lang, historyLang commands.Lang
}

func (c *fakeCharts) Panel(l commands.Lang, title string, elems []commands.Element, before map[int64]int) (*commands.File, error) {
	c.lang, c.title, c.elems, c.before = l, title, elems, before
	return &commands.File{Name: "mengpaneel.png", ContentType: "image/png", Data: []byte("png")}, nil
}

func (c *fakeCharts) History(l commands.Lang, title string, elem commands.Element, changes []commands.SliderChange) (*commands.File, error) {
	c.historyLang = l
	return &commands.File{Name: "verloop.png", ContentType: "image/png", Data: []byte("png")}, nil
}

func flowPanelChart(t *testing.T) {
	f := newFixture(t)
	f.setup()
	charts := &fakeCharts{}
	f.h.Charts = charts
	f.ok(noordChat, anna, "/schuif zeggenschap 2")
	f.ok(noordChat, anna, "/schuif eigenaarschap 6")
	f.now = f.now.Add(40 * 24 * time.Hour)
	f.ok(noordChat, anna, "/schuif zeggenschap 8")
	f.ok(noordChat, anna, "/schuif ondernemerschap 1")
	r := f.ok(noordChat, anna, "/mengpaneel")
	if r.Image == nil || r.Image.Name != "mengpaneel.png" {
		t.Fatalf("image = %+v", r.Image)
	}
	mustContain(t, "/mengpaneel with chart", r.Text, "• zeggenschap: ▰▰▰▰▰▰▰▰▱▱ 8")
	if charts.title != "Noord" || len(charts.elems) != 11 {
		t.Fatalf("chart asked for %q with %d elements", charts.title, len(charts.elems))
	}
	// Four weeks ago: zeggenschap was 2, eigenaarschap 6 (unchanged since),
	// ondernemerschap had no value.
	want := map[int64]int{}
	for _, e := range charts.elems {
		switch e.Name {
		case "zeggenschap":
			want[e.ID] = 2
		case "eigenaarschap":
			want[e.ID] = 6
		}
	}
	if len(charts.before) != len(want) {
		t.Fatalf("before = %v, want %v", charts.before, want)
	}
	for id, v := range want {
		if charts.before[id] != v {
			t.Fatalf("before = %v, want %v", charts.before, want)
		}
	}
	// The charts' own words follow the chat's language.
	for _, lang := range []commands.Lang{commands.NL, commands.EN} {
		f.ok(noordChat, piet, "/taal "+string(lang))
		f.ok(noordChat, anna, "/mengpaneel")
		f.ok(noordChat, anna, "/mengpaneel zeggenschap")
		if charts.lang != lang || charts.historyLang != lang {
			t.Errorf("in a chat in %s the charts were asked in %q and %q", lang, charts.lang, charts.historyLang)
		}
	}
}

func flowCheckinPause(t *testing.T) {
	f := newFixture(t)
	noord := f.setup()
	r := f.run(noordChat, piet, "/checkin alles goed")
	if !r.Ephemeral || !strings.Contains(r.Text, "nog geen check-in") {
		t.Fatalf("/checkin without a round = %+v", r)
	}
	round, claimed, err := f.db.ClaimRound(f.ctx, noord, start.Add(-time.Hour))
	if err != nil || !claimed {
		t.Fatalf("claim round: %v %v", claimed, err)
	}
	if err := f.db.MarkRoundPosted(f.ctx, round.ID); err != nil {
		t.Fatal(err)
	}
	r = f.ok(noordChat, piet, "/checkin Goede week, pand bezichtigd")
	mustContain(t, "/checkin", r.Text, "27 nov 2026")
	answers, err := f.db.CheckinAnswers(f.ctx, round.ID)
	if err != nil || len(answers) != 1 || answers[0].Author != "Piet" {
		t.Fatalf("answers = %+v, %v", answers, err)
	}

	r = f.ok(noordChat, piet, "/pauze")
	mustContain(t, "/pauze without date", r.Text, "lopen gewoon", "/pauze JJJJ-MM-DD")
	r = f.ok(noordChat, piet, "/pauze 2026-11-28")
	mustContain(t, "/pauze tomorrow", r.Text, "28 nov 2026")
	r = f.ok(noordChat, piet, "/pauze 2027-01-04")
	mustContain(t, "/pauze", r.Text, "Vanaf 4 jan 2027 komen ze weer")
	c, err := f.db.Collective(f.ctx, noord)
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	if want := time.Date(2027, 1, 4, 0, 0, 0, 0, ams); !c.PausedUntil.Equal(want) {
		t.Fatalf("paused until %v, want %v (midnight in the programme time zone)", c.PausedUntil, want)
	}
	r = f.ok(noordChat, piet, "/pauze")
	mustContain(t, "/pauze shows", r.Text, "gepauzeerd", "4 jan 2027")

	r = f.ok(staffChat, sanne, "/collectieven")
	mustContain(t, "/collectieven paused", r.Text, "gepauzeerd tot 4 jan 2027")

	// Back early: /pauze stop ends the pause; a second stop says there is none.
	r = f.ok(noordChat, piet, "/pauze STOP")
	mustContain(t, "/pauze stop", r.Text, "pauze is voorbij")
	if c, _ := f.db.Collective(f.ctx, noord); !c.PausedUntil.IsZero() {
		t.Fatalf("paused until %v after /pauze stop, want no pause", c.PausedUntil)
	}
	r = f.ok(noordChat, piet, "/pauze stop")
	mustContain(t, "/pauze stop twice", r.Text, "geen pauze")
}

func flowSchedule(t *testing.T) {
	f := newFixture(t)
	noord := f.setup()
	r := f.ok(staffChat, sanne, `/schema noord 30 9 * * WED`)
	// 27 Nov 2026 is a Friday: the next Wednesdays are 2 and 9 December.
	mustContain(t, "/schema", r.Text, "Noord", "wo 2 dec 2026 09:30", "wo 9 dec 2026 09:30", "Europe/Amsterdam")
	c, _ := f.db.Collective(f.ctx, noord)
	if c.Schedule != "30 9 * * WED" {
		t.Fatalf("schedule = %q", c.Schedule)
	}
	r = f.ok(staffChat, sanne, "/schema Noord @daily")
	mustContain(t, "/schema @daily", r.Text, "za 28 nov 2026 00:00", "zo 29 nov 2026 00:00")
	r = f.ok(staffChat, sanne, "/schema Noord standaard")
	mustContain(t, "/schema standaard", r.Text, "standaardschema (0 10 * * MON)", "ma 30 nov 2026 10:00")
	c, _ = f.db.Collective(f.ctx, noord)
	if c.Schedule != "" {
		t.Fatalf("schedule after standaard = %q, want empty", c.Schedule)
	}
}

func flowPrivacy(t *testing.T) {
	f := newFixture(t)
	noord := f.setup()
	f.ok(noordChat, piet, "/voortgang Piet was hier #privacy")
	f.ok(noordChat, piet, "/schuif zeggenschap 3 omdat het kan")
	f.ok(noordChat, piet, "/hulpvraag overig Wat weten jullie van mij?")

	// In a group (a Telegram group has no private replies) the file would
	// reach everyone: refused, with the way to get it privately.
	req := f.request(noordChat, piet)
	req.Private = false
	req.Command = "mijngegevens"
	if r := f.h.Handle(f.ctx, req); !r.Ephemeral || len(r.Files) != 0 || !strings.Contains(r.Text, "privébericht") {
		t.Fatalf("/mijngegevens in a group = %+v, want a refusal without files", r)
	}

	r := f.ok(noordChat, piet, "/mijngegevens")
	if len(r.Files) != 1 || r.Files[0].ContentType != "application/json" {
		t.Fatalf("/mijngegevens files = %+v", r.Files)
	}
	mustContain(t, "/mijngegevens", r.Text, "/vergeetmij")
	var data struct {
		Naam      string
		Voortgang []struct {
			Tekst  string
			Themas []string
		}
		Hulpvragen        []struct{ Nummer int64 }
		Schuifwijzigingen []struct {
			Element     string
			Toelichting string
		}
	}
	if err := json.Unmarshal(r.Files[0].Data, &data); err != nil {
		t.Fatalf("personal data is not JSON: %v", err)
	}
	if data.Naam != "Piet" || len(data.Voortgang) != 1 || data.Voortgang[0].Tekst != "Piet was hier #privacy" ||
		len(data.Hulpvragen) != 1 || data.Hulpvragen[0].Nummer != 1 || len(data.Schuifwijzigingen) != 1 ||
		data.Schuifwijzigingen[0].Toelichting != "omdat het kan" {
		t.Fatalf("personal data = %+v", data)
	}
	if !strings.Contains(string(r.Files[0].Data), "\n  \"") {
		t.Fatalf("personal data is not indented")
	}

	r = f.ok(noordChat, piet, "/vergeetmij")
	mustContain(t, "/vergeetmij", r.Text, "/vergeetmij ja", "niet ongedaan")
	if len(r.Buttons) != 1 || r.Buttons[0].Label != "Ja, wis mijn gegevens" || r.Buttons[0].Line() != "/vergeetmij ja" {
		t.Fatalf("/vergeetmij buttons = %+v", r.Buttons)
	}
	if pd, _ := f.db.PersonalData(f.ctx, piet); pd.Name != "Piet" {
		t.Fatalf("erased before confirmation: %+v", pd)
	}
	r = f.ok(noordChat, piet, "/vergeetmij nee")
	mustContain(t, "/vergeetmij nee", r.Text, "niets gewist")

	r = f.ok(noordChat, piet, "/vergeetmij ja")
	mustContain(t, "/vergeetmij ja", r.Text, "gewist")
	pd, err := f.db.PersonalData(f.ctx, piet)
	if err != nil {
		t.Fatal(err)
	}
	if pd.Name != "" || len(pd.Entries) != 0 || len(pd.SliderChanges) != 0 {
		t.Fatalf("personal data after /vergeetmij = %+v", pd)
	}
	entries, _ := f.db.Entries(f.ctx, noord, 10)
	if len(entries) != 1 || entries[0].Author != commands.ErasedAuthor {
		t.Fatalf("entry kept without name: %+v", entries)
	}
	r = f.ok(noordChat, anna, "/tijdlijn")
	mustNotContain(t, "/tijdlijn after /vergeetmij", r.Text, "— Piet")
}

func flowEnglish(t *testing.T) {
	f := newFixture(t)
	f.setup()
	r := f.ok(noordChat, piet, "/language en")
	mustContain(t, "/language en", r.Text, "English")
	r = f.ok(noordChat, piet, "/help")
	mustContain(t, "/help", r.Text, "Commands in this chat", "/log <text>", "/set <element> <value> [reason]")
	r = f.ok(noordChat, piet, "/log Roof repaired #building")
	mustContain(t, "/log", r.Text, "Logged", "#building")
	r = f.run(noordChat, piet, "/set zeggenschap eleven")
	mustContain(t, "/set eleven", r.Text, "Value must be a whole number from 0 to 10")
	r = f.run(noordChat, piet, "/set zegenschap 4")
	mustContain(t, "/set typo", r.Text, `Did you mean "zeggenschap"?`)
	r = f.ok(noordChat, piet, "/ask zorg Who knows about care cooperatives?")
	mustContain(t, "/ask", r.Text, "#1", "programme team")
	// The staff chat keeps its own language.
	mustContain(t, "staff message", r.Outbox[0].Text, "Nieuwe hulpvraag #1")
	r = f.ok(staffChat, sanne, "/afronden 1")
	m := outboxTo(r, noordChat)[0]
	mustContain(t, "resolved message in English", m.Text, "#1 is resolved")
	if m.Buttons[0].Label != "Helped? 👍" || m.Buttons[0].Line() != "/feedback 1 ja" {
		t.Fatalf("buttons = %+v", m.Buttons)
	}
	r = f.ok(noordChat, piet, "/timeline")
	mustContain(t, "/timeline", r.Text, "27 Nov 2026 11:00", "Roof repaired")
	r = f.ok(noordChat, piet, "/taal nl")
	mustContain(t, "/taal nl", r.Text, "Nederlands")
}

func flowComplete(t *testing.T) {
	f := newFixture(t)
	f.setup()
	f.ok(noordChat, anna, "/schuif impact op werk 6")
	f.ok(noordChat, anna, "/hulpvraag werk Hoe winnen we de aanbesteding groenonderhoud?")
	f.ok(staffChat, sanne, "/collectief Zuid")
	names := func(cs []commands.Choice) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Name+"="+c.Value)
		}
		return strings.Join(s, "; ")
	}
	complete := func(chat commands.ChatRef, option, partial string) string {
		return names(f.h.Complete(f.ctx, commands.Request{Chat: chat, User: piet}, option, partial))
	}
	if got, want := complete(noordChat, "element", "Impact"), "impact op wonen=impact op wonen; impact op werk (6)=impact op werk; impact op zorg=impact op zorg"; got != want {
		t.Errorf("element Impact = %q, want %q", got, want)
	}
	if got, want := complete(noordChat, "element", "financiele"), "financiële duurzaamheid=financiële duurzaamheid"; got != want {
		t.Errorf("element financiele = %q, want %q", got, want)
	}
	// Prefix matches come before matches inside a name.
	if got := complete(noordChat, "element", "wijk"); got != "geldstromen in de wijk=geldstromen in de wijk; geworteld in de wijk=geworteld in de wijk" {
		t.Errorf("element wijk = %q", got)
	}
	if got := f.h.Complete(f.ctx, commands.Request{Chat: noordChat}, "element", ""); len(got) != 11 {
		t.Errorf("element \"\" gives %d choices, want all 11", len(got))
	}
	if got, want := complete(staffChat, "collectief", "z"), "Zuid=Zuid"; got != want {
		t.Errorf("collectief z = %q, want %q", got, want)
	}
	// In a collective's chat collectief is /contact's: the other
	// collectives (their names, as /sparren shows them), never its own,
	// and nothing of the staff's (codes, chats).
	if got, want := complete(noordChat, "collectief", ""), "Zuid=Zuid"; got != want {
		t.Errorf("collectief in a collective's chat = %q, want %q", got, want)
	}
	if got := complete(staffChat, "nummer", "#1"); !strings.HasPrefix(got, "#1 Noord") || !strings.HasSuffix(got, "=1") {
		t.Errorf("nummer #1 = %q", got)
	}
	if got := complete(staffChat, "nummer", "aanbesteding"); !strings.Contains(got, "groenonderhoud") {
		t.Errorf("nummer aanbesteding = %q", got)
	}
	if got := complete(noordChat, "nummer", ""); got != "" {
		t.Errorf("nummer in a collective's chat = %q, want nothing", got)
	}
}
