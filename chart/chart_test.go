package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"
)

// defaults are the programme's default elements (DESIGN.md).
var defaults = []string{"eigenaarschap", "zeggenschap", "ondernemerschap", "bezit (grond en gebouwen)",
	"geldstromen in de wijk", "economische machtsbasis", "financiële duurzaamheid", "geworteld in de wijk",
	"impact op wonen", "impact op werk", "impact op zorg"}

func samplePanel() Panel {
	p := Panel{Title: "Bewonersbedrijf Noord", Subtitle: "27 november 2026"}
	for i, name := range defaults {
		p.Bars = append(p.Bars, Bar{Name: name, Value: i % 11, Set: true})
	}
	return p
}

func decode(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// near reports whether the pixel has about the colour c (anti-aliasing
// blurs edges, not the middle of a bar).
func near(img image.Image, x, y int, c color.RGBA) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	d := func(a uint32, b uint8) float64 { return math.Abs(float64(a>>8) - float64(b)) }
	return d(r, c.R) < 12 && d(g, c.G) < 12 && d(b, c.B) < 12
}

// ink reports whether the pixel is not (nearly) white.
func ink(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r>>8 < 0xf0 || g>>8 < 0xf0 || b>>8 < 0xf0
}

// pixelRow returns the bytes of one row of a decoded PNG; comparing rows
// as bytes keeps the test fast under the race detector.
func pixelRow(t testing.TB, img image.Image, y int) []byte {
	t.Helper()
	switch m := img.(type) {
	case *image.RGBA:
		return m.Pix[m.PixOffset(0, y):m.PixOffset(0, y+1)]
	case *image.NRGBA:
		return m.Pix[m.PixOffset(0, y):m.PixOffset(0, y+1)]
	}
	t.Fatalf("unexpected image type %T", img)
	return nil
}

// valueX is the pixel column of a value on the panel chart.
func (g panelGeom) valueX(v float64) int { return int(g.X0 + (g.X10-g.X0)*v/10) }

func TestPanelPNG(t *testing.T) {
	t.Parallel()
	data, g, err := renderPanel(samplePanel())
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, data)
	if got, want := img.Bounds().Size(), g.Size; got != want {
		t.Fatalf("size=%v, want %v", got, want)
	}
	if got, want := img.Bounds().Dx(), Width; got != want {
		t.Errorf("width=%d, want %d", got, want)
	}
	// 11 single-line rows of at least panelMinRowPx, plus title and axis,
	// but not a poster: it must fit a phone screen or two.
	if h := img.Bounds().Dy(); h < 11*panelMinRowPx+150 || h > 1400 {
		t.Errorf("height=%d, want between %d and 1400", h, 11*panelMinRowPx+150)
	}
	if g.X10-g.X0 < 400 {
		t.Errorf("the 0–10 scale is only %.0f px wide", g.X10-g.X0)
	}

	t.Run("bar length follows the value", func(t *testing.T) {
		// Row 10 has value 10, row 5 value 5: at 7.5 only row 10 is filled.
		x := g.valueX(7.5)
		if !near(img, x, int(g.RowY[10]), nowColor) {
			t.Errorf("value 10: no bar at 7.5")
		}
		if near(img, x, int(g.RowY[5]), nowColor) {
			t.Errorf("value 5: bar reaches 7.5")
		}
		if !near(img, g.valueX(2.5), int(g.RowY[5]), nowColor) {
			t.Errorf("value 5: no bar at 2.5")
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		again, err := PanelPNG(samplePanel())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data) {
			t.Error("two renders of the same data differ")
		}
	})
}

func TestPanelChangesWhenValueChanges(t *testing.T) {
	t.Parallel()
	p := samplePanel()
	p.Bars[2].Value = 3
	before, g, err := renderPanel(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Bars[2].Value = 8
	after, g2, err := renderPanel(p)
	if err != nil {
		t.Fatal(err)
	}
	if g.Size != g2.Size || g.RowY[2] != g2.RowY[2] {
		t.Fatalf("layout moved: %v/%v, row at %.0f/%.0f", g.Size, g2.Size, g.RowY[2], g2.RowY[2])
	}
	a, b := decode(t, before), decode(t, after)

	// The bar between 3 and 8 is filled only after the change.
	x, y := g.valueX(5.5), int(g.RowY[2])
	if near(a, x, y, nowColor) || !near(b, x, y, nowColor) {
		t.Errorf("pixel at 5.5 in the changed row: before %v, after %v", a.At(x, y), b.At(x, y))
	}
	// And nothing changed outside that row.
	top, bottom := int(g.RowY[1]+g.RowY[2])/2, int(g.RowY[2]+g.RowY[3])/2
	changed := 0
	for y := 0; y < g.Size.Y; y++ {
		if !bytes.Equal(pixelRow(t, a, y), pixelRow(t, b, y)) {
			changed++
			if y < top || y > bottom {
				t.Fatalf("pixel row %d changed, outside the bar's rows %d–%d", y, top, bottom)
			}
		}
	}
	if changed == 0 {
		t.Fatal("no pixel changed")
	}
}

func TestPanelBeforeAndUnset(t *testing.T) {
	t.Parallel()
	p := samplePanel()
	p.Bars[0] = Bar{Name: "eigenaarschap", Value: 3, Set: true, Before: 8, HasBefore: true}
	p.Bars[1] = Bar{Name: "zeggenschap"}
	data, g, err := renderPanel(p)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, data)
	t.Run("four weeks ago shows faintly behind", func(t *testing.T) {
		y := int(g.RowY[0])
		if !near(img, g.valueX(2), y, nowColor) {
			t.Errorf("no current bar at 2")
		}
		if !near(img, g.valueX(5.5), y, beforeColor) {
			t.Errorf("no faint bar at 5.5: %v", img.At(g.valueX(5.5), y))
		}
		if near(img, g.valueX(9), y, beforeColor) {
			t.Errorf("faint bar beyond its value 8")
		}
	})
	t.Run("not set is an empty row, not a zero", func(t *testing.T) {
		y := int(g.RowY[1])
		for x := int(g.X0) + 2; x < int(g.X10); x++ {
			if near(img, x, y+10, nowColor) {
				t.Fatalf("unset element has a bar at x=%d", x)
			}
		}
		if !near(img, g.valueX(9.5), y, unsetColor) {
			t.Errorf("unset row not shaded: %v", img.At(g.valueX(9.5), y))
		}
	})
}

func TestPanelLongNamesNotClipped(t *testing.T) {
	t.Parallel()
	p := samplePanel()
	long := "samenwerking met de woningcorporatie en de gemeente rond de buurtboerderij"
	word := strings.Repeat("buurtenergiecoöperatie", 3) // one word, far too wide
	p.Bars = append(p.Bars, Bar{Name: long, Value: 6, Set: true}, Bar{Name: word, Value: 2, Set: true})
	data, g, err := renderPanel(p)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, data)
	if got, want := len(g.RowY), len(defaults)+2; got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}

	t.Run("names wrap, nothing dropped", func(t *testing.T) {
		for i, name := range []string{long, word} {
			lines := g.LabelsLines[len(defaults)+i]
			if len(lines) < 2 {
				t.Errorf("%q not wrapped: %q", name, lines)
			}
			sep := " "
			if name == word {
				sep = ""
			}
			if got := strings.Join(lines, sep); got != name {
				t.Errorf("wrapped %q lost text: %q", name, got)
			}
		}
		if g.LabelMaxPx > panelLabelMaxPx {
			t.Errorf("widest label line %.0f px, limit %d", g.LabelMaxPx, panelLabelMaxPx)
		}
	})
	t.Run("label column fits in the image", func(t *testing.T) {
		if g.LabelLeft < 0 {
			t.Errorf("labels start at x=%.0f, outside the image", g.LabelLeft)
		}
		if g.LabelRight > float64(g.Data.Min.X) {
			t.Errorf("labels end at %.0f, inside the plot at %d", g.LabelRight, g.Data.Min.X)
		}
	})
	t.Run("ink of the long names stays inside", func(t *testing.T) {
		// Nothing touches the left edge: a clipped label would.
		for y := 0; y < g.Size.Y; y++ {
			for x := 0; x < 4; x++ {
				if ink(img, x, y) {
					t.Fatalf("ink at the left edge (%d,%d)", x, y)
				}
			}
		}
		// Each wrapped line of the long name has ink in the label column.
		row := len(defaults)
		lines := len(g.LabelsLines[row])
		lineH := topx(sans(panelLabelPx, false).Height("Ég"))
		top := int(g.RowY[row] - float64(lines)*lineH/2)
		bottom := int(g.RowY[row] + float64(lines)*lineH/2)
		inked := 0
		for y := top; y <= bottom; y++ {
			for x := int(g.LabelLeft) - 2; x < int(g.LabelRight)+2; x++ {
				if ink(img, x, y) {
					inked++
					break
				}
			}
		}
		// Glyphs fill well over half of each line's height.
		if float64(inked) < float64(lines)*lineH*0.6 {
			t.Errorf("only %d inked pixel rows for %d label lines", inked, lines)
		}
	})
}

func TestPanelEmpty(t *testing.T) {
	if _, err := PanelPNG(Panel{Title: "x"}); err == nil {
		t.Error("a panel without elements rendered")
	}
}

func TestHistoryPNG(t *testing.T) {
	t.Parallel()
	d := func(m, day int) time.Time { return time.Date(2026, time.Month(m), day, 14, 0, 0, 0, time.UTC) }
	h := History{Title: "eigenaarschap", Subtitle: "Bewonersbedrijf Noord",
		Points: []Point{{d(9, 1), 3}, {d(9, 20), 5}, {d(10, 14), 4}}, End: d(11, 27)}
	data, err := HistoryPNG(h)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, data)
	if got, want := img.Bounds().Size(), image.Pt(Width, HistoryHeight); got != want {
		t.Fatalf("size=%v, want %v", got, want)
	}
	h.Points[2].Value = 9
	changed, err := HistoryPNG(h)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(changed, data) {
		t.Error("a different value gave the same image")
	}
	t.Run("one point", func(t *testing.T) {
		if _, err := HistoryPNG(History{Title: "x", Points: []Point{{d(9, 1), 3}}, End: d(9, 1)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("no points", func(t *testing.T) {
		if _, err := HistoryPNG(History{Title: "x"}); err == nil {
			t.Error("a history without points rendered")
		}
	})
}

var dateTickTests = []struct {
	days int
	min  int
	max  int
}{{1, 1, 3}, {10, 3, 7}, {60, 3, 7}, {170, 3, 8}, {400, 3, 8}, {1500, 3, 8}}

func TestDateTicks(t *testing.T) {
	start := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	for _, tt := range dateTickTests {
		ticks := dateTicks{loc: time.UTC}.Ticks(unix(start), unix(start.AddDate(0, 0, tt.days)))
		if n := len(ticks); n < tt.min || n > tt.max {
			t.Errorf("%d days: %d ticks, want %d–%d", tt.days, n, tt.min, tt.max)
		}
		for _, tk := range ticks {
			if tk.Value < unix(start) || tk.Value > unix(start.AddDate(0, 0, tt.days)) {
				t.Errorf("%d days: tick %q outside the range", tt.days, tk.Label)
			}
		}
	}
}

func sampleGrid() Grid {
	g := Grid{Title: "Mengpanelen", Rows: defaults[:4], Columns: []string{"Bewonersbedrijf Noord", "Zorgcoöperatie De Akker", "Oost"}}
	for i := range g.Rows {
		row := make([]Cell, len(g.Columns))
		for j := range row {
			row[j] = Cell{Value: i + j, Set: true, OnPanel: true}
		}
		g.Cells = append(g.Cells, row)
	}
	return g
}

func TestGridPNG(t *testing.T) {
	t.Parallel()
	g := sampleGrid()
	data, err := GridPNG(g)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, data)
	l, err := layoutGrid(g)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := img.Bounds().Size(), image.Pt(l.w, l.h); got != want || l.w != Width {
		t.Errorf("size=%v, want %v and %d wide for three collectives", got, want, Width)
	}
	g.Cells[1][1].Value = 9
	again, err := GridPNG(g)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(again, data) {
		t.Error("a different value gave the same image")
	}
	t.Run("many collectives widen the image", func(t *testing.T) {
		g := sampleGrid()
		for len(g.Columns) < 12 {
			g.Columns = append(g.Columns, "Collectief")
			for i := range g.Cells {
				g.Cells[i] = append(g.Cells[i], Cell{})
			}
		}
		// The layout alone: rendering this under -race takes seconds.
		l, err := layoutGrid(g)
		if err != nil {
			t.Fatal(err)
		}
		if l.w < 12*gridMinColPx {
			t.Errorf("width=%d for 12 collectives", l.w)
		}
	})
	t.Run("mismatched cells", func(t *testing.T) {
		g := sampleGrid()
		g.Cells[0] = g.Cells[0][:1]
		if _, err := GridPNG(g); err == nil {
			t.Error("a ragged grid rendered")
		}
	})
}

func TestValueColourOrder(t *testing.T) {
	// Darker means higher, so the map reads without its key.
	lum := func(c color.RGBA) float64 { return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B) }
	for v := 1; v <= 10; v++ {
		if lum(valueColor(v)) >= lum(valueColor(v-1)) {
			t.Errorf("value %d is not darker than %d", v, v-1)
		}
	}
}

func TestDutchDate(t *testing.T) {
	if got, want := DutchDate(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)), "1 maart 2026"; got != want {
		t.Errorf("DutchDate=%q, want %q", got, want)
	}
}

// BenchmarkPanelChart renders the default panel with four weeks of movement,
// as /mengpaneel does.
func BenchmarkPanelChart(b *testing.B) {
	p := samplePanel()
	for i := range p.Bars {
		p.Bars[i].Before, p.Bars[i].HasBefore = (i+3)%11, i%2 == 0
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PanelPNG(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPanelChartColdGlyphs is BenchmarkPanelChart with the glyph
// cache emptied before every chart: the first chart after a start, or a
// chart whose every glyph is new (the worst case; in use the element
// names, digits and legend repeat from chart to chart).
func BenchmarkPanelChartColdGlyphs(b *testing.B) {
	p := samplePanel()
	for i := range p.Bars {
		p.Bars[i].Before, p.Bars[i].HasBefore = (i+3)%11, i%2 == 0
	}
	b.ReportAllocs()
	for b.Loop() {
		resetGlyphCache()
		if _, err := PanelPNG(p); err != nil {
			b.Fatal(err)
		}
	}
}
