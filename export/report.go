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
	if loc == nil {
		loc = time.UTC
	}
	r := reportWriter{loc: loc}
	r.line("# Casusbeschrijving (concept): %s", md(c.Collective.Name))
	r.line("")
	r.line("_Concept gemaakt door wijkbot op %s uit wat het collectief en de begeleiders in de chat vastlegden. "+
		"Controleer en vul aan voordat je het deelt, en vraag toestemming voordat je deelnemers bij naam noemt._", r.date(now))
	r.summary(c)
	r.timeline(c)
	r.panel(c)
	r.help(c)
	r.checkins(c)
	r.line("")
	r.line("## Lessen voor de beweging")
	r.line("")
	r.lessons(c)
	r.line("_In te vullen door de begeleider: wat werkte, wat niet, en wat kunnen andere collectieven hiervan leren?_")
	return commands.File{Name: ReportName(c.Collective.Name), ContentType: MarkdownType, Data: []byte(r.b.String())}
}

type reportWriter struct {
	b   strings.Builder
	loc *time.Location
}

func (r *reportWriter) line(format string, args ...any) {
	fmt.Fprintf(&r.b, format, args...)
	r.b.WriteByte('\n')
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
	r.line("")
	r.line("## In het kort")
	r.line("")
	if !c.Collective.CreatedAt.IsZero() {
		r.line("- In het programma sinds %s", r.date(c.Collective.CreatedAt))
	}
	r.line("- Voortgang: %d %s, waarvan %d %s", len(c.Entries), plural(len(c.Entries), "bericht", "berichten"),
		milestones, plural(milestones, "mijlpaal", "mijlpalen"))
	r.line("- Hulpvragen: %d, waarvan %d afgerond", len(c.Requests), resolved)
	r.line("- Schuifbewegingen op het mengpaneel: %d", len(c.SliderChanges))
	r.line("- Antwoorden op check-ins: %d", len(c.CheckinAnswers))
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
		var parts []string
		for i, t := range names {
			if i == 8 {
				break
			}
			parts = append(parts, fmt.Sprintf("#%s (%d)", md(t), themes[t]))
		}
		r.line("- Thema's: %s", strings.Join(parts, ", "))
	}
}

func (r *reportWriter) timeline(c *commands.CollectiveReport) {
	r.line("")
	r.line("## Tijdlijn")
	r.line("")
	r.line("### Mijlpalen")
	r.line("")
	found := false
	for _, e := range c.Entries {
		if e.Milestone {
			r.line("- **%s**: %s", r.date(e.CreatedAt), mdItem(e.Text))
			found = true
		}
	}
	if !found {
		r.line("_Nog geen mijlpalen vastgelegd._")
	}
	r.line("")
	r.line("### Alle voortgang")
	r.line("")
	if len(c.Entries) == 0 {
		r.line("_Nog geen voortgang vastgelegd._")
	}
	for _, e := range c.Entries {
		mark := ""
		if e.Milestone {
			mark = "**mijlpaal:** "
		}
		r.line("- %s: %s%s _(%s)_", r.date(e.CreatedAt), mark, mdItem(e.Text), md(e.Author))
	}
}

// panel compares each element's first recorded value with its value now.
func (r *reportWriter) panel(c *commands.CollectiveReport) {
	r.line("")
	r.line("## Mengpaneel toen en nu")
	r.line("")
	first := map[string]commands.SliderChange{}
	for _, s := range c.SliderChanges {
		if _, ok := first[s.ElementName]; !ok {
			first[s.ElementName] = s
		}
	}
	r.line("| Element | Eerste stand | Nu | Verschil |")
	r.line("|---|---|---:|---:|")
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
		r.line("| %s | %s | %s | %s |", mdCell(e.Name), then, now, diff)
	}
	r.line("")
	r.line("### Verschuivingen")
	r.line("")
	if len(c.SliderChanges) == 0 {
		r.line("_De schuiven zijn nog niet bewogen._")
	}
	for _, s := range c.SliderChanges {
		move := fmt.Sprintf("gezet op %d", s.Value)
		if s.HadPrevious {
			move = fmt.Sprintf("van %d naar %d", s.Previous, s.Value)
		}
		why := ""
		if s.Why != "" {
			why = ": " + mdItem(s.Why)
		}
		r.line("- %s: **%s** %s%s _(%s)_", r.date(s.At), md(s.ElementName), move, why, md(s.Who))
	}
}

// statusNames are the Dutch names of the help request states.
var statusNames = map[string]string{"open": "open", "claimed": "opgepakt", "answered": "beantwoord", "resolved": "afgerond"}

func (r *reportWriter) help(c *commands.CollectiveReport) {
	r.line("")
	r.line("## Hulp gevraagd en gekregen")
	if len(c.Requests) == 0 {
		r.line("")
		r.line("_Nog geen hulpvragen gesteld._")
	}
	for _, q := range c.Requests {
		status := statusNames[q.Status]
		if status == "" {
			status = q.Status
		}
		r.line("")
		r.line("### #%d %s (%s)", q.Number, md(q.Expertise), status)
		r.line("")
		r.line("Gevraagd door %s op %s:", md(q.AskedBy), r.date(q.CreatedAt))
		r.line("")
		r.line("%s", mdQuote(q.Question))
		if q.ClaimedBy != "" {
			r.line("")
			r.line("Opgepakt door %s.", md(q.ClaimedBy))
		}
		if len(q.Answers) > 0 {
			r.line("")
			r.line("Antwoorden:")
			r.line("")
			for _, a := range q.Answers {
				r.line("- %s, %s: %s", r.date(a.CreatedAt), md(a.Author), mdItem(a.Text))
			}
		}
		switch q.Feedback {
		case "ja":
			r.line("")
			r.line("Het collectief vond de hulp nuttig.")
		case "nee":
			r.line("")
			r.line("Het collectief vond de hulp niet nuttig.")
		}
	}
}

func (r *reportWriter) checkins(c *commands.CollectiveReport) {
	r.line("")
	r.line("## Check-ins")
	if len(c.CheckinAnswers) == 0 {
		r.line("")
		r.line("_Nog geen check-ins beantwoord._")
	}
	rounds := roundTimes(c)
	var round time.Time
	for i, a := range c.CheckinAnswers {
		if i == 0 || !rounds[a.RoundID].Equal(round) {
			round = rounds[a.RoundID]
			r.line("")
			r.line("### Check-in van %s", r.date(round))
			r.line("")
		}
		r.line("- **%s**: %s", md(a.Author), mdItem(a.Text))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdEscaper escapes the characters that would turn chat text into Markdown
// markup (emphasis, links, code, HTML, table cells).
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `|`, `\|`)

// md makes one line of user text literal Markdown. Line breaks become
// spaces; use mdItem or mdQuote to keep them.
func md(s string) string {
	return mdLine(strings.Join(strings.Fields(s), " "))
}

// mdLine escapes a line, including what would start a heading, list or quote.
func mdLine(s string) string {
	s = mdEscaper.Replace(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+':
		return `\` + s
	}
	// "1. " would start a numbered list.
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// mdItem writes multi-line user text as the rest of a list item: later
// lines are indented so they stay inside the item.
func mdItem(s string) string {
	lines := splitLines(s)
	for i := range lines {
		lines[i] = mdLine(lines[i])
	}
	return strings.Join(lines, "\n  ")
}

// mdQuote writes multi-line user text as a block quote.
func mdQuote(s string) string {
	lines := splitLines(s)
	for i := range lines {
		lines[i] = strings.TrimRight("> "+mdLine(lines[i]), " ")
	}
	return strings.Join(lines, "\n")
}

// mdCell writes user text into a table cell, which cannot hold a line break.
func mdCell(s string) string { return md(s) }

// splitLines splits on any line break and drops trailing spaces, so the
// output has no accidental hard breaks.
func splitLines(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return lines
}

// lessons lists the lessons the collective recorded with /les, each with
// whether the network may read it: the staff's section starts from them.
func (r *reportWriter) lessons(c *commands.CollectiveReport) {
	if len(c.Lessons) == 0 {
		r.line("_Het collectief legde nog geen lessen vast met /les._")
		r.line("")
		return
	}
	r.line("Vastgelegd door het collectief (/les):")
	r.line("")
	for _, l := range c.Lessons {
		state := "niet gedeeld"
		if l.Shared() {
			state = "gedeeld met het netwerk"
		}
		r.line("- **L%d** (%s, %s): %s", l.Number, r.date(l.CreatedAt), state, md(strings.ReplaceAll(l.Text, "\n", " ")))
	}
	r.line("")
}
