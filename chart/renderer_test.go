package chart

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

var rendererNow = time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)

func testRenderer(t *testing.T) *Renderer {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return &Renderer{Now: func() time.Time { return rendererNow }, Location: loc}
}

func TestRendererPanel(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	elems := []commands.Element{
		{ID: 1, Name: "eigenaarschap", Value: 7, IsSet: true},
		{ID: 2, Name: "zeggenschap"},
		{ID: 30, CollectiveID: 4, Name: "buurtboerderij", Value: 2, IsSet: true},
	}
	f, err := r.Panel(commands.NL, "Bewonersbedrijf Noord", elems, map[int64]int{1: 4})
	if err != nil {
		t.Fatal(err)
	}
	if f.ContentType != PNGType || !strings.HasSuffix(f.Name, ".png") {
		t.Errorf("file %q %q", f.Name, f.ContentType)
	}
	img := decode(t, f.Data)
	if img.Bounds().Dx() != Width {
		t.Errorf("width %d", img.Bounds().Dx())
	}
	// The bars the renderer builds, and the date in the programme's zone
	// (already 28 November in Amsterdam).
	want := Panel{Title: "Bewonersbedrijf Noord", Subtitle: "Mengpaneel op 28 november 2026", Bars: []Bar{
		{Name: "eigenaarschap", Value: 7, Set: true, Before: 4, HasBefore: true},
		{Name: "zeggenschap"},
		{Name: "buurtboerderij", Value: 2, Set: true},
	}, Lang: commands.NL}
	if got := r.panel(commands.NL, "Bewonersbedrijf Noord", elems, map[int64]int{1: 4}); !reflect.DeepEqual(got, want) {
		t.Errorf("panel=%+v, want %+v", got, want)
	}
}

func TestRendererHistory(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	changes := []commands.SliderChange{
		{Value: 3, At: rendererNow.AddDate(0, -2, 0)},
		{Value: 6, Previous: 3, HadPrevious: true, At: rendererNow.AddDate(0, 0, -10)},
	}
	f, err := r.History(commands.NL, "Noord — eigenaarschap", commands.Element{ID: 1, Name: "eigenaarschap", Value: 6, IsSet: true}, changes)
	if err != nil {
		t.Fatal(err)
	}
	if b := decode(t, f.Data).Bounds().Size(); b.X != Width || b.Y != HistoryHeight {
		t.Errorf("size %v", b)
	}
	// The line runs until the injected now, dated in the programme's zone.
	want := History{Title: "Noord — eigenaarschap", Subtitle: "Verloop tot 28 november 2026", Location: r.Location, End: rendererNow,
		Points: []Point{{At: changes[0].At, Value: 3}, {At: changes[1].At, Value: 6}}, Lang: commands.NL}
	if got := r.history(commands.NL, "Noord — eigenaarschap", changes); !reflect.DeepEqual(got, want) {
		t.Errorf("history=%+v, want %+v", got, want)
	}
}

func TestRendererOverviewGrid(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	def := func(id int64, name string, v int, set bool) commands.Element {
		return commands.Element{ID: id, Name: name, Value: v, IsSet: set}
	}
	panels := []commands.CollectivePanel{
		{Name: "Noord", Elements: []commands.Element{def(1, "eigenaarschap", 7, true), def(2, "zeggenschap", 0, false),
			{ID: 20, CollectiveID: 1, Name: "Buurtboerderij", Value: 5, IsSet: true}}},
		{Name: "Zuid", Elements: []commands.Element{def(1, "eigenaarschap", 2, true), def(2, "zeggenschap", 9, true),
			{ID: 21, CollectiveID: 2, Name: "zonnepanelen", Value: 1, IsSet: true}}},
		// An own element named like another collective's shares its row.
		{Name: "Oost", Elements: []commands.Element{def(1, "eigenaarschap", 0, false), def(2, "zeggenschap", 0, false),
			{ID: 22, CollectiveID: 3, Name: "buurtboerderij", Value: 8, IsSet: true}}},
	}
	g := r.overviewGrid(commands.NL, panels, "")
	if got, want := strings.Join(g.Rows, ","), "eigenaarschap,zeggenschap,Buurtboerderij,zonnepanelen"; got != want {
		t.Fatalf("rows=%s, want %s", got, want)
	}
	if got, want := strings.Join(g.Columns, ","), "Noord,Zuid,Oost"; got != want {
		t.Fatalf("columns=%s, want %s", got, want)
	}
	cells := []struct {
		row, col int
		want     Cell
	}{
		{0, 0, Cell{Value: 7, Set: true, OnPanel: true}},
		{1, 0, Cell{OnPanel: true}},
		{2, 1, Cell{}}, // Zuid has no buurtboerderij
		{2, 2, Cell{Value: 8, Set: true, OnPanel: true}},
		{3, 1, Cell{Value: 1, Set: true, OnPanel: true}},
	}
	for _, c := range cells {
		if got := g.Cells[c.row][c.col]; got != c.want {
			t.Errorf("cell %s/%s=%+v, want %+v", g.Rows[c.row], g.Columns[c.col], got, c.want)
		}
	}
	if _, err := r.Overview(commands.NL, panels, ""); err != nil {
		t.Fatal(err)
	}
}

// TestTextCanvasDrawsAsGG: the charts' own text drawing (textCanvas) puts
// the same pixels where vgimg and gg would, for every kind of chart.
func TestTextCanvasDrawsAsGG(t *testing.T) {
	grid := Grid{Title: "Overzicht", Subtitle: "27 november 2026", Columns: []string{"Noord", "Zuid"}, Rows: []string{"eigenaarschap", "impact op zorg"},
		Cells: [][]Cell{{{Value: 3, Set: true, OnPanel: true}, {OnPanel: true}}, {{Value: 10, Set: true, OnPanel: true}, {}}}}
	charts := map[string]func() ([]byte, error){
		"panel": func() ([]byte, error) { return PanelPNG(samplePanel()) },
		"grid":  func() ([]byte, error) { return GridPNG(grid) },
		"history": func() ([]byte, error) {
			t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
			return HistoryPNG(History{Title: "eigenaarschap", Subtitle: "Noord", End: t0.AddDate(0, 10, 0),
				Points: []Point{{At: t0, Value: 2}, {At: t0.AddDate(0, 3, 0), Value: 5}, {At: t0.AddDate(0, 7, 0), Value: 7}}})
		},
	}
	for name, draw := range charts {
		fast, err := draw()
		if err != nil {
			t.Fatal(err)
		}
		ggText = true
		slow, err := draw()
		ggText = false
		if err != nil {
			t.Fatal(err)
		}
		a, b := decode(t, fast), decode(t, slow)
		if a.Bounds() != b.Bounds() {
			t.Fatalf("%s: size %v, gg's %v", name, a.Bounds(), b.Bounds())
		}
		differ, worst := 0, 0
		for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
			for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
				r1, g1, b1, _ := a.At(x, y).RGBA()
				r2, g2, b2, _ := b.At(x, y).RGBA()
				d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2)) >> 8
				if d > 0 {
					differ++
					worst = max(worst, int(d))
				}
			}
		}
		t.Logf("%s: %d pixels differ, by at most %d/255", name, differ, worst)
		// Rounding of anti-aliased edges may differ by a step or two;
		// nothing may move.
		if worst > 3 {
			t.Errorf("%s: %d pixels differ from gg's text, by up to %d/255", name, differ, worst)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
