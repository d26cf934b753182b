package chart

import (
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// Renderer draws the charts the commands ask for (commands.ChartRenderer
// and its optional HistoryRenderer and OverviewRenderer). cmd/wijkbot sets
// it as commands.Handler.Charts.
type Renderer struct {
	// Now gives the date in the titles; nil means time.Now.
	Now func() time.Time
	// Location is the programme time zone the dates are written in; nil
	// means UTC.
	Location *time.Location
}

var (
	_ commands.ChartRenderer    = (*Renderer)(nil)
	_ commands.HistoryRenderer  = (*Renderer)(nil)
	_ commands.OverviewRenderer = (*Renderer)(nil)
)

// PNGType is the content type of every chart.
const PNGType = "image/png"

// now is the time of the titles and of a history line's end.
func (r *Renderer) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Renderer) today() string { return DutchDate(r.now().In(r.loc())) }

func (r *Renderer) loc() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// Panel draws the collective's mengpaneel: one bar per element, the value
// four weeks ago (before, by element ID) faintly behind it.
func (r *Renderer) Panel(title string, elems []commands.Element, before map[int64]int) (*commands.File, error) {
	data, err := PanelPNG(r.panel(title, elems, before))
	if err != nil {
		return nil, err
	}
	return &commands.File{Name: "mengpaneel.png", ContentType: PNGType, Data: data}, nil
}

// panel is the chart data of Panel.
func (r *Renderer) panel(title string, elems []commands.Element, before map[int64]int) Panel {
	p := Panel{Title: title, Subtitle: "Mengpaneel op " + r.today()}
	for _, e := range elems {
		b := Bar{Name: e.Name, Value: e.Value, Set: e.IsSet}
		b.Before, b.HasBefore = before[e.ID]
		p.Bars = append(p.Bars, b)
	}
	return p
}

// History draws one element's course over time, from its changes (oldest
// first) until today.
func (r *Renderer) History(title string, elem commands.Element, changes []commands.SliderChange) (*commands.File, error) {
	data, err := HistoryPNG(r.history(title, changes))
	if err != nil {
		return nil, err
	}
	return &commands.File{Name: "verloop.png", ContentType: PNGType, Data: data}, nil
}

// history is the chart data of History.
func (r *Renderer) history(title string, changes []commands.SliderChange) History {
	h := History{Title: title, Subtitle: "Verloop tot " + r.today(), Location: r.loc(), End: r.now()}
	for _, c := range changes {
		h.Points = append(h.Points, Point{At: c.At, Value: c.Value})
	}
	return h
}

// Overview draws all panels as one heat map, one column per collective.
func (r *Renderer) Overview(panels []commands.CollectivePanel) (*commands.File, error) {
	data, err := GridPNG(r.overviewGrid(panels))
	if err != nil {
		return nil, err
	}
	return &commands.File{Name: "mengpanelen.png", ContentType: PNGType, Data: data}, nil
}

// overviewGrid lays the panels out as a grid: the programme's default
// elements first, then each collective's own in the order met.
func (r *Renderer) overviewGrid(panels []commands.CollectivePanel) Grid {
	g := Grid{Title: "Mengpanelen vergeleken", Subtitle: r.today()}
	// Rows: every element name once, compared as the commands compare them.
	row := map[string]int{}
	addRows := func(own bool) {
		for _, p := range panels {
			for _, e := range p.Elements {
				key := commands.NormalizeName(e.Name)
				if _, ok := row[key]; ok || (e.CollectiveID != 0) != own {
					continue
				}
				row[key] = len(g.Rows)
				g.Rows = append(g.Rows, e.Name)
			}
		}
	}
	addRows(false)
	addRows(true)
	g.Cells = make([][]Cell, len(g.Rows))
	for i := range g.Cells {
		g.Cells[i] = make([]Cell, len(panels))
	}
	for j, p := range panels {
		g.Columns = append(g.Columns, p.Name)
		for _, e := range p.Elements {
			g.Cells[row[commands.NormalizeName(e.Name)]][j] = Cell{Value: e.Value, Set: e.IsSet, OnPanel: true}
		}
	}
	return g
}

// PanelSVG draws the collective's mengpaneel as Panel does, as an SVG
// element for a web page (PanelSVG in this package).
func (r *Renderer) PanelSVG(title string, elems []commands.Element, before map[int64]int) ([]byte, error) {
	return PanelSVG(r.panel(title, elems, before))
}
