package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// CSV returns one CSV file per kind of record, every collective's rows in
// the same file with a "collectief" column, named prefix-kind.csv:
// voortgang, hulpvragen, antwoorden, schuifgeschiedenis and checkins.
//
// The files are UTF-8 with a header row, quoted as RFC 4180 says (CRLF line
// ends, fields with commas, quotes or line breaks in double quotes), and
// times are ISO 8601 with the offset of loc. A field that a spreadsheet would
// run as a formula (starting with =, +, -, @) gets a leading apostrophe: the
// text comes from chat users, the file is opened by staff.
func CSV(prefix string, cs []*commands.CollectiveReport, loc *time.Location) ([]commands.File, error) {
	if loc == nil {
		loc = time.UTC
	}
	date := func(t time.Time) string { return isoTime(t, loc) }
	tables := []struct {
		kind   string
		header []string
		rows   func(c *commands.CollectiveReport, add func(...string))
	}{
		{"voortgang", []string{"collectief", "datum", "soort", "tekst", "themas", "auteur", "bron"},
			func(c *commands.CollectiveReport, add func(...string)) {
				for _, e := range c.Entries {
					kind := "voortgang"
					if e.Milestone {
						kind = "mijlpaal"
					}
					add(c.Collective.Name, date(e.CreatedAt), kind, e.Text, strings.Join(e.Themes, " "), e.Author, e.Source)
				}
			}},
		{"hulpvragen", []string{"collectief", "nummer", "expertise", "vraag", "status", "gevraagd_door", "gevraagd_op",
			"opgepakt_door", "opgepakt_op", "beantwoord_op", "afgerond_op", "nuttig", "aantal_antwoorden"},
			func(c *commands.CollectiveReport, add func(...string)) {
				for _, r := range c.Requests {
					add(c.Collective.Name, strconv.FormatInt(r.Number, 10), r.Expertise, r.Question, r.Status, r.AskedBy, date(r.CreatedAt),
						r.ClaimedBy, date(r.ClaimedAt), date(r.AnsweredAt), date(r.ResolvedAt), r.Feedback, strconv.Itoa(len(r.Answers)))
				}
			}},
		{"antwoorden", []string{"collectief", "nummer", "datum", "auteur", "antwoord"},
			func(c *commands.CollectiveReport, add func(...string)) {
				for _, r := range c.Requests {
					for _, a := range r.Answers {
						add(c.Collective.Name, strconv.FormatInt(r.Number, 10), date(a.CreatedAt), a.Author, a.Text)
					}
				}
			}},
		{"schuifgeschiedenis", []string{"collectief", "datum", "element", "oude_waarde", "nieuwe_waarde", "wie", "toelichting"},
			func(c *commands.CollectiveReport, add func(...string)) {
				for _, s := range c.SliderChanges {
					prev := ""
					if s.HadPrevious {
						prev = strconv.Itoa(s.Previous)
					}
					add(c.Collective.Name, date(s.At), s.ElementName, prev, strconv.Itoa(s.Value), s.Who, s.Why)
				}
			}},
		{"checkins", []string{"collectief", "ronde", "datum", "auteur", "antwoord"},
			func(c *commands.CollectiveReport, add func(...string)) {
				rounds := roundTimes(c)
				for _, a := range c.CheckinAnswers {
					add(c.Collective.Name, date(rounds[a.RoundID]), date(a.CreatedAt), a.Author, a.Text)
				}
			}},
	}

	files := make([]commands.File, 0, len(tables))
	for _, t := range tables {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.UseCRLF = true
		var werr error
		write := func(fields []string) {
			if werr == nil {
				werr = w.Write(fields)
			}
		}
		write(t.header)
		for _, c := range cs {
			t.rows(c, func(fields ...string) {
				for i := range fields {
					fields[i] = defuse(fields[i])
				}
				write(fields)
			})
		}
		w.Flush()
		if werr == nil {
			werr = w.Error()
		}
		if werr != nil {
			return nil, fmt.Errorf("export %s.csv: %w", t.kind, werr)
		}
		files = append(files, commands.File{Name: prefix + "-" + t.kind + ".csv", ContentType: CSVType, Data: buf.Bytes()})
	}
	return files, nil
}

// isoTime writes t as ISO 8601 with seconds and the offset of loc
// ("2026-11-27T10:00:00+01:00"); the zero time is an empty field.
func isoTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// defuse keeps a spreadsheet from running a field as a formula (CSV
// injection): such a field gets a leading apostrophe, so it is read as
// text. The price is an apostrophe before a chat text like "-5 euro".
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
