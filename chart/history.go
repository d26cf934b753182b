package chart

import (
	"fmt"
	"strconv"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Point is an element's value from a moment on.
type Point struct {
	At    time.Time
	Value int
}

// History is what an element's history chart shows.
type History struct {
	Title    string // e.g. the element and the collective
	Subtitle string
	// Points are the element's values, oldest first; each holds until the
	// next one.
	Points []Point
	// End is where the line stops, normally now.
	End time.Time
	// Location is the time zone of the dates on the axis; nil means UTC.
	Location *time.Location
	// Lang is the language of the dates on the axis; "" is Dutch.
	Lang commands.Lang
}

// HistoryHeight is the height in pixels of a history chart.
const HistoryHeight = 600

// HistoryPNG draws the element's value over time as a step line on 0–10,
// Width×HistoryHeight pixels.
func HistoryPNG(h History) ([]byte, error) {
	if len(h.Points) == 0 {
		return nil, fmt.Errorf("history chart: no points")
	}
	loc := h.Location
	if loc == nil {
		loc = time.UTC
	}
	start := h.Points[0].At
	end := h.End
	if last := h.Points[len(h.Points)-1].At; end.Before(last) {
		end = last
	}
	// At least a week, so a new element's first value is a line, not a dot
	// on the edge.
	if end.Sub(start) < 7*24*time.Hour {
		start = end.Add(-7 * 24 * time.Hour)
	}

	steps := make(plotter.XYs, 0, len(h.Points)+1)
	for _, p := range h.Points {
		steps = append(steps, plotter.XY{X: unix(p.At), Y: float64(p.Value)})
	}
	steps = append(steps, plotter.XY{X: unix(end), Y: float64(h.Points[len(h.Points)-1].Value)})
	line, err := plotter.NewLine(steps)
	if err != nil {
		return nil, fmt.Errorf("history chart: %w", err)
	}
	line.StepStyle = plotter.PostStep
	line.Color = nowColor
	line.Width = px(5)
	dots, err := plotter.NewScatter(steps[:len(steps)-1])
	if err != nil {
		return nil, fmt.Errorf("history chart: %w", err)
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: nowColor, Radius: px(8), Shape: draw.CircleGlyph{}}
	values := plotter.XYLabels{XYs: steps[:len(steps)-1], Labels: make([]string, len(h.Points))}
	for i, p := range h.Points {
		values.Labels[i] = strconv.Itoa(p.Value)
	}
	numbers, err := plotter.NewLabels(values)
	if err != nil {
		return nil, fmt.Errorf("history chart: %w", err)
	}
	for i := range numbers.TextStyle {
		numbers.TextStyle[i] = sans(panelValuePx, true)
		numbers.TextStyle[i].XAlign, numbers.TextStyle[i].YAlign = draw.XLeft, draw.YBottom
	}
	numbers.Offset = vg.Point{X: px(10), Y: px(8)} // right of the dot, clear of a vertical step

	pl := plot.New()
	pl.BackgroundColor = nil
	// A little room after today keeps the last value's number inside.
	pl.X.Min, pl.X.Max = unix(start), unix(end)+0.03*(unix(end)-unix(start))
	pl.Y.Min, pl.Y.Max = 0, 10
	styleAxis(&pl.X)
	styleAxis(&pl.Y)
	pl.X.Tick.Marker = dateTicks{loc: loc, lang: h.Lang}
	pl.Y.Tick.Label.XAlign, pl.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	pl.X.Tick.Label.XAlign, pl.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	yticks := make([]plot.Tick, 0, 6)
	for v := 0; v <= 10; v += 2 {
		yticks = append(yticks, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	pl.Y.Tick.Marker = plot.ConstantTicks(yticks)
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = gridColor
	grid.Horizontal.Width = px(1.5)
	pl.Add(grid, line, dots, numbers)

	headerH := headerHeight(h.Subtitle)
	return render(Width, HistoryHeight, func(c draw.Canvas) {
		drawHeader(c, h.Title, h.Subtitle)
		pl.Draw(draw.Crop(c, px(panelMarginPx), -px(panelMarginPx+20), px(panelMarginPx), -px(headerH)))
	})
}

// styleAxis gives an axis the large, muted look of every chart here.
func styleAxis(a *plot.Axis) {
	a.LineStyle.Color = mutedColor
	a.LineStyle.Width = px(1.5)
	a.Tick.LineStyle.Color = mutedColor
	a.Tick.Length = px(8)
	a.Tick.Label = sans(panelTickPx, false)
	a.Tick.Label.Color = mutedColor
	a.Padding = px(8)
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// dateTicks puts dates (in lang) at midnight on the X axis, spaced so that
// no more than about six fit the chart.
type dateTicks struct {
	loc  *time.Location
	lang commands.Lang
}

// Ticks implements plot.Ticker.
func (d dateTicks) Ticks(min, max float64) []plot.Tick {
	from := time.Unix(int64(min), 0).In(d.loc)
	to := time.Unix(int64(max), 0).In(d.loc)
	days := to.Sub(from).Hours() / 24
	var ticks []plot.Tick
	if days > 180 {
		// First of each month, thinned to at most six.
		every := int(days/30/6) + 1
		t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, d.loc)
		for i := 0; !t.After(to); i++ {
			if !t.Before(from) && i%every == 0 {
				ticks = append(ticks, plot.Tick{Value: unix(t), Label: d.lang.MonthShort(t.Month()) + " " + strconv.Itoa(t.Year())})
			}
			t = t.AddDate(0, 1, 0)
		}
		return ticks
	}
	step := 1
	for _, s := range []int{1, 2, 7, 14, 28} {
		step = s
		if days/float64(s) <= 6 {
			break
		}
	}
	t := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, d.loc)
	if t.Before(from) {
		t = t.AddDate(0, 0, 1)
	}
	for ; !t.After(to); t = t.AddDate(0, 0, step) {
		ticks = append(ticks, plot.Tick{Value: unix(t), Label: shortDate(d.lang, t)})
	}
	return ticks
}

var _ plot.Ticker = dateTicks{}
