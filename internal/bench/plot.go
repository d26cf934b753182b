package bench

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ScaleSummary is a point's figures over runs: the median of each run's
// value, in milliseconds and MiB.
type ScaleSummary struct {
	Point                           ScalePoint
	MixedP99, TimelineP99, PanelP99 float64 // ms
	// MixedSamples counts the mixed load's commands; MixedCommandP99 is
	// the p99 of each of MixedCommands apart (ms), in that order.
	MixedSamples               int
	MixedCommandP99            []float64
	OverviewMS, DigestMS       float64 // ms, median of the repeats
	TickMS, TickThursdayMS     float64 // ms, median of the repeats
	OverviewChars, DigestChars int
	OverviewImage              bool
	RSSMiB, DBMiB              float64
	Web                        []WebSummary
}

// WebSummary is a web page's figures at a point: the median time to the
// whole response and the last response's size.
type WebSummary struct {
	Name            string
	MS              float64
	Bytes           int
	Articles, Cards int
}

// webMS is the page's time at s, 0 when it was not measured.
func (s ScaleSummary) webMS(name string) float64 {
	for _, w := range s.Web {
		if w.Name == name {
			return w.MS
		}
	}
	return 0
}

// webKiB is the page's size at s in KiB, 0 when it was not measured.
func (s ScaleSummary) webKiB(name string) float64 {
	for _, w := range s.Web {
		if w.Name == name {
			return float64(w.Bytes) / 1024
		}
	}
	return 0
}

// MedianScale summarises the runs of one point.
func MedianScale(runs []ScaleResult) ScaleSummary {
	var s ScaleSummary
	if len(runs) == 0 {
		return s
	}
	s.Point = runs[0].Point
	med := func(f func(r ScaleResult) float64) float64 {
		var xs []float64
		for _, r := range runs {
			xs = append(xs, f(r))
		}
		return Median(xs)
	}
	p := func(ds []time.Duration, q float64) float64 { return Milliseconds(Percentile(ds, q)) }
	// The mixed load's commands are pooled over the runs: its p99 is
	// that of every command measured (scalemixed.go says why).
	var mixed MixedResult
	for _, r := range runs {
		mixed.Samples = append(mixed.Samples, r.Mixed.Samples...)
	}
	s.MixedP99, s.MixedSamples = mixed.P99(), len(mixed.Samples)
	for _, c := range MixedCommands {
		s.MixedCommandP99 = append(s.MixedCommandP99, Milliseconds(Percentile(mixed.Latencies(c.Command), 99)))
	}
	s.TimelineP99 = med(func(r ScaleResult) float64 { return p(r.Timeline, 99) })
	s.PanelP99 = med(func(r ScaleResult) float64 { return p(r.Panel, 99) })
	s.OverviewMS = med(func(r ScaleResult) float64 { return p(r.Overview, 50) })
	s.DigestMS = med(func(r ScaleResult) float64 { return p(r.Digest, 50) })
	s.TickMS = med(func(r ScaleResult) float64 { return p(r.Tick, 50) })
	s.TickThursdayMS = med(func(r ScaleResult) float64 { return p(r.TickThursday, 50) })
	s.RSSMiB = med(func(r ScaleResult) float64 { return float64(r.RSS) / (1 << 20) })
	s.DBMiB = med(func(r ScaleResult) float64 { return float64(r.DBSize) / (1 << 20) })
	last := runs[len(runs)-1]
	for i, w := range last.Web {
		s.Web = append(s.Web, WebSummary{Name: w.Name, Bytes: w.Bytes, Articles: w.Articles, Cards: w.Cards,
			MS: med(func(r ScaleResult) float64 {
				if i >= len(r.Web) {
					return 0
				}
				return p(r.Web[i].Times, 50)
			})})
	}
	s.OverviewChars, s.DigestChars, s.OverviewImage = last.OverviewChars, last.DigestChars, last.OverviewImage
	return s
}

// series is one line of a curve chart.
type series struct {
	name string
	f    func(ScaleSummary) float64
}

// webSeries are the web pages' lines, with f reading a page's figure.
func webSeries(f func(ScaleSummary, string) float64) []series {
	var list []series
	for _, wp := range webPages {
		path := wp.path
		if path == "" {
			path = "/collectief/<id>"
		}
		list = append(list, series{path, func(s ScaleSummary) float64 { return f(s, wp.name) }})
	}
	return list
}

// PlotScale writes the curves as PNG charts into dir: scale-latency.png
// (the mixed load's p99 and each command's time against the number of
// collectives, one year of history), scale-web.png and scale-web-size.png
// (each web page's time to the whole response and its size) and
// scale-size.png (RSS and database size). The points with more years are
// drawn as single markers.
func PlotScale(dir string, points []ScaleSummary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	draws := []struct {
		file, title, unit string
		series            []series
	}{
		{"scale-latency.png", "Tijd per opdracht naar programmagrootte (1 jaar geschiedenis)", "ms", []series{
			{"gemengde last p99", func(s ScaleSummary) float64 { return s.MixedP99 }},
			{"/tijdlijn p99", func(s ScaleSummary) float64 { return s.TimelineP99 }},
			{"/mengpaneel p99", func(s ScaleSummary) float64 { return s.PanelP99 }},
			{"/overzicht", func(s ScaleSummary) float64 { return s.OverviewMS }},
			{"weekoverzicht", func(s ScaleSummary) float64 { return s.DigestMS }},
			{"planner-tik maandag (elke minuut)", func(s ScaleSummary) float64 { return s.TickMS }},
			{"planner-tik donderdag", func(s ScaleSummary) float64 { return s.TickThursdayMS }},
		}},
		{"scale-web.png", "Webpagina's naar programmagrootte: tijd tot het hele antwoord (1 jaar geschiedenis)", "ms", webSeries(ScaleSummary.webMS)},
		{"scale-web-size.png", "Webpagina's naar programmagrootte: grootte van het antwoord (1 jaar geschiedenis)", "KiB", webSeries(ScaleSummary.webKiB)},
		{"scale-size.png", "Geheugen en database naar programmagrootte (1 jaar geschiedenis)", "MiB", []series{
			{"RSS", func(s ScaleSummary) float64 { return s.RSSMiB }},
			{"database", func(s ScaleSummary) float64 { return s.DBMiB }},
		}},
	}
	colors := []color.RGBA{{0x1f, 0x5f, 0x8b, 0xff}, {0xd9, 0x5f, 0x02, 0xff}, {0x1b, 0x9e, 0x77, 0xff}, {0x75, 0x70, 0xb3, 0xff}, {0xe7, 0x29, 0x8a, 0xff}, {0x66, 0x66, 0x66, 0xff}, {0xa6, 0x76, 0x1d, 0xff}}
	for _, d := range draws {
		p := plot.New()
		p.Title.Text = d.title
		p.X.Label.Text = "collectieven"
		p.Y.Label.Text = d.unit
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Legend.Top = true
		p.Legend.Left = true
		p.Add(plotter.NewGrid())
		for i, s := range d.series {
			var line, extra plotter.XYs
			for _, pt := range points {
				v := s.f(pt)
				if v <= 0 {
					continue // a log axis has no zero
				}
				xy := plotter.XY{X: float64(pt.Point.Collectives), Y: v}
				if pt.Point.Years == 1 {
					line = append(line, xy)
				} else {
					extra = append(extra, xy)
				}
			}
			if len(line) == 0 {
				continue
			}
			l, sc, err := plotter.NewLinePoints(line)
			if err != nil {
				return err
			}
			c := colors[i%len(colors)]
			l.Color, sc.Color = c, c
			l.Width = vg.Points(1.5)
			p.Add(l, sc)
			p.Legend.Add(s.name, l, sc)
			if len(extra) > 0 {
				e, err := plotter.NewScatter(extra)
				if err != nil {
					return err
				}
				e.Color = c
				e.Shape = draw.CrossGlyph{}
				e.Radius = vg.Points(5)
				p.Add(e)
			}
		}
		p.Legend.Add("× = 1.000 collectieven, 3 jaar")
		if err := p.Save(20*vg.Centimeter, 15*vg.Centimeter, filepath.Join(dir, d.file)); err != nil {
			return fmt.Errorf("plot %s: %w", d.file, err)
		}
	}
	return nil
}
