// Package export turns a collective's records into files staff can take
// away: CSV tables for spreadsheets and a Markdown draft of the case
// description ("casusbeschrijving") the programme shares with the network.
//
// It works on plain data and knows no chat platform and no storage.
package export

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Collective is everything exported about one collective.
type Collective struct {
	Name      string
	CreatedAt time.Time
	Panel     []Element       // the elements now, in panel order
	Entries   []Entry         // oldest first
	Requests  []Request       // oldest first
	Sliders   []SliderChange  // oldest first
	Checkins  []CheckinAnswer // oldest first
}

// Entry is one piece of logged progress.
type Entry struct {
	At        time.Time
	Text      string
	Themes    []string
	Milestone bool
	Author    string
	Source    string // platform
}

// Request is a help request with its answers.
type Request struct {
	Number     int64
	Expertise  string
	Question   string
	Status     string // open, claimed, answered, resolved
	AskedBy    string
	ClaimedBy  string
	Feedback   string // "", "ja", "nee"
	CreatedAt  time.Time
	ClaimedAt  time.Time
	AnsweredAt time.Time
	ResolvedAt time.Time
	Answers    []Answer
}

// Answer is a staff answer to a help request.
type Answer struct {
	At     time.Time
	Author string
	Text   string
}

// SliderChange is one move of a slider.
type SliderChange struct {
	At          time.Time
	Element     string
	Value       int
	Previous    int
	HadPrevious bool
	Who         string
	Why         string
}

// CheckinAnswer is one answer to a check-in round.
type CheckinAnswer struct {
	Round  time.Time // when the round was scheduled
	At     time.Time
	Author string
	Text   string
}

// Element is one slider as it stands now.
type Element struct {
	Name        string
	Description string
	Value       int
	Set         bool
}

// File is one exported file.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Content types of the exported files.
const (
	CSVType      = "text/csv; charset=utf-8"
	MarkdownType = "text/markdown; charset=utf-8"
)

// Slug makes a file-name-safe, lower-case ASCII form of a name:
// "Zorgcoöperatie De Akker" becomes "zorgcooperatie-de-akker".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldAccents(strings.ToLower(name)) {
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

// foldAccents removes accents: é becomes e, ö becomes o.
func foldAccents(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}
