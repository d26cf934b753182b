package chart

import (
	"math"
	"slices"
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

// today is the date of the titles, in l.
func (r *Renderer) today(l commands.Lang) string { return longDate(l, r.now().In(r.loc())) }

func (r *Renderer) loc() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// Panel draws the collective's mengpaneel: one bar per element, the value
// four weeks ago (before, by element ID) faintly behind it; its own words
// in l.
func (r *Renderer) Panel(l commands.Lang, title string, elems []commands.Element, before map[int64]int) (*commands.File, error) {
	data, err := PanelPNG(r.panel(l, title, elems, before))
	if err != nil {
		return nil, err
	}
	return &commands.File{Name: "mengpaneel.png", ContentType: PNGType, Data: data}, nil
}

// panel is the chart data of Panel.
func (r *Renderer) panel(l commands.Lang, title string, elems []commands.Element, before map[int64]int) Panel {
	p := Panel{Title: title, Subtitle: l.Msg(commands.MsgChartPanelSubtitle, r.today(l)), Lang: l}
	for _, e := range elems {
		b := Bar{Name: e.Name, Value: e.Value, Set: e.IsSet}
		b.Before, b.HasBefore = before[e.ID]
		p.Bars = append(p.Bars, b)
	}
	return p
}

// History draws one element's course over time, from its changes (oldest
// first) until today; its own words in l.
func (r *Renderer) History(l commands.Lang, title string, elem commands.Element, changes []commands.SliderChange) (*commands.File, error) {
	data, err := HistoryPNG(r.history(l, title, changes))
	if err != nil {
		return nil, err
	}
	return &commands.File{Name: "verloop.png", ContentType: PNGType, Data: data}, nil
}

// history is the chart data of History.
func (r *Renderer) history(l commands.Lang, title string, changes []commands.SliderChange) History {
	h := History{Title: title, Subtitle: l.Msg(commands.MsgChartHistorySubtitle, r.today(l)), Location: r.loc(), End: r.now(), Lang: l}
	for _, c := range changes {
		h.Points = append(h.Points, Point{At: c.At, Value: c.Value})
	}
	return h
}

// Overview draws the panels as one heat map, one column per collective,
// its own words in l; note (which collectives, where the others are) goes
// under the title.
func (r *Renderer) Overview(l commands.Lang, panels []commands.CollectivePanel, note string) (*commands.File, error) {
	data, err := GridPNG(r.overviewGrid(l, panels, note))
	if err != nil {
		return nil, err
	}
	return &commands.File{Name: "mengpanelen.png", ContentType: PNGType, Data: data}, nil
}

// overviewGrid lays the panels out as a grid: the programme's default
// elements first, then the collectives' own in the order met. The grid is
// bounded whatever the programme's size (Telegram takes photos up to
// 10,000 pixels of width plus height): at most MaxGridColumns collectives,
// the first in the order given (saying so when it leaves some out), and
// MaxGridRows rows; when own elements do not all fit, those that most of
// the shown collectives share keep a row and the rest fold into one row
// with each collective's average of them.
func (r *Renderer) overviewGrid(l commands.Lang, panels []commands.CollectivePanel, note string) Grid {
	g := Grid{Title: l.Msg(commands.MsgChartGridTitle), Subtitle: r.today(l), Lang: l}
	if note != "" {
		g.Subtitle += " · " + note
	}
	if len(panels) > MaxGridColumns {
		g.Subtitle += " · " + l.Msg(commands.MsgChartGridCut, MaxGridColumns, len(panels))
		panels = panels[:MaxGridColumns]
	}
	// Candidate rows: every element name once, compared as the commands
	// compare them; own ones with how many collectives have them.
	type cand struct {
		name  string
		own   bool
		count int
		order int
	}
	index := map[string]*cand{}
	var cands []*cand
	for _, own := range []bool{false, true} {
		for _, p := range panels {
			for _, e := range p.Elements {
				if (e.CollectiveID != 0) != own {
					continue
				}
				key := commands.NormalizeName(e.Name)
				c := index[key]
				if c == nil {
					c = &cand{name: e.Name, own: own, order: len(cands)}
					index[key] = c
					cands = append(cands, c)
				}
				c.count++
			}
		}
	}
	row := map[string]int{} // element key -> row; absent: the folded row
	if len(cands) > MaxGridRows {
		// Defaults first, then the own elements most collectives share.
		slices.SortStableFunc(cands, func(a, b *cand) int {
			if a.own != b.own {
				if a.own {
					return 1
				}
				return -1
			}
			return b.count - a.count
		})
		cands = cands[:MaxGridRows-1]
		slices.SortFunc(cands, func(a, b *cand) int { return a.order - b.order })
	}
	for _, c := range cands {
		row[commands.NormalizeName(c.name)] = len(g.Rows)
		g.Rows = append(g.Rows, c.name)
	}
	folded := -1
	if len(row) < len(index) {
		folded = len(g.Rows)
		g.Rows = append(g.Rows, l.Msg(commands.MsgChartGridFolded, len(index)-len(row)))
	}
	g.Cells = make([][]Cell, len(g.Rows))
	for i := range g.Cells {
		g.Cells[i] = make([]Cell, len(panels))
	}
	for j, p := range panels {
		g.Columns = append(g.Columns, p.Name)
		sum, set := 0, 0
		for _, e := range p.Elements {
			if i, ok := row[commands.NormalizeName(e.Name)]; ok {
				g.Cells[i][j] = Cell{Value: e.Value, Set: e.IsSet, OnPanel: true}
				continue
			}
			g.Cells[folded][j].OnPanel = true
			if e.IsSet {
				sum, set = sum+e.Value, set+1
			}
		}
		if set > 0 {
			g.Cells[folded][j].Set = true
			g.Cells[folded][j].Value = int(math.Round(float64(sum) / float64(set)))
		}
	}
	return g
}

// PanelSVG draws the collective's mengpaneel as Panel does, as an SVG
// element for a web page in the page's language l (PanelSVG in this
// package).
func (r *Renderer) PanelSVG(l commands.Lang, title string, elems []commands.Element, before map[int64]int) ([]byte, error) {
	return PanelSVG(r.panel(l, title, elems, before))
}
