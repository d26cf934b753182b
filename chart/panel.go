package chart

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/wijkbv/wijkbot/commands"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bar is one element of a mengpaneel chart.
type Bar struct {
	Name  string
	Value int  // 0–10
	Set   bool // false until the collective first positions the slider
	// Before is the value four weeks ago, drawn faintly behind the current
	// one so movement shows; only when HasBefore.
	Before    int
	HasBefore bool
}

// Panel is what a mengpaneel chart shows.
type Panel struct {
	Title    string // the collective's name, typically
	Subtitle string // the date, typically
	Bars     []Bar  // top to bottom
	// Lang is the language of the chart's own words (legend, "not set
	// yet"); "" is Dutch.
	Lang commands.Lang
}

// Panel chart measures, in pixels.
const (
	panelLabelPx     = 24  // element names
	panelValuePx     = 24  // the numbers at the bars
	panelTickPx      = 20  // 0…10 along the axis
	panelTitlePx     = 34  // title
	panelSubPx       = 24  // subtitle
	panelLabelMaxPx  = 330 // names wrap beyond this width
	panelMinRowPx    = 64
	panelNowBarPx    = 28 // thickness of the current value's bar
	panelBeforeBarPx = 44 // thickness of the faint bar of four weeks ago
	panelMarginPx    = 24
	panelLegendPx    = 60
)

// panelGeom is where a rendered panel chart put things, in image pixels
// (origin top left); tests use it to look at one bar's pixels.
type panelGeom struct {
	Size image.Point
	// Data is the plotting area; X0 and X10 are the pixel columns of the
	// values 0 and 10, RowY the pixel row of each bar's centre, RowH a row's
	// height.
	Data        image.Rectangle
	X0, X10     float64
	RowY        []float64
	LabelLeft   float64    // left edge of the widest element name
	LabelRight  float64    // right edge of the element names
	LabelMaxPx  float64    // widest wrapped name line
	LabelsLines [][]string // each element's name as wrapped
}

// PanelPNG draws the panel as a horizontal bar chart, one bar per element on
// a 0–10 scale, Width pixels wide and as tall as the elements need.
func PanelPNG(p Panel) ([]byte, error) {
	png, _, err := renderPanel(p)
	return png, err
}

// PanelSVG draws the panel as PanelPNG does, as an SVG fragment for
// embedding in a web page (see SVG).
func PanelSVG(p Panel) ([]byte, error) {
	svg, _, err := renderPanelWith(p, renderSVG)
	return svg, err
}

// renderPanel draws the panel and reports where it put things.
func renderPanel(p Panel) ([]byte, panelGeom, error) {
	return renderPanelWith(p, render)
}

// renderPanelWith is renderPanel onto the canvas out makes (PNG or SVG).
func renderPanelWith(p Panel, out func(w, h int, paint func(c draw.Canvas)) ([]byte, error)) ([]byte, panelGeom, error) {
	if len(p.Bars) == 0 {
		return nil, panelGeom{}, fmt.Errorf("panel chart: no elements")
	}
	label := sans(panelLabelPx, false)
	label.XAlign, label.YAlign = draw.XRight, draw.YCenter
	value := sans(panelValuePx, true)
	was := sans(panelValuePx, false)
	was.Color = mutedColor
	unset := italic(panelValuePx)
	unset.Color = mutedColor

	// Wrap names first: a row is as tall as its name needs.
	var g panelGeom
	lineH := topx(label.Height("Ég"))
	heights := make([]float64, len(p.Bars))
	total := 0.0
	for i, b := range p.Bars {
		lines := wrap(label, b.Name, px(panelLabelMaxPx))
		g.LabelsLines = append(g.LabelsLines, lines)
		for _, l := range lines {
			g.LabelMaxPx = math.Max(g.LabelMaxPx, topx(label.Width(l)))
		}
		heights[i] = math.Max(panelMinRowPx, float64(len(lines))*lineH+24)
		total += heights[i]
	}
	// The Y axis counts pixels of row height from the bottom, so each row
	// sits at its centre and the first element comes on top.
	centres := make([]float64, len(p.Bars))
	ticks := make([]plot.Tick, len(p.Bars))
	top := 0.0
	for i := range p.Bars {
		centres[i] = total - top - heights[i]/2
		ticks[i] = plot.Tick{Value: centres[i], Label: strings.Join(g.LabelsLines[i], "\n")}
		top += heights[i]
	}
	headerH := headerHeight(p.Subtitle)
	axisH := 12 + topx(sans(panelTickPx, false).Height("0")) + 10
	h := int(math.Ceil(headerH + total + axisH + panelLegendPx))
	g.Size = image.Pt(Width, h)

	// Leave room right of the longest bar for its number.
	dataW := Width - 2*panelMarginPx - g.LabelMaxPx - 20
	xMax := 10.5
	for _, b := range p.Bars {
		if !b.Set {
			continue // "not set yet" starts at 0 and fits
		}
		w := topx(value.Width(barText(b))) + 14
		end := float64(b.Value)
		if b.HasBefore {
			end = math.Max(end, float64(b.Before))
		}
		if dataW > w {
			xMax = math.Max(xMax, end*dataW/(dataW-w))
		}
	}

	pl := plot.New()
	pl.BackgroundColor = nil
	pl.X.Min, pl.X.Max = 0, xMax
	pl.Y.Min, pl.Y.Max = 0, total
	pl.Y.Tick.Marker = plot.ConstantTicks(ticks)
	pl.Y.Tick.Label = label
	pl.Y.Tick.Length = 0
	pl.Y.LineStyle.Width = 0
	pl.Y.Padding = px(12)
	pl.X.Padding = 0
	pl.X.LineStyle.Width = 0 // the grid shows the scale
	pl.X.Tick.Label = sans(panelTickPx, false)
	pl.X.Tick.Label.Color = mutedColor
	pl.X.Tick.Label.YAlign = draw.YTop
	pl.X.Tick.Label.XAlign = draw.XCenter
	pl.X.Tick.LineStyle.Color = mutedColor
	pl.X.Tick.Length = px(8)
	xticks := make([]plot.Tick, 11)
	for i := range xticks {
		xticks[i] = plot.Tick{Value: float64(i), Label: strconv.Itoa(i)}
	}
	pl.X.Tick.Marker = plot.ConstantTicks(xticks)
	bars := &panelBars{bars: p.Bars, centres: centres, value: value, was: was, unset: unset, unsetText: p.Lang.Msg(commands.MsgChartUnset)}
	pl.Add(bars)

	png, err := out(Width, h, func(c draw.Canvas) {
		drawHeader(c, p.Title, p.Subtitle)
		area := draw.Crop(c, px(panelMarginPx), -px(panelMarginPx), px(panelLegendPx), -px(headerH))
		pl.Draw(area)
		anyBefore := false
		for _, b := range p.Bars {
			anyBefore = anyBefore || b.HasBefore
		}
		drawPanelLegend(c, p.Lang, bars.data.Min.X, anyBefore)
	})
	if err != nil {
		return nil, g, err
	}

	// Record where things went, converting from vg (origin bottom left).
	d := bars.data
	flip := func(y vg.Length) float64 { return float64(h) - topx(y) }
	g.Data = image.Rect(int(topx(d.Min.X)), int(flip(d.Max.Y)), int(topx(d.Max.X)), int(flip(d.Min.Y)))
	g.X0 = topx(d.X(pl.X.Norm(0)))
	g.X10 = topx(d.X(pl.X.Norm(10)))
	for i := range p.Bars {
		g.RowY = append(g.RowY, flip(d.Y(pl.Y.Norm(centres[i]))))
	}
	// The names are right-aligned against the axis, a space and the
	// padding before it.
	g.LabelRight = topx(d.Min.X) - topx(label.Width(" ")) - topx(pl.Y.Padding)
	g.LabelLeft = g.LabelRight - g.LabelMaxPx
	return png, g, nil
}

// barText is the number shown at a bar: "7", or "7 (was 5)" after a move.
func barText(b Bar) string {
	if b.HasBefore && b.Before != b.Value {
		return fmt.Sprintf("%d (was %d)", b.Value, b.Before)
	}
	return strconv.Itoa(b.Value)
}

// panelBars is the plotter that draws the bars, the grid and the numbers.
type panelBars struct {
	bars              []Bar
	centres           []float64 // Y of each bar's centre
	value, was, unset text.Style
	unsetText         string      // stands in an element's row before anyone set it
	data              draw.Canvas // set while drawing, for the legend and tests
}

// Plot implements plot.Plotter.
func (pb *panelBars) Plot(c draw.Canvas, p *plot.Plot) {
	pb.data = c
	x, y := p.Transforms(&c)
	for v := 0; v <= 10; v++ {
		c.StrokeLine2(draw.LineStyle{Color: gridColor, Width: px(1.5)}, x(float64(v)), c.Min.Y, x(float64(v)), c.Max.Y)
	}
	now, before := px(panelNowBarPx/2), px(panelBeforeBarPx/2)
	for i, b := range pb.bars {
		cy := y(pb.centres[i])
		if !b.Set {
			c.SetColor(unsetColor)
			c.Fill(rect(x(0), cy-now, x(10), cy+now))
			sty := pb.unset
			sty.YAlign = draw.YCenter
			c.FillText(sty, vg.Point{X: x(0) + px(14), Y: cy}, pb.unsetText)
			continue
		}
		end := x(float64(b.Value))
		if b.HasBefore {
			c.SetColor(beforeColor)
			c.Fill(rect(x(0), cy-before, x(float64(b.Before)), cy+before))
			end = max(end, x(float64(b.Before)))
		}
		c.SetColor(nowColor)
		// A zero keeps a sliver so the row does not look forgotten.
		c.Fill(rect(x(0), cy-now, max(x(float64(b.Value)), x(0)+px(4)), cy+now))

		sty := pb.value
		sty.YAlign = draw.YCenter
		num := strconv.Itoa(b.Value)
		at := vg.Point{X: end + px(12), Y: cy}
		c.FillText(sty, at, num)
		if rest := strings.TrimPrefix(barText(b), num); rest != "" {
			sty := pb.was
			sty.YAlign = draw.YCenter
			c.FillText(sty, vg.Point{X: at.X + pb.value.Width(num), Y: cy}, rest)
		}
	}
}

func rect(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}

// drawHeader writes the title and subtitle left-aligned at the top, where a
// phone's eye starts.
func drawHeader(c draw.Canvas, title, subtitle string) {
	t := sans(panelTitlePx, true)
	t.YAlign = draw.YTop
	y := c.Max.Y - px(panelMarginPx)
	c.FillText(t, vg.Point{X: c.Min.X + px(panelMarginPx), Y: y}, title)
	if subtitle != "" {
		s := sans(panelSubPx, false)
		s.Color = mutedColor
		s.YAlign = draw.YTop
		y -= t.Height("Ég") + px(8)
		c.FillText(s, vg.Point{X: c.Min.X + px(panelMarginPx), Y: y}, subtitle)
	}
}

// headerHeight is the height in pixels drawHeader takes, with the gap
// below it, so every chart starts its body at the same distance.
func headerHeight(subtitle string) float64 {
	h := panelMarginPx + topx(sans(panelTitlePx, true).Height("Ég")) + 16
	if subtitle != "" {
		h += 8 + topx(sans(panelSubPx, false).Height("Ég"))
	}
	return h
}

// drawPanelLegend explains the two shades under the axis.
func drawPanelLegend(c draw.Canvas, l commands.Lang, x vg.Length, withBefore bool) {
	sty := sans(panelTickPx, false)
	sty.YAlign = draw.YCenter
	y := c.Min.Y + px(panelLegendPx/2)
	box := px(22)
	entries := []struct {
		label string
		color color.Color
	}{{l.Msg(commands.MsgChartNow), nowColor}}
	if withBefore {
		entries = append(entries, struct {
			label string
			color color.Color
		}{l.Msg(commands.MsgChartFourWeeksAgo), beforeColor})
	}
	for _, e := range entries {
		c.SetColor(e.color)
		c.Fill(rect(x, y-box/2, x+box, y+box/2))
		c.FillText(sty, vg.Point{X: x + box + px(8), Y: y}, e.label)
		x += box + px(8) + sty.Width(e.label) + px(32)
	}
}
