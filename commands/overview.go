package commands

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// overviewMaxText keeps /overzicht within one chat message (Telegram allows
// 4096 characters); beyond it the panels are summarised, the chart still
// shows every value.
const overviewMaxText = 3800

// overviewLine is one collective in /overzicht.
type overviewLine struct {
	sum     CollectiveSummary
	last    *Entry // nil when nothing was logged yet
	round   *Round // latest posted check-in, nil when none
	answers []CheckinAnswer
	open    []HelpRequest
	panel   []Element
}

// overview is /overzicht: per collective its last progress, last
// check-in, open help requests and panel, plus one chart comparing all
// panels. A collective's details are read only when its line is written:
// the text stops at overviewMaxText, so at 10,000 collectives a few dozen
// are read, not all (reading all took 4 s and showed none of the rest).
func (h *Handler) overview(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	ov, err := h.loadOverview(ctx)
	if err != nil {
		return Reply{}, err
	}
	if ov.total == 0 {
		return Reply{Text: l.Msg(MsgOverviewNoCollectives)}, nil
	}
	// Shorter forms for bigger programmes, so it stays one message.
	text, fits, err := h.overviewText(ctx, l, ov, false)
	if err == nil && !fits {
		text, fits, err = h.overviewText(ctx, l, ov, true)
	}
	if err == nil && !fits {
		text, err = h.overviewCompact(ctx, l, ov)
	}
	if err != nil {
		return Reply{}, err
	}
	reply := Reply{Text: text + h.networkLine(ctx, l)}
	if or, ok := h.Charts.(OverviewRenderer); ok {
		// The chart compares the first OverviewChartPanels in the text's
		// order (those that need attention first) and says so, and where
		// the others are, in its subtitle and in the text.
		panels := make([]CollectivePanel, min(len(ov.sums), OverviewChartPanels))
		for i := range panels {
			line, err := ov.line(ctx, i)
			if err != nil {
				return Reply{}, err
			}
			panels[i] = CollectivePanel{Name: line.sum.Name, Elements: line.panel}
		}
		note := ""
		if ov.total > len(panels) {
			note = h.overviewChartNote(l, ov, len(panels))
			reply.Text += l.Msg(MsgOverviewChartNote, note)
		}
		img, err := or.Overview(l, panels, note)
		if err != nil {
			// The text has the values too; a missing chart is no failure.
			h.logger().Warn("overview chart failed", "err", err)
		} else {
			reply.Image = img
		}
	}
	return reply, nil
}

// overviewChartNote says which shown of the programme's collectives the
// chart compares, and where to see them all: the web overview (in the same
// order, a page at a time) when the pages are on, /export always.
func (h *Handler) overviewChartNote(l Lang, ov *overviewData, shown int) string {
	switch {
	case !ov.byAttention:
		return l.Msg(MsgOverviewChartByName, shown, ov.total)
	case h.WebURL != "":
		return l.Msg(MsgOverviewChartAttention, shown, ov.total)
	default:
		return l.Msg(MsgOverviewChartAttentionNoWeb, shown, ov.total)
	}
}

// OverviewChartPanels is how many collectives' panels /overzicht reads for
// its chart: the renderer compares at most this many (chart.MaxGridColumns
// may not exceed it; a test in chart says so).
const OverviewChartPanels = 15

// overviewListed bounds the collectives /overzicht reads the summaries of:
// more than its text can name (a compact line takes 40 characters at
// least, overviewMaxText allows some 95 of them), so the text still counts
// the rest exactly (overviewData.total) without reading all of them.
const overviewListed = 200

// overviewData is what /overzicht reads: the summaries of the collectives
// it may name, in the order it names them, and the open requests at once;
// each collective's details when asked for.
type overviewData struct {
	h    *Handler
	sums []CollectiveSummary
	// total counts every collective, also those beyond sums.
	total int
	// byAttention says sums come in the web overview's order, those that
	// need attention first (attentionLister), rather than by name (a
	// store without that ability).
	byAttention bool
	open        []HelpRequest
	lines       []overviewLine // the details read so far, in the order of sums
}

// attentionLister is the one ability of the WebPageStore that /overzicht
// uses: the collectives in the web overview's order, a part at a time.
type attentionLister interface {
	CollectivesByAttention(ctx context.Context, name string, quietSince time.Time, offset, limit int) ([]CollectiveSummary, int, error)
}

func (h *Handler) loadOverview(ctx context.Context) (*overviewData, error) {
	ov := &overviewData{h: h}
	var err error
	if ps, ok := h.Store.(attentionLister); ok {
		ov.byAttention = true
		ov.sums, ov.total, err = ps.CollectivesByAttention(ctx, "", h.now().Add(-QuietAfter), 0, overviewListed)
	} else {
		ov.sums, err = h.Store.Collectives(ctx)
		ov.total = len(ov.sums)
	}
	if err != nil {
		return nil, err
	}
	if ov.open, err = h.Store.OpenRequests(ctx); err != nil {
		return nil, err
	}
	return ov, nil
}

// line returns the i-th collective's details, reading them (and those
// before it) if that was not done yet.
func (ov *overviewData) line(ctx context.Context, i int) (*overviewLine, error) {
	for len(ov.lines) <= i {
		s := ov.sums[len(ov.lines)]
		line := overviewLine{sum: s}
		entries, err := ov.h.Store.Entries(ctx, s.ID, 1)
		if err != nil {
			return nil, err
		}
		if len(entries) > 0 {
			line.last = &entries[0]
		}
		line.round, err = ov.h.Store.LatestRound(ctx, s.ID)
		if ErrorCode(err) == ENOTFOUND {
			line.round = nil
		} else if err != nil {
			return nil, err
		}
		if line.round != nil {
			if line.answers, err = ov.h.Store.CheckinAnswers(ctx, line.round.ID); err != nil {
				return nil, err
			}
		}
		line.open = requestsOf(ov.open, s.ID)
		if line.panel, err = ov.h.Store.Panel(ctx, s.ID); err != nil {
			return nil, err
		}
		ov.lines = append(ov.lines, line)
	}
	return &ov.lines[i], nil
}

// overviewText writes the overview; short summarises each panel in a line.
// It stops as soon as the text is longer than overviewMaxText, with fits
// false: the whole text would be longer still.
func (h *Handler) overviewText(ctx context.Context, l Lang, ov *overviewData, short bool) (text string, fits bool, err error) {
	now := h.now()
	var b strings.Builder
	b.WriteString(h.overviewHead(l, ov))
	n := utf8.RuneCountInString(b.String())
	for i := range ov.sums {
		if n > overviewMaxText {
			return "", false, nil
		}
		line, err := ov.line(ctx, i)
		if err != nil {
			return "", false, err
		}
		start := b.Len()
		b.WriteString("\n\n" + line.sum.Name)
		if len(line.sum.Chats) == 0 {
			b.WriteString(l.Msg(MsgOverviewNoChat))
		}
		if line.sum.PausedUntil.After(now) {
			b.WriteString(l.Msg(MsgOverviewPausedUntil) + h.formatDate(l, line.sum.PausedUntil) + ")")
		}
		b.WriteString("\n• " + h.overviewProgress(l, now, line.last))
		b.WriteString("\n• " + h.overviewCheckin(l, line.round, line.answers))
		b.WriteString("\n• " + overviewRequests(l, now, line.open, short))
		b.WriteString("\n• " + overviewPanel(l, line.panel, short))
		n += utf8.RuneCountInString(b.String()[start:])
	}
	if n > overviewMaxText || len(ov.sums) < ov.total {
		return "", false, nil
	}
	return b.String(), true, nil
}

// overviewCompact writes a line per collective, and cuts the list off
// when even that is too long.
func (h *Handler) overviewCompact(ctx context.Context, l Lang, ov *overviewData) (string, error) {
	now := h.now()
	var b strings.Builder
	b.WriteString(h.overviewHead(l, ov))
	n := utf8.RuneCountInString(b.String())
	for i := range ov.total {
		if i == len(ov.sums) { // not read: overviewListed is more than fit
			b.WriteString(l.Count(MsgOverviewMoreN, ov.total-i))
			break
		}
		line, err := ov.line(ctx, i)
		if err != nil {
			return "", err
		}
		progress := l.Msg(MsgOverviewNoProgress)
		if line.last != nil {
			progress = l.Msg(MsgOverviewProgress) + ago(l, now, line.last.CreatedAt)
		}
		checkin := l.Msg(MsgOverviewNoCheckin)
		if line.round != nil {
			checkin = l.Msg(MsgOverviewCheckin) + l.Count(MsgAnswersN, len(line.answers))
		}
		s := fmt.Sprintf("\n• %s: %s; %s; %s; %s", line.sum.Name, progress, checkin,
			strings.ToLower(overviewRequests(l, now, line.open, true)), strings.ToLower(overviewPanel(l, line.panel, true)))
		if n+utf8.RuneCountInString(s) > overviewMaxText-100 {
			b.WriteString(l.Count(MsgOverviewMoreN, ov.total-i))
			break
		}
		b.WriteString(s)
		n += utf8.RuneCountInString(s)
	}
	return b.String(), nil
}

func (h *Handler) overviewHead(l Lang, ov *overviewData) string {
	head := l.Msg(MsgOverviewTitle, h.formatDate(l, h.now()), l.Count(MsgCollectivesN, ov.total), l.Count(MsgOpenRequestsN, len(ov.open)))
	if ov.byAttention && ov.total > 1 {
		head += l.Msg(MsgOverviewOrder)
	}
	return head
}

func (h *Handler) overviewProgress(l Lang, now time.Time, e *Entry) string {
	if e == nil {
		return l.Msg(MsgOverviewProgressNone)
	}
	kind := ""
	if e.Milestone {
		kind = l.Msg(MsgOverviewMilestone)
	}
	return l.Msg(MsgOverviewProgressLabel) + ago(l, now, e.CreatedAt) + fmt.Sprintf(", “%s”%s", clip(strings.Join(strings.Fields(e.Text), " "), 100), kind)
}

func (h *Handler) overviewCheckin(l Lang, r *Round, answers []CheckinAnswer) string {
	if r == nil {
		return l.Msg(MsgOverviewNoRound)
	}
	when := h.formatDate(l, r.ScheduledAt)
	if len(answers) == 0 {
		return l.Msg(MsgOverviewCheckinUnanswered, when)
	}
	return l.Msg(MsgOverviewCheckinOf, when) +
		l.Count(MsgAnswersN, len(answers))
}

func overviewRequests(l Lang, now time.Time, open []HelpRequest, short bool) string {
	if len(open) == 0 {
		return l.Msg(MsgOverviewRequestsNone)
	}
	shown := firstN(open, openShown)
	parts := make([]string, len(shown))
	for i := range shown {
		r := &shown[i]
		if short {
			parts[i] = ref(r.Number)
			continue
		}
		parts[i] = fmt.Sprintf("%s %s (%s, %s)", ref(r.Number), r.Expertise, statusText(l, r), age(l, now, r.CreatedAt))
	}
	return l.Msg(MsgOverviewRequests) + strings.Join(parts, "; ") + moreOpen(l, len(open))
}

// openShown is how many open help requests of one collective the digest
// and the overview name; the rest are counted, /open lists them all.
const openShown = 3

// firstN is at most the first n of list.
func firstN[T any](list []T, n int) []T {
	if len(list) > n {
		return list[:n]
	}
	return list
}

// moreOpen counts the open requests beyond openShown ("" when none).
func moreOpen(l Lang, total int) string {
	if total <= openShown {
		return ""
	}
	n := total - openShown
	return l.Msg(MsgOpenMore, n)
}

func overviewPanel(l Lang, elems []Element, short bool) string {
	var parts []string
	set, sum := 0, 0
	for _, e := range elems {
		if !e.IsSet {
			continue
		}
		set++
		sum += e.Value
		parts = append(parts, fmt.Sprintf("%s %d", e.Name, e.Value))
	}
	unset := len(elems) - set
	head := l.Msg(MsgOverviewPanel)
	if set == 0 {
		return head + l.Msg(MsgOverviewPanelUnset)
	}
	if short {
		avg := strings.Replace(fmt.Sprintf("%.1f", float64(sum)/float64(set)), ".", l.Msg(MsgDecimalSeparator), 1)
		return head + l.Msg(MsgOverviewPanelAverage, set, len(elems), avg)
	}
	s := head + strings.Join(parts, ", ")
	if unset > 0 {
		s += l.Msg(MsgOverviewPanelNotSet, unset)
	}
	return s
}
