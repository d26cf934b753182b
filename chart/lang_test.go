package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// Every word a chart draws itself (titles, dates, legends, "not set yet",
// the folded row) is in the reader's language: the chat's for /mengpaneel
// and /overzicht, the page's on the web. Names and numbers are data.
func TestChartsSpeakTheReadersLanguage(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	elems := []commands.Element{
		{ID: 1, Name: "eigenaarschap", Value: 7, IsSet: true},
		{ID: 2, Name: "zeggenschap"},
	}
	changes := []commands.SliderChange{
		{Value: 3, At: rendererNow.AddDate(-1, 0, 0)},
		{Value: 6, At: rendererNow.AddDate(0, 0, -10)},
	}
	for _, tc := range []struct {
		lang                                 commands.Lang
		panel, history, grid, folded, months string
		words, notWords                      []string
	}{
		{commands.NL, "Mengpaneel op 28 november 2026", "Verloop tot 28 november 2026", "Mengpanelen vergeleken",
			"overige eigen elementen (3, gemiddeld)", "mei 2026",
			[]string{"nog niet gezet", ">nu<", "4 weken geleden"}, []string{"not set", "weeks ago"}},
		{commands.EN, "Panel on 28 November 2026", "History up to 28 November 2026", "Panels compared",
			"other own elements (3, averaged)", "May 2026",
			[]string{"not set yet", ">now<", "4 weeks ago"}, []string{"Mengpaneel", "gezet", "weken", "november"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			if got := r.panel(tc.lang, "Noord", elems, nil).Subtitle; got != tc.panel {
				t.Errorf("panel subtitle %q, want %q", got, tc.panel)
			}
			h := r.history(tc.lang, "Noord — eigenaarschap", changes)
			if h.Subtitle != tc.history {
				t.Errorf("history subtitle %q, want %q", h.Subtitle, tc.history)
			}
			var labels []string
			for _, tick := range (dateTicks{loc: time.UTC, lang: h.Lang}).Ticks(unix(changes[0].At), unix(rendererNow)) {
				labels = append(labels, tick.Label)
			}
			if got := strings.Join(labels, ", "); !strings.Contains(got, tc.months) {
				t.Errorf("history axis %q, want %q among them", got, tc.months)
			}
			g := r.overviewGrid(tc.lang, bigProgramme(3), "")
			if g.Title != tc.grid || g.Rows[len(g.Rows)-1] != tc.folded || g.Lang != tc.lang {
				t.Errorf("grid %q, last row %q, language %q; want %q, %q, %q", g.Title, g.Rows[len(g.Rows)-1], g.Lang, tc.grid, tc.folded, tc.lang)
			}
			// The web's chart: its drawn words are text in the SVG.
			svg, err := r.PanelSVG(tc.lang, "Noord", elems, map[int64]int{1: 4})
			if err != nil {
				t.Fatal(err)
			}
			s := string(svg)
			for _, w := range append(tc.words, tc.panel) {
				if !strings.Contains(s, w) {
					t.Errorf("the %s chart lacks %q", tc.lang, w)
				}
			}
			for _, w := range tc.notWords {
				if strings.Contains(s, w) {
					t.Errorf("the %s chart says %q", tc.lang, w)
				}
			}
		})
	}
}

// The heat map says how many collectives it leaves out, in the reader's
// language, also when it has to cut the list itself.
func TestOverviewGridCutSaysSo(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	for lang, want := range map[commands.Lang]string{
		commands.NL: "15 van de 20 collectieven",
		commands.EN: "15 of 20 collectives",
	} {
		g := r.overviewGrid(lang, bigProgramme(20), "a note")
		if len(g.Columns) != MaxGridColumns || !strings.Contains(g.Subtitle, want) || !strings.Contains(g.Subtitle, " · a note") {
			t.Errorf("%s: %d columns, subtitle %q; want %d and %q with the note", lang, len(g.Columns), g.Subtitle, MaxGridColumns, want)
		}
	}
}
