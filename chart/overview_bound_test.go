package chart

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// bigProgramme is n collectives with the programme's eight default
// elements and a few own elements each (some shared, most not), with long
// names: the data that took gigabytes before the grid was bounded.
func bigProgramme(n int) []commands.CollectivePanel {
	defaults := []string{"eigenaarschap", "zeggenschap", "financiële duurzaamheid", "impact op wonen", "impact op werk", "impact op zorg", "netwerk", "kennis"}
	panels := make([]commands.CollectivePanel, n)
	for i := range panels {
		p := commands.CollectivePanel{Name: fmt.Sprintf("Bewonerscoöperatie De Lange Naam van Wijk %d", i)}
		for j, d := range defaults {
			p.Elements = append(p.Elements, commands.Element{ID: int64(j + 1), Name: d, Value: (i + j) % 11, IsSet: (i+j)%3 != 0})
		}
		for k := range 4 {
			name := fmt.Sprintf("eigen element %d van collectief %d", k, i)
			if k == 0 {
				name = "zonnepanelen" // shared by all
			}
			p.Elements = append(p.Elements, commands.Element{ID: int64(100 + 4*i + k), CollectiveID: int64(i + 1), Name: name, Value: (i + k) % 11, IsSet: true})
		}
		panels[i] = p
	}
	return panels
}

// The overview heat map is bounded whatever the programme's size (issue
// 16, item 9): Telegram takes photos up to 10,000 pixels of width plus
// height; own elements beyond the rows fold into one.
func TestOverviewGridBounded(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	for _, n := range []int{3, 100, 1000} {
		g := r.overviewGrid(commands.NL, bigProgramme(n), "")
		if len(g.Columns) > MaxGridColumns || len(g.Rows) > MaxGridRows {
			t.Fatalf("%d collectives: grid %d×%d, want at most %d×%d", n, len(g.Rows), len(g.Columns), MaxGridRows, MaxGridColumns)
		}
		l, err := layoutGrid(g)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d collectives: %d×%d pixels", n, l.w, l.h)
		if l.w+l.h > 10000 || l.w*l.h > 12_000_000 {
			t.Errorf("%d collectives: %d×%d pixels", n, l.w, l.h)
		}
		if n > MaxGridColumns {
			mustHave(t, g.Subtitle, fmt.Sprintf("%d van de %d collectieven", MaxGridColumns, n))
		}
	}
	// Three collectives with four own elements each: 8 + 1 shared + 9
	// others do not fit in 16 rows; the shared one keeps its row.
	g := r.overviewGrid(commands.NL, bigProgramme(3), "")
	if got := strings.Join(g.Rows, ","); !strings.Contains(got, "zonnepanelen") || !strings.HasSuffix(got, "overige eigen elementen (3, gemiddeld)") {
		t.Errorf("rows = %s", got)
	}
	// The third collective's own elements are the ones folded: its cell
	// holds their average, (3+4+5)/3.
	if got, want := g.Cells[len(g.Rows)-1][2], (Cell{Value: 4, Set: true, OnPanel: true}); got != want {
		t.Errorf("folded cell = %+v, want %+v", got, want)
	}
	if got := g.Cells[len(g.Rows)-1][0]; got.OnPanel {
		t.Errorf("folded cell of a collective with nothing folded = %+v", got)
	}
	// A grid over the bounds is refused rather than drawn.
	big := Grid{Rows: []string{"a"}, Columns: make([]string, MaxGridColumns+1), Cells: [][]Cell{make([]Cell, MaxGridColumns+1)}}
	if _, err := layoutGrid(big); err == nil {
		t.Error("a grid over the bounds was laid out")
	}
}

func mustHave(t *testing.T, s, want string) {
	t.Helper()
	if !strings.Contains(s, want) {
		t.Errorf("%q does not contain %q", s, want)
	}
}

// BenchmarkOverview1000 draws /overzicht's heat map for 1,000 collectives
// with own elements; bounded, it costs what one of 15 columns costs.
func BenchmarkOverview1000(b *testing.B) {
	r := &Renderer{}
	panels := bigProgramme(1000)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		f, err := r.Overview(commands.NL, panels, "")
		if err != nil {
			b.Fatal(err)
		}
		size = len(f.Data)
	}
	b.ReportMetric(float64(size), "png-bytes")
}

// /overzicht reads the panels of its first commands.OverviewChartPanels
// collectives only and passes the others by name: the grid must not show
// more columns than that, or they would be drawn empty.
func TestOverviewGridWithinPanelsRead(t *testing.T) {
	if MaxGridColumns > commands.OverviewChartPanels {
		t.Fatalf("the overview grid shows %d collectives, /overzicht reads the panels of %d", MaxGridColumns, commands.OverviewChartPanels)
	}
}
