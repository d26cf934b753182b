package commands

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// ChartRenderer draws the charts that go with panel replies. The chart
// package implements it; cmd/wijkbot sets it as Handler.Charts.
type ChartRenderer interface {
	// Panel draws a collective's mengpaneel titled title: elems as they are
	// now, and before, by element ID, the value each had four weeks ago
	// (absent when it had none), so movement can be shown. Its own words
	// (date, legend) are in l, the reader's language.
	Panel(l Lang, title string, elems []Element, before map[int64]int) (*File, error)
}

// HistoryRenderer is an optional ability of a ChartRenderer: draw one
// element's course over time for /mengpaneel <element>.
type HistoryRenderer interface {
	// History draws elem's changes (oldest first) titled title, its own
	// words in l.
	History(l Lang, title string, elem Element, changes []SliderChange) (*File, error)
}

// panelCompare is how far back the chart's "before" values look.
const panelCompare = 28 * 24 * time.Hour

// historyShown caps the changes /mengpaneel <element> lists.
const historyShown = 10

// maxOwnElements keeps a panel readable (and its chart drawable).
const maxOwnElements = 20

// panel shows every slider of the collective, or one element's history.
func (h *Handler) panel(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	coll, err := h.Store.Collective(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	elems, err := h.Store.Panel(ctx, coll.ID)
	if err != nil {
		return Reply{}, err
	}
	if typed, ok := c.args.TextOK(optPanelElement); ok {
		e, err := matchElement(l, elems, typed)
		if err != nil {
			return Reply{}, err
		}
		return h.elementHistory(ctx, c, coll, e)
	}
	var b strings.Builder
	b.WriteString(l.Msg(MsgPanelTitle, coll.Name))
	unset := 0
	for _, e := range elems {
		b.WriteString("\n" + elementLine(l, e))
		if !e.IsSet {
			unset++
		}
	}
	b.WriteString("\n\n")
	if unset == len(elems) {
		b.WriteString(l.Msg(MsgPanelEmpty))
	} else {
		b.WriteString(l.Msg(MsgPanelHint))
	}
	reply := Reply{Text: b.String()}
	if h.Charts != nil {
		before, err := h.panelBefore(ctx, coll.ID, elems)
		if err == nil {
			reply.Image, err = h.Charts.Panel(l, coll.Name, elems, before)
		}
		if err != nil {
			// The text already says everything; a missing chart is no failure.
			h.logger().Warn("panel chart failed", "collective", coll.ID, "err", err)
			reply.Image = nil
		}
	}
	return reply, nil
}

// elementLine is one element of /mengpaneel: name, bar and value.
func elementLine(l Lang, e Element) string {
	if !e.IsSet {
		return fmt.Sprintf("• %s: %s", e.Name, l.Msg(MsgPanelUnset))
	}
	return fmt.Sprintf("• %s: %s %d", e.Name, bar(e.Value), e.Value)
}

// panelBefore is each element's value four weeks ago, by element ID.
func (h *Handler) panelBefore(ctx context.Context, collectiveID int64, elems []Element) (map[int64]int, error) {
	changes, err := h.Store.SliderChanges(ctx, collectiveID, 0, h.now().Add(-panelCompare))
	if err != nil {
		return nil, err
	}
	before := map[int64]int{}
	moved := map[int64]bool{}
	for _, ch := range changes { // oldest first: the first change holds the old value
		if moved[ch.ElementID] {
			continue
		}
		moved[ch.ElementID] = true
		if ch.HadPrevious {
			before[ch.ElementID] = ch.Previous
		}
	}
	for _, e := range elems {
		if e.IsSet && !moved[e.ID] {
			before[e.ID] = e.Value
		}
	}
	return before, nil
}

// elementHistory lists the latest changes of one element: who, when, why.
func (h *Handler) elementHistory(ctx context.Context, c *call, coll *Collective, e *Element) (Reply, error) {
	l := c.lang
	changes, err := h.Store.SliderChanges(ctx, coll.ID, e.ID, time.Time{})
	if err != nil {
		return Reply{}, err
	}
	if len(changes) == 0 {
		return Reply{Text: l.Msg(MsgHistoryNever, e.Name, e.Name)}, nil
	}
	var b strings.Builder
	b.WriteString(l.Msg(MsgHistoryTitle, e.Name, coll.Name, e.Value))
	for i := len(changes) - 1; i >= 0 && i >= len(changes)-historyShown; i-- {
		ch := changes[i]
		fmt.Fprintf(&b, "\n• %s: %s — %s", h.formatTime(l, ch.At), fromTo(l, ch), nameOr(l, ch.Who))
		if ch.Why != "" {
			fmt.Fprintf(&b, "\n   %s", strings.ReplaceAll(ch.Why, "\n", "\n   "))
		}
	}
	if n := len(changes) - historyShown; n > 0 {
		b.WriteString(l.Msg(MsgHistoryEarlier, n))
	}
	reply := Reply{Text: b.String()}
	if hr, ok := h.Charts.(HistoryRenderer); ok {
		img, err := hr.History(l, coll.Name+" — "+e.Name, *e, changes)
		if err != nil {
			h.logger().Warn("history chart failed", "collective", coll.ID, "element", e.ID, "err", err)
		} else {
			reply.Image = img
		}
	}
	return reply, nil
}

// fromTo shows a change as "5 → 7", or "nieuw → 7" for a first setting.
func fromTo(l Lang, ch SliderChange) string {
	if !ch.HadPrevious {
		return fmt.Sprintf("%s → %d", l.Msg(MsgHistoryUnset), ch.Value)
	}
	return fmt.Sprintf("%d → %d", ch.Previous, ch.Value)
}

// setSlider moves one slider; the store keeps who, when, why and the old value.
func (h *Handler) setSlider(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	elems, err := h.Store.Panel(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	e, err := matchElement(l, elems, c.args.Text(optSliderElement))
	if err != nil {
		return Reply{}, err
	}
	why := c.args.Text(optReason)
	ch, err := h.Store.SetSlider(ctx, c.EventID, c.chat.CollectiveID, e.ID, c.args.Int(optValue), why, c.User)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgElementGone, e.Name))
	} else if err != nil {
		return Reply{}, err
	}
	text := fmt.Sprintf("🎚️ %s: %s\n%s %d", e.Name, fromTo(l, *ch), bar(ch.Value), ch.Value)
	if why == "" {
		text += l.Msg(MsgSetTipReason)
	}
	return Reply{Text: text}, nil
}

// addElement adds an element of the collective's own to its panel.
func (h *Handler) addElement(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	name := strings.Join(strings.Fields(c.args.Text(optElementName)), " ")
	if err := checkElementName(l, name); err != nil {
		return Reply{}, err
	}
	elems, err := h.Store.Panel(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	taken := func(e *Element) error {
		what := l.Msg(MsgElementOwn)
		if e.CollectiveID == 0 {
			what = l.Msg(MsgElementDefault)
		}
		return Errorf(ECONFLICT, "%s", l.Msg(MsgElementExists, e.Name, what))
	}
	own := 0
	for i := range elems {
		if NormalizeName(elems[i].Name) == NormalizeName(name) {
			return Reply{}, taken(&elems[i])
		}
		if elems[i].CollectiveID != 0 {
			own++
		}
	}
	if own >= maxOwnElements {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgElementMax, own))
	}
	e, err := h.Store.AddElement(ctx, c.EventID, c.chat.CollectiveID, name, c.args.Text(optElementDesc), c.User)
	if ErrorCode(err) == ECONFLICT {
		// Added by someone else a moment ago.
		return Reply{}, taken(&Element{Name: name, CollectiveID: c.chat.CollectiveID})
	} else if err != nil {
		return Reply{}, err
	}
	text := l.Msg(MsgElementAdded, e.Name, e.Name)
	if e.Description != "" {
		// Shown so a typed "/element buurt kracht" (name "buurt", description
		// "kracht") is noticed: a name of several words needs quotes there.
		text += l.Msg(MsgElementDescription) + e.Description
	}
	return Reply{Text: text}, nil
}

// checkElementName refuses names that could not be typed back in /schuif:
// quotes would confuse the parser, and a number inside the name would be
// taken as the value ("/schuif top 10 7").
func checkElementName(l Lang, name string) error {
	if NormalizeName(name) == "" || !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsLetter(r) }) {
		return Errorf(EINVALID, "%s", l.Msg(MsgElementNameLetters))
	}
	if strings.ContainsFunc(name, isQuote) {
		return Errorf(EINVALID, "%s", l.Msg(MsgElementNameQuotes))
	}
	for _, w := range strings.Fields(name) {
		if looksNumeric(w) {
			return Errorf(EINVALID, "%s", l.Msg(MsgElementNameDigit, w))
		}
	}
	return nil
}
