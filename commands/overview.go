package commands

import (
	"context"
	"fmt"
	"strings"
	"time"
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
// panels.
func (h *Handler) overview(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	lines, err := h.loadOverview(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(lines) == 0 {
		return Reply{Text: l.Msg(MsgOverviewNoCollectives)}, nil
	}
	// Shorter forms for bigger programmes, so it stays one message.
	text := h.overviewText(l, lines, false)
	if len([]rune(text)) > overviewMaxText {
		text = h.overviewText(l, lines, true)
	}
	if len([]rune(text)) > overviewMaxText {
		text = h.overviewCompact(l, lines)
	}
	reply := Reply{Text: text + h.networkLine(ctx, l)}
	if or, ok := h.Charts.(OverviewRenderer); ok {
		panels := make([]CollectivePanel, len(lines))
		for i, line := range lines {
			panels[i] = CollectivePanel{Name: line.sum.Name, Elements: line.panel}
		}
		img, err := or.Overview(panels)
		if err != nil {
			// The text has the values too; a missing chart is no failure.
			h.logger().Warn("overview chart failed", "err", err)
		} else {
			reply.Image = img
		}
	}
	return reply, nil
}

func (h *Handler) loadOverview(ctx context.Context) ([]overviewLine, error) {
	sums, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, err
	}
	open, err := h.Store.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	lines := make([]overviewLine, 0, len(sums))
	for _, s := range sums {
		line := overviewLine{sum: s}
		entries, err := h.Store.Entries(ctx, s.ID, 1)
		if err != nil {
			return nil, err
		}
		if len(entries) > 0 {
			line.last = &entries[0]
		}
		line.round, err = h.Store.LatestRound(ctx, s.ID)
		if ErrorCode(err) == ENOTFOUND {
			line.round = nil
		} else if err != nil {
			return nil, err
		}
		if line.round != nil {
			if line.answers, err = h.Store.CheckinAnswers(ctx, line.round.ID); err != nil {
				return nil, err
			}
		}
		line.open = requestsOf(open, s.ID)
		if line.panel, err = h.Store.Panel(ctx, s.ID); err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// overviewText writes the overview; short summarises each panel in a line.
func (h *Handler) overviewText(l Lang, lines []overviewLine, short bool) string {
	now := h.now()
	var b strings.Builder
	b.WriteString(h.overviewHead(l, lines))
	for _, line := range lines {
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
	}
	return b.String()
}

// overviewCompact writes a line per collective, and cuts the list off
// when even that is too long.
func (h *Handler) overviewCompact(l Lang, lines []overviewLine) string {
	now := h.now()
	var b strings.Builder
	b.WriteString(h.overviewHead(l, lines))
	for i, line := range lines {
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
		if len([]rune(b.String()))+len([]rune(s)) > overviewMaxText-100 {
			n := len(lines) - i
			b.WriteString(l.Count(MsgOverviewMoreN, n))
			break
		}
		b.WriteString(s)
	}
	return b.String()
}

func (h *Handler) overviewHead(l Lang, lines []overviewLine) string {
	now := h.now()
	open := 0
	for _, line := range lines {
		open += len(line.open)
	}
	return l.Msg(MsgOverviewTitle, h.formatDate(l, now), l.Count(MsgCollectivesN, len(lines)), l.Count(MsgOpenRequestsN, open))
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
