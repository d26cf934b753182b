// Package export turns a collective's records into files staff can take
// away: CSV tables for spreadsheets and a Markdown draft of the case
// description ("casusbeschrijving") the programme shares with the network.
//
// It works on the domain types of package commands (it depends on the
// domain, not the reverse: commands reaches it through commands.Exporter)
// and knows no chat platform and no storage.
package export

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wijkbv/wijkbot/commands"
)

// All is the file prefix of an export of every collective.
const All = "alle-collectieven"

// Content types of the exported files.
const (
	CSVType      = "text/csv; charset=utf-8"
	MarkdownType = "text/markdown; charset=utf-8"
)

// Files writes exports; cmd/wijkbot sets it as commands.Handler.Exporter.
type Files struct{}

var _ commands.Exporter = Files{}

// Export returns the CSV tables over the reports (named after the one
// collective, or All) and a case report per collective. Two collectives
// whose names make the same slug get their id in the report's name, so no
// report replaces another.
func (Files) Export(reports []*commands.CollectiveReport, all bool, now time.Time, loc *time.Location) ([]commands.File, error) {
	prefix := All
	if !all && len(reports) == 1 {
		prefix = Slug(reports[0].Collective.Name)
	}
	files, err := CSV(prefix, reports, loc)
	if err != nil {
		return nil, err
	}
	names := ReportNames(reports)
	for i, r := range reports {
		f := Report(r, now, loc)
		f.Name = names[i]
		files = append(files, f)
	}
	return files, nil
}

// ReportNames names the case reports of the collectives, one distinct name
// each: "casus-<slug>.md", and "casus-<slug>-<id>.md" for every collective
// whose slug another one shares ("Noord" and "Noörd").
func ReportNames(reports []*commands.CollectiveReport) []string {
	count := map[string]int{}
	for _, r := range reports {
		count[Slug(r.Collective.Name)]++
	}
	used := map[string]bool{}
	names := make([]string, len(reports))
	for i, r := range reports {
		slug := Slug(r.Collective.Name)
		base := slug
		if count[slug] > 1 {
			base += "-" + strconv.FormatInt(r.Collective.ID, 10)
		}
		// A name of its own can still look like another's slug plus an id
		// ("Noord 5"); count up until the name is free.
		name := base
		for n := 2; used[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[name] = true
		names[i] = name
	}
	for i := range names {
		names[i] = "casus-" + names[i] + ".md"
	}
	return names
}

// Slug makes a file-name-safe, lower-case ASCII form of a name:
// "Zorgcoöperatie De Akker" becomes "zorgcooperatie-de-akker". Accents are
// folded as commands.NormalizeName folds them.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range commands.NormalizeName(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "collectief"
	}
	return b.String()
}

// roundTimes maps each check-in round's id to its scheduled time.
func roundTimes(r *commands.CollectiveReport) map[int64]time.Time {
	m := make(map[int64]time.Time, len(r.Rounds))
	for _, rd := range r.Rounds {
		m[rd.ID] = rd.ScheduledAt
	}
	return m
}
