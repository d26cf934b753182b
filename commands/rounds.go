package commands

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DefaultCheckinSchedule is the check-in schedule when neither the collective
// nor WIJKBOT_CHECKIN_SCHEDULE sets one: Monday 10:00.
const DefaultCheckinSchedule = "0 10 * * MON"

// maxContextEntries bounds how many progress entries a check-in looks back on.
const maxContextEntries = 200

// CheckinSchedule is the schedule that applies to the collective.
func (h *Handler) CheckinSchedule(c *Collective) string {
	if c.Schedule != "" {
		return c.Schedule
	}
	return h.defaultSchedule()
}

// defaultSchedule is the schedule of collectives without their own.
func (h *Handler) defaultSchedule() string {
	if h.DefaultSchedule != "" {
		return h.DefaultSchedule
	}
	return DefaultCheckinSchedule
}

// CheckinContext is what a check-in recalls since the previous round, so
// answering takes a glance instead of a search through the chat.
type CheckinContext struct {
	Collective  Collective
	ScheduledAt time.Time
	Since       time.Time      // the previous round, or a week before this one
	First       bool           // no earlier round: Since is a week before
	Entries     []Entry        // progress since then, oldest first
	Changes     []SliderChange // slider moves since then, oldest first
	Open        []HelpRequest  // the collective's unresolved help requests, oldest first
}

// LoadCheckinContext gathers the context of a check-in scheduled at
// scheduledAt; since is the previous round (zero: a week before).
func (h *Handler) LoadCheckinContext(ctx context.Context, c *Collective, scheduledAt, since time.Time) (*CheckinContext, error) {
	first := since.IsZero() || !since.Before(scheduledAt)
	if first {
		since = scheduledAt.AddDate(0, 0, -7)
	}
	cc := &CheckinContext{Collective: *c, ScheduledAt: scheduledAt, Since: since, First: first}
	entries, err := h.Store.Entries(ctx, c.ID, maxContextEntries)
	if err != nil {
		return nil, err
	}
	cc.Entries = entriesSince(entries, since)
	if cc.Changes, err = h.Store.SliderChanges(ctx, c.ID, 0, since); err != nil {
		return nil, err
	}
	open, err := h.Store.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	cc.Open = requestsOf(open, c.ID)
	return cc, nil
}

// entriesSince keeps the entries (given newest first) created at or after
// since, oldest first.
func entriesSince(newestFirst []Entry, since time.Time) []Entry {
	var list []Entry
	for i := len(newestFirst) - 1; i >= 0; i-- {
		if !newestFirst[i].CreatedAt.Before(since) {
			list = append(list, newestFirst[i])
		}
	}
	return list
}

// CheckinMessage is the check-in for one of the collective's chats, in that
// chat's language. It contains the word "check-in" (DESIGN.md). byReply says
// that the chat's platform tells which message a command replied to
// (Request.ReplyToMessageID), so replying to the check-in answers this very
// round; the message then offers that way of answering.
func (h *Handler) CheckinMessage(cc *CheckinContext, chat Chat, byReply bool) Message {
	l := h.chatLang(&chat)
	var b strings.Builder
	fmt.Fprintf(&b, "📋 %s — %s\n", l.Msg(MsgCheckinTitle, h.formatWeekdayTime(l, cc.ScheduledAt)), cc.Collective.Name)

	milestones := 0
	for _, e := range cc.Entries {
		if e.Milestone {
			milestones++
		}
	}
	if cc.First {
		b.WriteString(l.Msg(MsgCheckinPastWeek))
	} else {
		b.WriteString(l.Msg(MsgCheckinSinceLast))
	}
	b.WriteString(l.Count(MsgCheckinEntriesN, len(cc.Entries)))
	if milestones > 0 {
		b.WriteString(l.Count(MsgCheckinMilestonesN, milestones))
	}
	b.WriteString(", ")
	b.WriteString(l.Count(MsgCheckinMovesN, len(cc.Changes)))
	if len(cc.Changes) > 0 {
		b.WriteString(" (" + sliderMoves(l, cc.Changes, 5) + ")")
	}
	b.WriteString(".\n")
	if len(cc.Open) > 0 {
		var refs []string
		for _, r := range cc.Open {
			refs = append(refs, ref(r.Number)+" "+r.Expertise)
		}
		b.WriteString(l.Msg(MsgOverviewRequests) + strings.Join(refs, ", ") + ".\n")
	}
	b.WriteString("\n")
	b.WriteString(l.Msg(MsgCheckinQuestions))
	b.WriteString("\n")
	if byReply {
		b.WriteString(l.Msg(MsgCheckinHowReply))
	} else {
		b.WriteString(l.Msg(MsgCheckinHow))
	}
	return Message{Chat: chat.Ref, Text: b.String(), Kind: KindCheckin}
}

// sliderMoves lists up to max slider moves as "eigenaarschap 4→6", one per
// element (its first old and last new value).
func sliderMoves(l Lang, changes []SliderChange, max int) string {
	type move struct {
		name      string
		from, to  int
		hadBefore bool
	}
	var order []string
	moves := map[string]*move{}
	for _, c := range changes {
		m, ok := moves[c.ElementName]
		if !ok {
			m = &move{name: c.ElementName, from: c.Previous, hadBefore: c.HadPrevious}
			moves[c.ElementName] = m
			order = append(order, c.ElementName)
		}
		m.to = c.Value
	}
	var parts []string
	for i, name := range order {
		if i == max {
			parts = append(parts, l.Msg(MsgCheckinAndMore, len(order)-max))
			break
		}
		m := moves[name]
		if m.hadBefore {
			parts = append(parts, fmt.Sprintf("%s %d→%d", m.name, m.from, m.to))
		} else {
			parts = append(parts, fmt.Sprintf("%s →%d", m.name, m.to))
		}
	}
	return strings.Join(parts, ", ")
}

// NudgeMessage is the one friendly reminder of an unanswered check-in. It
// tags nobody: the reminder is for the group, not a person.
func (h *Handler) NudgeMessage(c *Collective, r *Round, chat Chat) Message {
	l := h.chatLang(&chat)
	text := l.Msg(MsgNudge, h.formatWeekdayTime(l, r.ScheduledAt), c.Name)
	return Message{Chat: chat.Ref, Text: text, Kind: SendNudge}
}

// roundFinder is implemented by stores that remember which message carried
// which check-in (storage.DB does).
type roundFinder interface {
	RoundByMessage(ctx context.Context, chat ChatRef, messageID string) (*Round, error)
}

// roundFor is the round a /checkin answers: the check-in it replies to
// (where the platform passes on replies), else the collective's latest
// posted round. Returns ENOTFOUND, with a Dutch message, when no check-in was
// posted yet.
func (h *Handler) roundFor(ctx context.Context, c *call) (*Round, error) {
	if c.ReplyToMessageID != "" {
		if f, ok := h.Store.(roundFinder); ok {
			r, err := f.RoundByMessage(ctx, c.Chat, c.ReplyToMessageID)
			if err == nil && r.CollectiveID == c.chat.CollectiveID {
				return r, nil
			}
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return nil, err
			}
		}
	}
	r, err := h.Store.LatestRound(ctx, c.chat.CollectiveID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "%s", c.lang.Msg(MsgCheckinNoRound))
	}
	return r, err
}
