package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// ReportName is the file name of a collective's case report when no other
// collective's name makes the same slug (see ReportNames).
func ReportName(collective string) string { return "casus-" + Slug(collective) + ".md" }

// Report writes the draft case description ("casusbeschrijving") of the
// collective as Markdown: the timeline with its milestones, the panel then
// and now, the help asked and received, the check-in answers. Staff edit it
// before it goes out; the text says so, and reminds them that it names
// participants. now is the date written in it; dates are in loc.
func Report(c *commands.CollectiveReport, now time.Time, loc *time.Location) commands.File {
	return commands.File{Name: ReportName(c.Collective.Name), ContentType: MarkdownType, Data: []byte(caseReport(c, now, loc).markdown())}
}

// ReportHTML writes the same case report as an HTML fragment for a web
// page: the HTML a CommonMark renderer makes of Report's Markdown (with
// GitHub's tables), written from the report's blocks rather than by
// parsing the Markdown back. Every user text in it is escaped.
func ReportHTML(c *commands.CollectiveReport, now time.Time, loc *time.Location) string {
	return caseReport(c, now, loc).html()
}

// caseReport builds the report's blocks, which Report writes as Markdown
// and ReportHTML as HTML.
func caseReport(c *commands.CollectiveReport, now time.Time, loc *time.Location) *doc {
	if loc == nil {
		loc = time.UTC
	}
	r := reportWriter{loc: loc}
	r.heading(1, text("Casusbeschrijving (concept): "), user(c.Collective.Name))
	r.para(em(text("Concept gemaakt door wijkbot op " + r.date(now) + " uit wat het collectief en de begeleiders in de chat vastlegden. " +
		"Controleer en vul aan voordat je het deelt, en vraag toestemming voordat je deelnemers bij naam noemt.")))
	r.summary(c)
	r.timeline(c)
	r.panel(c)
	r.help(c)
	r.checkins(c)
	r.heading(2, text("Lessen voor de beweging"))
	r.lessons(c)
	r.para(em(text("In te vullen door de begeleider: wat werkte, wat niet, en wat kunnen andere collectieven hiervan leren?")))
	return &r.doc
}

type reportWriter struct {
	doc
	loc *time.Location
}

// date writes a date the Dutch way: "27 november 2026".
func (r *reportWriter) date(t time.Time) string {
	if t.IsZero() {
		return "onbekende datum"
	}
	return commands.DutchDate(t.In(r.loc))
}

func (r *reportWriter) summary(c *commands.CollectiveReport) {
	milestones, resolved := 0, 0
	themes := map[string]int{}
	for _, e := range c.Entries {
		if e.Milestone {
			milestones++
		}
		for _, t := range e.Themes {
			themes[t]++
		}
	}
	for _, q := range c.Requests {
		if q.Status == "resolved" {
			resolved++
		}
	}
	r.heading(2, text("In het kort"))
	if !c.Collective.CreatedAt.IsZero() {
		r.item(text("In het programma sinds " + r.date(c.Collective.CreatedAt)))
	}
	r.item(text(fmt.Sprintf("Voortgang: %d %s, waarvan %d %s", len(c.Entries), plural(len(c.Entries), "bericht", "berichten"),
		milestones, plural(milestones, "mijlpaal", "mijlpalen"))))
	r.item(text(fmt.Sprintf("Hulpvragen: %d, waarvan %d afgerond", len(c.Requests), resolved)))
	r.item(text(fmt.Sprintf("Schuifbewegingen op het mengpaneel: %d", len(c.SliderChanges))))
	r.item(text(fmt.Sprintf("Antwoorden op check-ins: %d", len(c.CheckinAnswers))))
	if len(themes) > 0 {
		names := make([]string, 0, len(themes))
		for t := range themes {
			names = append(names, t)
		}
		// Most mentioned first; ties alphabetically, so the report is stable.
		sort.Slice(names, func(i, j int) bool {
			if themes[names[i]] != themes[names[j]] {
				return themes[names[i]] > themes[names[j]]
			}
			return names[i] < names[j]
		})
		parts := []piece{text("Thema's: ")}
		for i, t := range names {
			if i == 8 {
				break
			}
			if i > 0 {
				parts = append(parts, text(", "))
			}
			parts = append(parts, text("#"), user(t), text(fmt.Sprintf(" (%d)", themes[t])))
		}
		r.item(parts...)
	}
}

func (r *reportWriter) timeline(c *commands.CollectiveReport) {
	r.heading(2, text("Tijdlijn"))
	r.heading(3, text("Mijlpalen"))
	found := false
	for _, e := range c.Entries {
		if e.Milestone {
			r.item(append([]piece{strong(text(r.date(e.CreatedAt))), text(": ")}, userLines(e.Text)...)...)
			found = true
		}
	}
	if !found {
		r.para(em(text("Nog geen mijlpalen vastgelegd.")))
	}
	r.heading(3, text("Alle voortgang"))
	if len(c.Entries) == 0 {
		r.para(em(text("Nog geen voortgang vastgelegd.")))
	}
	for _, e := range c.Entries {
		line := []piece{text(r.date(e.CreatedAt) + ": ")}
		if e.Milestone {
			line = append(line, strong(text("mijlpaal:")), text(" "))
		}
		line = append(line, userLines(e.Text)...)
		r.item(append(line, text(" "), em(text("("), user(e.Author), text(")")))...)
	}
}

// panel compares each element's first recorded value with its value now.
func (r *reportWriter) panel(c *commands.CollectiveReport) {
	r.heading(2, text("Mengpaneel toen en nu"))
	first := map[string]commands.SliderChange{}
	for _, s := range c.SliderChanges {
		if _, ok := first[s.ElementName]; !ok {
			first[s.ElementName] = s
		}
	}
	t := &table{head: []string{"Element", "Eerste stand", "Nu", "Verschil"}, right: []bool{false, false, true, true}}
	for _, e := range c.Panel {
		then, now, diff := "nog niet gezet", "nog niet gezet", ""
		if s, ok := first[e.Name]; ok {
			then = fmt.Sprintf("%d (%s)", s.Value, r.date(s.At))
		}
		if e.IsSet {
			now = fmt.Sprint(e.Value)
			if s, ok := first[e.Name]; ok {
				diff = fmt.Sprintf("%+d", e.Value-s.Value)
			}
		}
		t.rows = append(t.rows, [][]piece{{user(e.Name)}, {text(then)}, {text(now)}, {text(diff)}})
	}
	r.blocks = append(r.blocks, block{kind: tableBlock, table: t})
	r.heading(3, text("Verschuivingen"))
	if len(c.SliderChanges) == 0 {
		r.para(em(text("De schuiven zijn nog niet bewogen.")))
	}
	for _, s := range c.SliderChanges {
		move := fmt.Sprintf("gezet op %d", s.Value)
		if s.HadPrevious {
			move = fmt.Sprintf("van %d naar %d", s.Previous, s.Value)
		}
		line := []piece{text(r.date(s.At) + ": "), strong(user(s.ElementName)), text(" " + move)}
		if s.Why != "" {
			line = append(append(line, text(": ")), userLines(s.Why)...)
		}
		r.item(append(line, text(" "), em(text("("), user(s.Who), text(")")))...)
	}
}

// statusNames are the Dutch names of the help request states.
var statusNames = map[string]string{"open": "open", "claimed": "opgepakt", "answered": "beantwoord", "resolved": "afgerond"}

func (r *reportWriter) help(c *commands.CollectiveReport) {
	r.heading(2, text("Hulp gevraagd en gekregen"))
	if len(c.Requests) == 0 {
		r.para(em(text("Nog geen hulpvragen gesteld.")))
	}
	for _, q := range c.Requests {
		status := statusNames[q.Status]
		if status == "" {
			status = q.Status
		}
		r.heading(3, text(fmt.Sprintf("#%d ", q.Number)), user(q.Expertise), text(" ("), user(status), text(")"))
		r.para(text("Gevraagd door "), user(q.AskedBy), text(" op "+r.date(q.CreatedAt)+":"))
		r.blocks = append(r.blocks, block{kind: quoteBlock, lines: splitLines(q.Question)})
		if q.ClaimedBy != "" {
			r.para(text("Opgepakt door "), user(q.ClaimedBy), text("."))
		}
		if len(q.Answers) > 0 {
			r.para(text("Antwoorden:"))
			for _, a := range q.Answers {
				r.item(append([]piece{text(r.date(a.CreatedAt) + ", "), user(a.Author), text(": ")}, userLines(a.Text)...)...)
			}
		}
		switch q.Feedback {
		case "ja":
			r.para(text("Het collectief vond de hulp nuttig."))
		case "nee":
			r.para(text("Het collectief vond de hulp niet nuttig."))
		}
	}
}

func (r *reportWriter) checkins(c *commands.CollectiveReport) {
	r.heading(2, text("Check-ins"))
	if len(c.CheckinAnswers) == 0 {
		r.para(em(text("Nog geen check-ins beantwoord.")))
	}
	rounds := roundTimes(c)
	var round time.Time
	for i, a := range c.CheckinAnswers {
		if i == 0 || !rounds[a.RoundID].Equal(round) {
			round = rounds[a.RoundID]
			r.heading(3, text("Check-in van "+r.date(round)))
		}
		r.item(append([]piece{strong(user(a.Author)), text(": ")}, userLines(a.Text)...)...)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// lessons lists the lessons the collective recorded with /les, each with
// whether the network may read it: the staff's section starts from them.
func (r *reportWriter) lessons(c *commands.CollectiveReport) {
	if len(c.Lessons) == 0 {
		r.para(em(text("Het collectief legde nog geen lessen vast met /les.")))
		return
	}
	r.para(text("Vastgelegd door het collectief (/les):"))
	for _, l := range c.Lessons {
		state := "niet gedeeld"
		if l.Shared() {
			state = "gedeeld met het netwerk"
		}
		r.item(strong(text(fmt.Sprintf("L%d", l.Number))), text(fmt.Sprintf(" (%s, %s): ", r.date(l.CreatedAt), state)), user(strings.ReplaceAll(l.Text, "\n", " ")))
	}
}
