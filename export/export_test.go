package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(month, day, hour int) time.Time {
	return time.Date(2026, time.Month(month), day, hour, 0, 0, 0, time.UTC)
}

// tricky is user text with everything that breaks naive CSV and Markdown.
const tricky = "Kopen, \"huren\" of\nsamen beheren? | *vet* #energie\r\nklaar"

func sample() *commands.CollectiveReport {
	return &commands.CollectiveReport{
		Collective: commands.Collective{ID: 1, Name: "Zorgcoöperatie De Akker", CreatedAt: at(3, 1, 9)},
		Panel: []commands.Element{
			{Name: "eigenaarschap", Value: 7, IsSet: true},
			{Name: "zeggenschap"},
			{Name: "buurt|boerderij", Value: 4, IsSet: true},
		},
		Entries: []commands.Entry{
			{CreatedAt: at(3, 2, 10), Text: "Eerste bewonersavond", Author: "Fatima", Source: "telegram"},
			{CreatedAt: at(4, 12, 10), Text: "Koopovereenkomst getekend", Milestone: true, Author: "Joop", Source: "discord", Themes: []string{"vastgoed"}},
			{CreatedAt: at(5, 1, 10), Text: tricky, Author: "Anne, \"de\" voorzitter", Themes: []string{"energie", "wonen"}},
		},
		Requests: []commands.HelpRequest{{
			Number: 3, Expertise: "juridisch", Question: tricky, Status: "resolved", AskedBy: "Fatima", ClaimedBy: "Sanne",
			Feedback: "ja", CreatedAt: at(3, 10, 8), ClaimedAt: at(3, 10, 9), AnsweredAt: at(3, 11, 9), ResolvedAt: at(3, 12, 9),
			Answers: []commands.Answer{{CreatedAt: at(3, 11, 9), Author: "Sanne", Text: "=HYPERLINK(\"x\")\nen verder"}},
		}},
		SliderChanges: []commands.SliderChange{
			{At: at(3, 5, 10), ElementName: "eigenaarschap", Value: 3, Who: "Fatima", Why: "begin"},
			{At: at(4, 12, 11), ElementName: "eigenaarschap", Value: 7, Previous: 3, HadPrevious: true, Who: "Joop", Why: tricky},
			{At: at(4, 13, 11), ElementName: "buurt|boerderij", Value: 4, Who: "Joop"},
		},
		Rounds: []commands.Round{{ID: 9, ScheduledAt: at(4, 6, 8)}},
		CheckinAnswers: []commands.CheckinAnswer{
			{RoundID: 9, CreatedAt: at(4, 6, 12), Author: "Anne", Text: "Goed bezig"},
			{RoundID: 9, CreatedAt: at(4, 7, 12), Author: "Joop", Text: tricky},
		},
	}
}

func readCSV(t *testing.T, f commands.File) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(f.Data))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return recs
}

func TestCSVRoundTrip(t *testing.T) {
	files, err := CSV("alle-collectieven", []*commands.CollectiveReport{sample()}, amsterdam)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]commands.File{}
	for _, f := range files {
		byName[f.Name] = f
		if f.ContentType != CSVType {
			t.Errorf("%s: content type %q", f.Name, f.ContentType)
		}
	}
	want := []string{"alle-collectieven-voortgang.csv", "alle-collectieven-hulpvragen.csv", "alle-collectieven-antwoorden.csv",
		"alle-collectieven-schuifgeschiedenis.csv", "alle-collectieven-checkins.csv"}
	if len(files) != len(want) {
		t.Fatalf("got %d files, want %d", len(files), len(want))
	}
	for _, name := range want {
		if _, ok := byName[name]; !ok {
			t.Fatalf("missing %s", name)
		}
	}

	t.Run("progress keeps commas, quotes and newlines", func(t *testing.T) {
		recs := readCSV(t, byName["alle-collectieven-voortgang.csv"])
		if got, want := strings.Join(recs[0], ","), "collectief,datum,soort,tekst,themas,auteur,bron"; got != want {
			t.Fatalf("header=%q, want %q", got, want)
		}
		if len(recs) != 4 {
			t.Fatalf("got %d records, want header + 3", len(recs))
		}
		row := recs[3]
		// encoding/csv reads a quoted CRLF back as LF; that is the only change.
		if got, want := row[3], strings.ReplaceAll(tricky, "\r\n", "\n"); got != want {
			t.Errorf("text=%q, want %q", got, want)
		}
		if got, want := row[5], "Anne, \"de\" voorzitter"; got != want {
			t.Errorf("author=%q, want %q", got, want)
		}
		if got, want := row[0], "Zorgcoöperatie De Akker"; got != want {
			t.Errorf("collective=%q, want %q (UTF-8)", got, want)
		}
		if got, want := row[1], "2026-05-01T12:00:00+02:00"; got != want {
			t.Errorf("date=%q, want ISO 8601 in Amsterdam time %q", got, want)
		}
		if got, want := recs[2][2], "mijlpaal"; got != want {
			t.Errorf("kind=%q, want %q", got, want)
		}
		if got, want := row[4], "energie wonen"; got != want {
			t.Errorf("themes=%q, want %q", got, want)
		}
	})
	t.Run("help requests and answers", func(t *testing.T) {
		recs := readCSV(t, byName["alle-collectieven-hulpvragen.csv"])
		if len(recs) != 2 || recs[1][1] != "3" || recs[1][3] != strings.ReplaceAll(tricky, "\r\n", "\n") {
			t.Fatalf("requests=%q", recs)
		}
		if got, want := recs[1][10], "2026-03-12T10:00:00+01:00"; got != want {
			t.Errorf("resolved=%q, want %q", got, want)
		}
		ans := readCSV(t, byName["alle-collectieven-antwoorden.csv"])
		if len(ans) != 2 {
			t.Fatalf("answers=%q", ans)
		}
		// A formula is defused, the rest of the text kept.
		if got, want := ans[1][4], "'=HYPERLINK(\"x\")\nen verder"; got != want {
			t.Errorf("answer=%q, want %q", got, want)
		}
	})
	t.Run("slider history", func(t *testing.T) {
		recs := readCSV(t, byName["alle-collectieven-schuifgeschiedenis.csv"])
		if len(recs) != 4 {
			t.Fatalf("got %d records", len(recs))
		}
		if got, want := strings.Join(recs[1][2:5], "/"), "eigenaarschap//3"; got != want {
			t.Errorf("first move=%q, want %q (no old value)", got, want)
		}
		if got, want := strings.Join(recs[2][2:5], "/"), "eigenaarschap/3/7"; got != want {
			t.Errorf("second move=%q, want %q", got, want)
		}
	})
	t.Run("check-ins", func(t *testing.T) {
		recs := readCSV(t, byName["alle-collectieven-checkins.csv"])
		if len(recs) != 3 || recs[2][4] != strings.ReplaceAll(tricky, "\r\n", "\n") {
			t.Fatalf("checkins=%q", recs)
		}
	})
	t.Run("RFC 4180 line ends", func(t *testing.T) {
		data := string(byName["alle-collectieven-voortgang.csv"].Data)
		if !strings.HasPrefix(data, "collectief,datum,soort,tekst,themas,auteur,bron\r\n") {
			t.Errorf("header line not CRLF-terminated: %q", data[:60])
		}
	})
}

func TestCSVEmpty(t *testing.T) {
	files, err := CSV("x", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every table is there even without rows, so a spreadsheet template
	// finds its columns; and the loop below cannot pass on no files.
	if got, want := len(files), 5; got != want {
		t.Fatalf("%d files, want %d", got, want)
	}
	for _, f := range files {
		if recs := readCSV(t, f); len(recs) != 1 {
			t.Errorf("%s: %d records, want only the header", f.Name, len(recs))
		}
	}
}

var defuseTests = []struct{ in, want string }{
	{"", ""},
	{"gewoon", "gewoon"},
	{"=1+1", "'=1+1"},
	{"+31 6", "'+31 6"},
	{"-5 euro", "'-5 euro"},
	{"@SUM(A1)", "'@SUM(A1)"},
	{"5-3", "5-3"},
}

func TestDefuse(t *testing.T) {
	for _, tt := range defuseTests {
		if got := defuse(tt.in); got != tt.want {
			t.Errorf("defuse(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}

var slugTests = []struct{ in, want string }{
	{"Zorgcoöperatie De Akker", "zorgcooperatie-de-akker"},
	{"  Bewonersbedrijf   Noord! ", "bewonersbedrijf-noord"},
	{"Énergie/Oost 2", "energie-oost-2"},
	{"???", "collectief"},
}

func TestSlug(t *testing.T) {
	for _, tt := range slugTests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReport(t *testing.T) {
	f := Report(sample(), at(11, 27, 10), amsterdam)
	md := string(f.Data)
	if got, want := f.Name, "casus-zorgcooperatie-de-akker.md"; got != want {
		t.Errorf("name=%q, want %q", got, want)
	}
	for _, want := range []string{
		"# Casusbeschrijving (concept): Zorgcoöperatie De Akker",
		"27 november 2026",
		"## Tijdlijn",
		"### Mijlpalen",
		"- **12 april 2026**: Koopovereenkomst getekend",
		"- 2 maart 2026: Eerste bewonersavond _(Fatima)_",
		"## Mengpaneel toen en nu",
		"| eigenaarschap | 3 (5 maart 2026) | 7 | +4 |",
		"| zeggenschap | nog niet gezet | nog niet gezet |  |",
		`| buurt\|boerderij | 4 (13 april 2026) | 4 | +0 |`,
		"**eigenaarschap** van 3 naar 7",
		"## Hulp gevraagd en gekregen",
		"### #3 juridisch (afgerond)",
		"Opgepakt door Sanne.",
		"Het collectief vond de hulp nuttig.",
		"## Check-ins",
		"### Check-in van 6 april 2026",
		"- **Anne**: Goed bezig",
		"- Thema's: #energie (1), #vastgoed (1), #wonen (1)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	t.Run("user text cannot break the structure", func(t *testing.T) {
		// The tricky text's line break stays inside its list item and its
		// markup characters are escaped.
		if !strings.Contains(md, "Kopen, \"huren\" of\n  samen beheren? \\| \\*vet\\* #energie\n  klaar") {
			t.Errorf("multi-line item not kept inside the list:\n%s", md)
		}
		if !strings.Contains(md, "> Kopen, \"huren\" of\n> samen beheren?") {
			t.Errorf("question not quoted line by line")
		}
		for _, l := range strings.Split(md, "\n") {
			if strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "# ") && !strings.HasPrefix(l, "## ") && !strings.HasPrefix(l, "### ") {
				t.Errorf("stray heading line %q", l)
			}
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		if again := Report(sample(), at(11, 27, 10), amsterdam); !bytes.Equal(again.Data, f.Data) {
			t.Error("two reports of the same data differ")
		}
	})
}

func TestReportEmpty(t *testing.T) {
	md := string(Report(&commands.CollectiveReport{Collective: commands.Collective{Name: "Nieuw"}, Panel: []commands.Element{{Name: "eigenaarschap"}}}, at(11, 27, 10), nil).Data)
	for _, want := range []string{"_Nog geen mijlpalen vastgelegd._", "_Nog geen voortgang vastgelegd._",
		"| eigenaarschap | nog niet gezet | nog niet gezet |  |", "_Nog geen hulpvragen gesteld._", "_Nog geen check-ins beantwoord._"} {
		if !strings.Contains(md, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
}

var mdLineTests = []struct{ in, want string }{
	{"gewoon", "gewoon"},
	{"# kop", `\# kop`},
	{"- lijst", `\- lijst`},
	{"1. eerst", `1\. eerst`},
	{"2026 was goed", "2026 was goed"},
	{"<script>", `\<script\>`},
	{"[link](x)", `\[link\](x)`},
	{"AT&amp;T", `AT\&amp;T`}, // an entity, as typed
	{"&#65;", `\&#65;`},
	{"jij & ik", "jij & ik"},
	{"=== kop?", "=== kop?"}, // only at the start of a line (mdLineStart)
}

func TestMDLine(t *testing.T) {
	for _, tt := range mdLineTests {
		if got := mdLine(tt.in); got != tt.want {
			t.Errorf("mdLine(%q)=%q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestReportNames: one distinct name per collective, also when a name of its
// own looks like another's slug plus an id.
func TestReportNames(t *testing.T) {
	rep := func(id int64, name string) *commands.CollectiveReport {
		return &commands.CollectiveReport{Collective: commands.Collective{ID: id, Name: name}}
	}
	got := ReportNames([]*commands.CollectiveReport{rep(5, "Groen Zuid"), rep(7, "Groen-Zuid"), rep(8, "Groen Zuid 5"), rep(9, "Noord")})
	want := []string{"casus-groen-zuid-5.md", "casus-groen-zuid-7.md", "casus-groen-zuid-5-2.md", "casus-noord.md"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ReportNames = %q, want %q", got, want)
	}
}
