package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// cardNames are the overview's cards, in page order.
var cardPattern = regexp.MustCompile(`<article class="card[^"]*" aria-labelledby="c\d+">\s*<h2 id="c\d+"><a href="[^"]*">([^<]*)</a>`)

func cardNames(page string) []string {
	var names []string
	for _, m := range cardPattern.FindAllStringSubmatch(page, -1) {
		names = append(names, m[1])
	}
	return names
}

// bigProgramme adds 30 collectives to the seeded one (Bewonersbedrijf
// Noord, with an open help request): Collectief 01–30; 01–27 log
// progress now, 28–30 did nothing (quiet), 29 logged progress six weeks
// ago (quiet, but not as long as never).
func (e *env) bigProgramme() {
	e.t.Helper()
	ctx := context.Background()
	for i := 1; i <= 30; i++ {
		c := &commands.Collective{Name: fmt.Sprintf("Collectief %02d", i), Code: fmt.Sprintf("CODE%04d", i)}
		if err := e.db.CreateCollective(ctx, fmt.Sprintf("test:c%d", i), c, staffUser); err != nil {
			e.t.Fatal(err)
		}
		at := e.clock.Now()
		switch {
		case i == 29:
			at = at.AddDate(0, 0, -42)
		case i >= 28:
			continue
		}
		e.db.Now = func() time.Time { return at }
		err := e.db.AddEntry(ctx, fmt.Sprintf("test:e%d", i), &commands.Entry{CollectiveID: c.ID, Text: "bewonersavond"}, resident)
		e.db.Now = e.clock.Now
		if err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestOverviewPaged: the overview shows 24 cards a page, those needing
// attention first, with the programme's totals and page links; a page
// past the last shows the last with a Dutch message, never an error.
func TestOverviewPaged(t *testing.T) {
	e := newEnv(t)
	e.seed()
	e.bigProgramme()
	c := e.client()
	e.login(c, staffUser)

	first := e.get(c, "/")
	if first.StatusCode != http.StatusOK {
		t.Fatalf("/: status %d", first.StatusCode)
	}
	names := cardNames(first.Body)
	if len(names) != commands.OverviewPageSize {
		t.Fatalf("/ has %d cards, want %d: %v", len(names), commands.OverviewPageSize, names)
	}
	// Waiting for help, then never active (by name), then the longest
	// quiet, then the rest by name.
	want := []string{"Bewonersbedrijf Noord", "Collectief 28", "Collectief 30", "Collectief 29", "Collectief 01", "Collectief 02"}
	if got := names[:len(want)]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order %v, want %v first", got, want)
	}
	for _, s := range []string{
		"Collectief 1–24 van 31",
		"<dt>Collectieven</dt><dd>31</dd>",
		"<dt>Collectieven 4 weken of langer stil</dt><dd>3</dd>",
		`href="/?pagina=2"`,
		"Wacht op hulp", "Al 4 weken of langer stil",
		"Eerst wie aandacht nodig heeft",
	} {
		if !strings.Contains(first.Body, s) {
			t.Errorf("/ lacks %q", s)
		}
	}
	if n := strings.Count(first.Body, "<svg"); n != commands.OverviewPageSize {
		t.Errorf("/ draws %d charts, want one a card", n)
	}

	second := e.get(c, "/?pagina=2")
	if got := cardNames(second.Body); second.StatusCode != http.StatusOK || len(got) != 7 || got[6] != "Collectief 27" {
		t.Fatalf("page 2: status %d, cards %v", second.StatusCode, got)
	}
	if !strings.Contains(second.Body, "Collectief 25–31 van 31") || !strings.Contains(second.Body, `rel="prev"`) || strings.Contains(second.Body, `rel="next"`) {
		t.Errorf("page 2's range or links are wrong")
	}

	for path, msg := range map[string]string{
		"/?pagina=99":                    "Pagina “99” bestaat niet; je ziet nu pagina 2 van 2.",
		"/?pagina=99999999999999999999":  "Pagina “99999999999999999999” bestaat niet; je ziet nu pagina 2 van 2.",
		"/?pagina=0":                     "Pagina “0” bestaat niet; je ziet nu pagina 1 van 2.",
		"/?pagina=-3":                    "Pagina “-3” bestaat niet; je ziet nu pagina 1 van 2.",
		"/?pagina=twee":                  "Pagina “twee” bestaat niet; je ziet nu pagina 1 van 2.",
		"/?pagina=%3Cb%3E":               "Pagina “&lt;b&gt;” bestaat niet",
		"/?pagina=99&lang=en":            "Page “99” does not exist; this is page 2 of 2.",
		"/?zoek=collectief&pagina=5":     "je ziet nu pagina 2 van 2.",
		"/?zoek=noord&pagina=2":          "je ziet nu pagina 1 van 1.",
		"/?zoek=bestaatniet&pagina=3":    "Geen collectief heeft “bestaatniet” in de naam.",
		"/?zoek=%3Cscript%3Ex&pagina=40": "Geen collectief heeft “&lt;script&gt;x” in de naam.",
	} {
		res := e.get(c, path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, msg) {
			t.Errorf("%s: status %d, want 200 with %q", path, res.StatusCode, msg)
		}
	}
	if last := cardNames(e.get(c, "/?pagina=99").Body); len(last) != 7 {
		t.Errorf("past the last page: %d cards, want the last page's 7", len(last))
	}

	en := e.get(c, "/?pagina=2&lang=en")
	if !strings.Contains(en.Body, "Collective 25–31 of 31") || !strings.Contains(en.Body, `href="/?lang=en"`) {
		t.Errorf("English page 2 lacks its range or the link to page 1")
	}
}

// TestOverviewFilter: the name filter keeps the collectives whose name
// contains the words, case- and accent-insensitively; LIKE's wildcards
// are plain characters; the page links keep the filter.
func TestOverviewFilter(t *testing.T) {
	e := newEnv(t)
	e.seed()
	e.bigProgramme()
	c := e.client()
	e.login(c, staffUser)
	for q, want := range map[string][]string{
		"noord":      {"Bewonersbedrijf Noord"},
		"NÓÓRD":      {"Bewonersbedrijf Noord"},
		"ctief 2":    {"Collectief 28", "Collectief 29", "Collectief 20", "Collectief 21", "Collectief 22", "Collectief 23", "Collectief 24", "Collectief 25", "Collectief 26", "Collectief 27"},
		"%":          nil,
		"_":          nil,
		"collectief": nil, // 30: checked below
	} {
		res := e.get(c, "/?zoek="+urlQuery(q))
		got := cardNames(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%q: status %d", q, res.StatusCode)
		}
		if q == "collectief" {
			if len(got) != 24 || !strings.Contains(res.Body, "Collectief 1–24 van 30 met “collectief” in de naam") ||
				!strings.Contains(res.Body, `href="/?pagina=2&amp;zoek=collectief"`) {
				t.Errorf("%q: %d cards; the range or the link to page 2 with the filter is missing", q, len(got))
			}
			continue
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q: cards %v, want %v", q, got, want)
		}
	}
	// The totals are the whole programme's, whatever the filter.
	if res := e.get(c, "/?zoek=noord"); !strings.Contains(res.Body, "<dt>Collectieven</dt><dd>31</dd>") {
		t.Errorf("filtered page: the totals are not the programme's")
	}
}

func urlQuery(s string) string {
	r := strings.NewReplacer("%", "%25", " ", "+", "&", "%26", "#", "%23")
	return r.Replace(s)
}

// askRequests has Noord ask help requests #from to #to (juridisch,
// "Vraag <n>"), straight into the store, as seed asked #1.
func (e *env) askRequests(from, to int) {
	e.t.Helper()
	ctx := context.Background()
	coll, err := e.db.CollectiveByName(ctx, "Bewonersbedrijf Noord")
	if err != nil {
		e.t.Fatal(err)
	}
	for i := from; i <= to; i++ {
		r := &commands.HelpRequest{CollectiveID: coll.ID, Expertise: "juridisch", Question: fmt.Sprintf("Vraag %d", i)}
		if err := e.db.CreateRequest(ctx, fmt.Sprintf("test:r%d", i), r, resident, 0); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestQueuePaged: the queue shows 25 requests a page, oldest first; a page
// past the last shows the last with a Dutch message.
func TestQueuePaged(t *testing.T) {
	e := newEnv(t)
	e.seed() // request #1
	e.askRequests(2, 30)
	c := e.client()
	e.login(c, staffUser)
	first := e.get(c, "/hulpvragen")
	if n := strings.Count(first.Body, `<article class="request`); first.StatusCode != http.StatusOK || n != 25 {
		t.Fatalf("queue: status %d, %d requests", first.StatusCode, n)
	}
	if !strings.Contains(first.Body, `id="r1"`) || strings.Contains(first.Body, `id="r26"`) || !strings.Contains(first.Body, "Hulpvraag 1–25 van 30") {
		t.Errorf("queue page 1 is not the oldest 25 of 30")
	}
	second := e.get(c, "/hulpvragen?pagina=2")
	if n := strings.Count(second.Body, `<article class="request`); n != 5 || !strings.Contains(second.Body, `id="r30"`) {
		t.Errorf("queue page 2: %d requests", n)
	}
	past := e.get(c, "/hulpvragen?pagina=7")
	if past.StatusCode != http.StatusOK || !strings.Contains(past.Body, "Pagina “7” bestaat niet; je ziet nu pagina 2 van 2.") || !strings.Contains(past.Body, `id="r30"`) {
		t.Errorf("queue past the last page: status %d", past.StatusCode)
	}
	// A form on page 2 works and comes back to page 2.
	form := formValues(t, second.Body, "/hulpvragen/30/afronden?pagina=2")
	res := e.post(c, "/hulpvragen/30/afronden?pagina=2", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Hulpvraag 26–29 van 29") || !strings.Contains(res.Body, `class="notice ok"`) {
		t.Errorf("resolve from page 2: status %d, not back on page 2 with the notice", res.StatusCode)
	}
}

// TestLessonsPaged: the staff's lessons come 50 a page with a link to the
// next; a page past the end says so.
func TestLessonsPaged(t *testing.T) {
	e := newEnv(t)
	e.seed() // L1, L2
	ctx := context.Background()
	coll, err := e.db.CollectiveByName(ctx, "Bewonersbedrijf Noord")
	if err != nil {
		t.Fatal(err)
	}
	for i := 3; i <= 55; i++ {
		l := &commands.Lesson{CollectiveID: coll.ID, Text: fmt.Sprintf("Les nummer %d over de buurt", i)}
		if err := e.db.AddLesson(ctx, fmt.Sprintf("test:l%d", i), l, resident); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	e.login(c, staffUser)
	first := e.get(c, "/lessen")
	if n := strings.Count(first.Body, `<article class="lesson"`); n != 50 || !strings.Contains(first.Body, `id="L55"`) || !strings.Contains(first.Body, `href="/lessen?pagina=2"`) {
		t.Errorf("lessons page 1: %d lessons, newest or next link missing", n)
	}
	second := e.get(c, "/lessen?pagina=2")
	if n := strings.Count(second.Body, `<article class="lesson"`); n != 5 || !strings.Contains(second.Body, `id="L1"`) || strings.Contains(second.Body, `rel="next"`) {
		t.Errorf("lessons page 2: %d lessons", n)
	}
	search := e.get(c, "/lessen?zoek=buurt&pagina=2")
	if n := strings.Count(search.Body, `<article class="lesson"`); n != 3 {
		t.Errorf("search page 2: %d lessons, want 53-50", n)
	}
	past := e.get(c, "/lessen?pagina=9")
	if past.StatusCode != http.StatusOK || !strings.Contains(past.Body, "Pagina “9” bestaat niet: zo veel lessen zijn er niet.") {
		t.Errorf("lessons past the end: status %d", past.StatusCode)
	}
}

// TestMeetingsBounded: a meeting with more answers than the page names
// counts them all and names the first 50.
func TestMeetingsBounded(t *testing.T) {
	e := newEnv(t)
	e.seed()
	ctx := context.Background()
	m := &commands.Meeting{Title: "Netwerkdag", StartsAt: e.clock.Now().AddDate(0, 0, 7)}
	if err := e.db.CreateMeeting(ctx, "test:m", m, staffUser); err != nil {
		t.Fatal(err)
	}
	answers := []string{commands.RSVPYes, commands.RSVPMaybe, commands.RSVPNo}
	for i := range 61 {
		who := commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(1000 + i), Name: fmt.Sprintf("Lid %02d", i)}
		if _, err := e.db.SetRSVP(ctx, fmt.Sprintf("test:rsvp%d", i), m.Number, groupChat, answers[i%3], who); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	e.login(c, staffUser)
	res := e.get(c, "/bijeenkomsten")
	if n := strings.Count(res.Body, "<li>Lid "); res.StatusCode != http.StatusOK || n != 50 {
		t.Errorf("meetings page: status %d, %d answers named, want 50", res.StatusCode, n)
	}
	for _, s := range []string{"komt: 21 · misschien: 20 · kan niet: 20", "… en nog 11 antwoorden"} {
		if !strings.Contains(res.Body, s) {
			t.Errorf("meetings page lacks %q", s)
		}
	}
}

// TestMeetingsOneMore: one answer past the named ones reads in the
// singular ("nog 1 antwoord", not "nog 1 antwoorden").
func TestMeetingsOneMore(t *testing.T) {
	e := newEnv(t)
	e.seed()
	ctx := context.Background()
	m := &commands.Meeting{Title: "Netwerkdag", StartsAt: e.clock.Now().AddDate(0, 0, 7)}
	if err := e.db.CreateMeeting(ctx, "test:m", m, staffUser); err != nil {
		t.Fatal(err)
	}
	for i := range commands.MeetingNamesShown + 1 {
		who := commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(1000 + i), Name: fmt.Sprintf("Lid %02d", i)}
		if _, err := e.db.SetRSVP(ctx, fmt.Sprintf("test:rsvp%d", i), m.Number, groupChat, commands.RSVPYes, who); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	e.login(c, staffUser)
	for _, tc := range []struct{ path, want string }{
		{"/bijeenkomsten", "… en nog 1 antwoord (de aantallen hierboven tellen ze allemaal)."},
		{"/bijeenkomsten?lang=en", "… and 1 more answer (the counts above include them all)."},
	} {
		if res := e.get(c, tc.path); !strings.Contains(res.Body, tc.want) {
			t.Errorf("%s lacks %q", tc.path, tc.want)
		}
	}
}

// TestLessonsMissingPage: a page that is not a number shows the first
// page and says so (not that there are too few lessons), and the link
// back from a page past the last keeps the search.
func TestLessonsMissingPage(t *testing.T) {
	e := newEnv(t)
	e.seed() // L1, L2
	c := e.client()
	e.login(c, staffUser)
	for _, asked := range []string{"abc", "0", "-3"} {
		res := e.get(c, "/lessen?pagina="+asked)
		if want := "Pagina “" + asked + "” bestaat niet; je ziet nu pagina 1."; res.StatusCode != http.StatusOK || !strings.Contains(res.Body, want) {
			t.Errorf("?pagina=%s: status %d, lacks %q", asked, res.StatusCode, want)
		}
		if strings.Contains(res.Body, "zo veel lessen zijn er niet") {
			t.Errorf("?pagina=%s: says there are too few lessons", asked)
		}
		if n := strings.Count(res.Body, `<article class="lesson"`); n != 2 {
			t.Errorf("?pagina=%s: %d lessons, want the first page's 2", asked, n)
		}
	}
	res := e.get(c, "/lessen?pagina=abc&lang=en")
	if want := "Page “abc” does not exist; this is page 1."; !strings.Contains(res.Body, want) {
		t.Errorf("English: lacks %q", want)
	}
	past := e.get(c, "/lessen?zoek=buurt&pagina=9")
	if !strings.Contains(past.Body, "zo veel lessen zijn er niet") || !strings.Contains(past.Body, `href="/lessen?zoek=buurt"`) {
		t.Errorf("past the last page of a search: no message or no link to its first page")
	}
}

// TestQueueLastOfPageResolved: resolving the only request on the last
// page shows the page before with the notice that it worked, not an
// error saying the page asked for does not exist (the person asked for
// nothing; the page emptied by their own action).
func TestQueueLastOfPageResolved(t *testing.T) {
	e := newEnv(t)
	e.seed() // request #1
	e.askRequests(2, commands.QueuePageSize+1)
	c := e.client()
	e.login(c, staffUser)
	second := e.get(c, "/hulpvragen?pagina=2")
	if n := strings.Count(second.Body, `<article class="request`); n != 1 {
		t.Fatalf("queue page 2: %d requests, want 1", n)
	}
	path := fmt.Sprintf("/hulpvragen/%d/afronden?pagina=2", commands.QueuePageSize+1)
	res := e.post(c, path, formValues(t, second.Body, path))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `class="notice ok"`) {
		t.Fatalf("resolve the last request of page 2: status %d, no notice", res.StatusCode)
	}
	if strings.Contains(res.Body, "bestaat niet") || strings.Contains(res.Body, `class="notice error"`) {
		t.Errorf("after resolving the last request of page 2, an error says the page does not exist")
	}
	if !strings.Contains(res.Body, fmt.Sprintf("Hulpvraag 1–%d van %d", commands.QueuePageSize, commands.QueuePageSize)) {
		t.Errorf("after resolving the last request of page 2, not on page 1")
	}
}
