package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/wijkbv/wijkbot/commands"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Cell is one collective's value of one element in a comparison grid.
type Cell struct {
	Value   int
	Set     bool // false: on the panel but not positioned yet
	OnPanel bool // false: the collective does not have this element
}

// Grid compares the panels of several collectives as a heat map: one row
// per element, one column per collective, the value as colour and number.
type Grid struct {
	Title, Subtitle string
	Rows            []string // element names
	Columns         []string // collective names
	Cells           [][]Cell // Cells[row][column]
	// Lang is the language of the legend; "" is Dutch.
	Lang commands.Lang
}

// The bounds of a grid, whatever the data: with them and the measures below
// an image stays under 4,700 × 2,100 pixels (Telegram takes photos up to
// 10,000 pixels of width plus height, and 10 MB).
const (
	MaxGridColumns = 15 // collectives
	MaxGridRows    = 16 // elements
	gridMaxLines   = 3  // lines of a wrapped name; more end in "…"
)

// Grid measures, in pixels.
const (
	gridLabelPx    = 22
	gridHeadPx     = 20
	gridCellPx     = 24
	gridLabelMaxPx = 300
	gridMinColPx   = 120
	gridMaxColPx   = 200
	gridMaxWordPx  = 280 // a longer word is broken after all
	gridMinRowPx   = 52
	gridLegendPx   = 130
)

// gridLayout is where GridPNG puts things, in pixels.
type gridLayout struct {
	label, head, cell  text.Style
	labelW, colW       float64
	rowLines, colLines [][]string
	rowH               []float64
	headerH, colHeadH  float64
	w, h               int
}

// GridPNG draws the comparison grid, at least Width pixels wide (wider when
// many collectives need room) and as tall as the elements need.
func GridPNG(g Grid) ([]byte, error) {
	l, err := layoutGrid(g)
	if err != nil {
		return nil, err
	}
	return l.render(g)
}

func layoutGrid(g Grid) (*gridLayout, error) {
	if len(g.Rows) == 0 || len(g.Columns) == 0 {
		return nil, fmt.Errorf("grid chart: nothing to compare")
	}
	if len(g.Cells) != len(g.Rows) {
		return nil, fmt.Errorf("grid chart: %d rows of cells for %d elements", len(g.Cells), len(g.Rows))
	}
	for i, r := range g.Cells {
		if len(r) != len(g.Columns) {
			return nil, fmt.Errorf("grid chart: row %d has %d cells for %d collectives", i, len(r), len(g.Columns))
		}
	}
	if len(g.Columns) > MaxGridColumns || len(g.Rows) > MaxGridRows {
		return nil, fmt.Errorf("grid chart: %d×%d is more than %d elements × %d collectives", len(g.Rows), len(g.Columns), MaxGridRows, MaxGridColumns)
	}
	l := &gridLayout{label: sans(gridLabelPx, false), head: sans(gridHeadPx, true), cell: sans(gridCellPx, true)}
	l.label.XAlign, l.label.YAlign = draw.XRight, draw.YCenter
	l.head.XAlign, l.head.YAlign = draw.XCenter, draw.YBottom
	l.cell.XAlign, l.cell.YAlign = draw.XCenter, draw.YCenter

	// Element names wrap like on the panel chart; the label column is as
	// wide as the widest wrapped line.
	l.rowLines = make([][]string, len(g.Rows))
	for i, name := range g.Rows {
		l.rowLines[i] = clipLines(wrap(l.label, name, px(gridLabelMaxPx)), gridMaxLines)
		for _, line := range l.rowLines[i] {
			l.labelW = math.Max(l.labelW, topx(l.label.Width(line)))
		}
	}
	// Columns share what is left of Width, within limits, and grow the
	// image when there are many collectives.
	colW := (Width - 2*panelMarginPx - l.labelW - 16) / float64(len(g.Columns))
	colW = math.Max(gridMinColPx, math.Min(gridMaxColPx, colW))
	// A column is at least as wide as the longest word of its name, so
	// names break between words only.
	for _, name := range g.Columns {
		for _, word := range strings.Fields(name) {
			colW = math.Max(colW, math.Min(gridMaxWordPx, topx(l.head.Width(word))+14))
		}
	}
	l.colW = colW
	l.colLines = make([][]string, len(g.Columns))
	maxColLines := 1
	for j, name := range g.Columns {
		l.colLines[j] = clipLines(wrap(l.head, name, px(colW-10)), gridMaxLines)
		maxColLines = max(maxColLines, len(l.colLines[j]))
	}
	lineH := topx(l.label.Height("Ég"))
	headLineH := topx(l.head.Height("Ég"))
	l.rowH = make([]float64, len(g.Rows))
	gridH := 0.0
	for i := range g.Rows {
		l.rowH[i] = math.Max(gridMinRowPx, float64(len(l.rowLines[i]))*lineH+14)
		gridH += l.rowH[i]
	}
	l.headerH = headerHeight(g.Subtitle)
	l.colHeadH = float64(maxColLines)*headLineH + 12
	l.w = int(math.Ceil(math.Max(Width, 2*panelMarginPx+l.labelW+16+colW*float64(len(g.Columns)))))
	l.h = int(math.Ceil(l.headerH + l.colHeadH + gridH + gridLegendPx))
	return l, nil
}

// clipLines keeps the first n lines, marking a cut with "…".
func clipLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	lines[n-1] += "…"
	return lines
}

// render draws g as laid out.
func (l *gridLayout) render(g Grid) ([]byte, error) {
	label, head, cell := l.label, l.head, l.cell
	labelW, colW, headerH, colHeadH := l.labelW, l.colW, l.headerH, l.colHeadH
	rowLines, colLines, rowH := l.rowLines, l.colLines, l.rowH
	return render(l.w, l.h, func(c draw.Canvas) {
		drawHeader(c, g.Title, g.Subtitle)
		left := c.Min.X + px(panelMarginPx+labelW+16)
		top := c.Max.Y - px(headerH)
		for j := range g.Columns {
			cx := left + px(colW*(float64(j)+0.5))
			c.FillText(head, vg.Point{X: cx, Y: top - px(colHeadH-6)}, strings.Join(colLines[j], "\n"))
		}
		y := top - px(colHeadH)
		border := draw.LineStyle{Color: color.White, Width: px(3)}
		for i := range g.Rows {
			rh := px(rowH[i])
			c.FillText(label, vg.Point{X: left - px(16), Y: y - rh/2}, strings.Join(rowLines[i], "\n"))
			for j := range g.Columns {
				x0 := left + px(colW*float64(j))
				box := rect(x0, y-rh, x0+px(colW), y)
				if g.Cells[i][j].OnPanel {
					drawCell(c, g.Cells[i][j], box, cell, vg.Point{X: x0 + px(colW/2), Y: y - rh/2})
					c.SetLineStyle(border)
					c.Stroke(box)
				} else {
					c.SetLineStyle(draw.LineStyle{Color: gridColor, Width: px(1.5)})
					c.Stroke(rect(x0+px(3), y-rh+px(3), x0+px(colW-3), y-px(3)))
				}
			}
			y -= rh
		}
		drawGridLegend(c, g.Lang, c.Min.X+px(panelMarginPx), y-px(44))
	})
}

// drawCell fills a cell of an element on the collective's panel: its
// value's colour and number, or a dash when not set.
func drawCell(c draw.Canvas, v Cell, box vg.Path, sty text.Style, centre vg.Point) {
	switch {
	case !v.Set:
		c.SetColor(unsetColor)
		c.Fill(box)
		sty.Color = mutedColor
		c.FillText(sty, centre, "–")
	default:
		bg := valueColor(v.Value)
		c.SetColor(bg)
		c.Fill(box)
		sty.Color = inkOn(bg)
		c.FillText(sty, centre, strconv.Itoa(v.Value))
	}
}

// Ends of the value scale: a pale and a deep blue, one hue so the order of
// the colours reads without a key and in grey print.
var (
	lowColor  = color.RGBA{R: 0xe6, G: 0xf0, B: 0xf7, A: 0xff}
	highColor = color.RGBA{R: 0x0b, G: 0x3c, B: 0x5d, A: 0xff}
)

// valueColor interpolates the scale for a value 0–10.
func valueColor(v int) color.RGBA {
	t := math.Max(0, math.Min(1, float64(v)/10))
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + t*(float64(b)-float64(a)))) }
	return color.RGBA{R: mix(lowColor.R, highColor.R), G: mix(lowColor.G, highColor.G), B: mix(lowColor.B, highColor.B), A: 0xff}
}

// inkOn picks black or white text, whichever stands out on bg.
func inkOn(bg color.RGBA) color.Color {
	lum := 0.2126*float64(bg.R) + 0.7152*float64(bg.G) + 0.0722*float64(bg.B)
	if lum < 140 {
		return color.White
	}
	return inkColor
}

// drawGridLegend shows the scale and what a dash and an empty cell mean.
func drawGridLegend(c draw.Canvas, l commands.Lang, x, y vg.Length) {
	sty := sans(gridHeadPx, false)
	sty.Color = mutedColor
	sty.YAlign = draw.YCenter
	num := sans(16, true)
	num.XAlign, num.YAlign = draw.XCenter, draw.YCenter
	box := px(30)
	for v := 0; v <= 10; v++ {
		bg := valueColor(v)
		c.SetColor(bg)
		x0 := x + box*vg.Length(v)
		c.Fill(rect(x0, y-box/2, x0+box, y+box/2))
		num.Color = inkOn(bg)
		c.FillText(num, vg.Point{X: x0 + box/2, Y: y}, strconv.Itoa(v))
	}
	c.FillText(sty, vg.Point{X: x + box*11 + px(12), Y: y}, l.Msg(commands.MsgChartGridValue))
	y -= px(40)
	c.SetColor(unsetColor)
	c.Fill(rect(x, y-box/2, x+box, y+box/2))
	num.Color = mutedColor
	c.FillText(num, vg.Point{X: x + box/2, Y: y}, "–")
	c.FillText(sty, vg.Point{X: x + box + px(12), Y: y}, l.Msg(commands.MsgChartGridLegend))
}
