package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// DefaultDigestSchedule is when the staff digest goes out: Friday 16:00.
const DefaultDigestSchedule = "0 16 * * FRI"

// Check-in states of a collective in a digest, in the order the digest lists
// them: those that need attention first.
const (
	DigestNoAnswer = "no-answer" // a check-in was posted and nobody answered
	DigestNoRound  = "no-round"  // no check-in was posted in the period
	DigestPaused   = "paused"    // paused now
	DigestAnswered = "answered"  // at least one answer
	DigestNoChat   = "no-chat"   // no chat linked, so nothing can be asked
)

var digestRank = map[string]int{DigestNoAnswer: 0, DigestNoRound: 1, DigestNoChat: 2, DigestPaused: 3, DigestAnswered: 4}

// DigestLine is one collective in the staff digest.
type DigestLine struct {
	Collective Collective
	State      string // one of the Digest* states
	Round      *Round // the latest round posted in the period, nil if none
	Answers    []CheckinAnswer
	Entries    []Entry // progress in the period, oldest first
	Changes    []SliderChange
	Open       []HelpRequest // unresolved, oldest first
}

// Digest is the weekly overview for staff.
type Digest struct {
	Since, Until time.Time
	Lines        []DigestLine // collectives that need attention first
	Lessons      []Lesson     // recorded in the period, newest first
}

// roundLister is implemented by stores that list rounds in a period
// (storage.DB does); without it the digest looks at the latest round only.
type roundLister interface {
	Rounds(ctx context.Context, collectiveID int64, from, to time.Time) ([]Round, error)
}

// LoadDigest gathers the digest of the period [since, until).
func (h *Handler) LoadDigest(ctx context.Context, since, until time.Time) (*Digest, error) {
	sums, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, err
	}
	open, err := h.Store.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	d := &Digest{Since: since, Until: until}
	for _, s := range sums {
		line := DigestLine{Collective: s.Collective}
		if line.Round, err = h.latestRoundIn(ctx, s.ID, since, until); err != nil {
			return nil, err
		}
		if line.Round != nil {
			if line.Answers, err = h.Store.CheckinAnswers(ctx, line.Round.ID); err != nil {
				return nil, err
			}
		}
		entries, err := h.Store.Entries(ctx, s.ID, maxContextEntries)
		if err != nil {
			return nil, err
		}
		for _, e := range entriesSince(entries, since) {
			if e.CreatedAt.Before(until) {
				line.Entries = append(line.Entries, e)
			}
		}
		changes, err := h.Store.SliderChanges(ctx, s.ID, 0, since)
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			if c.At.Before(until) {
				line.Changes = append(line.Changes, c)
			}
		}
		line.Open = requestsOf(open, s.ID)
		switch {
		case len(line.Answers) > 0:
			line.State = DigestAnswered
		case s.PausedUntil.After(until):
			line.State = DigestPaused
		case len(s.Chats) == 0:
			line.State = DigestNoChat
		case line.Round == nil:
			line.State = DigestNoRound
		default:
			line.State = DigestNoAnswer
		}
		d.Lines = append(d.Lines, line)
	}
	sort.SliceStable(d.Lines, func(i, j int) bool {
		return digestRank[d.Lines[i].State] < digestRank[d.Lines[j].State]
	})
	if d.Lessons, err = h.newLessons(ctx, since, until); err != nil {
		return nil, err
	}
	return d, nil
}

// latestRoundIn is the latest posted round scheduled in [since, until), or nil.
func (h *Handler) latestRoundIn(ctx context.Context, collectiveID int64, since, until time.Time) (*Round, error) {
	if rl, ok := h.Store.(roundLister); ok {
		rounds, err := rl.Rounds(ctx, collectiveID, since, until)
		if err != nil {
			return nil, err
		}
		for i := len(rounds) - 1; i >= 0; i-- {
			if rounds[i].Status == RoundPosted {
				return &rounds[i], nil
			}
		}
		return nil, nil
	}
	r, err := h.Store.LatestRound(ctx, collectiveID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if r.ScheduledAt.Before(since) || !r.ScheduledAt.Before(until) {
		return nil, nil
	}
	return r, nil
}

// DigestMessage renders the digest for one staff chat.
func (h *Handler) DigestMessage(d *Digest, chat Chat) Message {
	l := h.chatLang(&chat)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s – %s\n", l.Msg(MsgDigestTitle), h.formatDate(l, d.Since), h.formatDate(l, d.Until))
	if len(d.Lines) == 0 {
		b.WriteString(l.Msg(MsgDigestNoCollectives))
		return Message{Chat: chat.Ref, Text: b.String(), Kind: SendDigest}
	}
	for _, line := range d.Lines {
		b.WriteString("\n")
		b.WriteString(line.Collective.Name + " — " + h.digestState(l, line) + "\n")
		milestones := 0
		var names []string
		for _, e := range line.Entries {
			if e.Milestone {
				milestones++
				names = append(names, "“"+clip(e.Text, 60)+"”")
			}
		}
		fmt.Fprintf(&b, "  %s: %s", l.Msg(MsgDigestProgress),
			l.Count(MsgDigestEntriesN, len(line.Entries)))
		if milestones > 0 {
			fmt.Fprintf(&b, ", %s: %s", l.Count(MsgDigestMilestonesN, milestones),
				strings.Join(names, ", "))
		}
		b.WriteString("\n")
		if len(line.Changes) > 0 {
			fmt.Fprintf(&b, "  %s: %s\n", l.Msg(MsgDigestSliders), sliderMoves(l, line.Changes, 8))
		}
		if len(line.Open) > 0 {
			var parts []string
			for _, r := range firstN(line.Open, openShown) {
				p := fmt.Sprintf("%s %s (%s", ref(r.Number), r.Expertise, age(l, d.Until, r.CreatedAt))
				if r.ClaimedBy != "" {
					p += l.Msg(MsgDigestTakenBy) + nameOr(l, r.ClaimedBy)
				} else {
					p += l.Msg(MsgDigestNotTaken)
				}
				parts = append(parts, p+")")
			}
			fmt.Fprintf(&b, "  %s: %s%s\n", l.Msg(MsgDigestOpenRequests), strings.Join(parts, "; "), moreOpen(l, len(line.Open)))
		}
	}
	b.WriteString(h.digestLessons(l, d.Lessons))
	return Message{Chat: chat.Ref, Text: strings.TrimRight(b.String(), "\n"), Kind: SendDigest}
}

func (h *Handler) digestState(l Lang, line DigestLine) string {
	switch line.State {
	case DigestAnswered:
		var who []string
		seen := map[string]bool{}
		for _, a := range line.Answers {
			n := nameOr(l, a.Author)
			if !seen[n] {
				seen[n] = true
				who = append(who, n)
			}
		}
		return l.Msg(MsgDigestCheckinAnsweredBy) + strings.Join(who, ", ")
	case DigestPaused:
		return l.Msg(MsgDigestPausedUntil) + h.formatDate(l, line.Collective.PausedUntil)
	case DigestNoChat:
		return l.Msg(MsgDigestNoChat)
	case DigestNoRound:
		return l.Msg(MsgDigestNoCheckin)
	}
	return l.Msg(MsgDigestCheckinUnanswered, h.formatWeekdayTime(l, line.Round.ScheduledAt))
}

// AlertMessage raises a help request that waits too long in a staff chat:
// kind SendAlertUnclaimed (nobody took it) or SendAlertUnanswered (taken,
// no answer yet).
func (h *Handler) AlertMessage(r *HelpRequest, kind string, now time.Time, chat Chat) Message {
	l := h.chatLang(&chat)
	m := Message{Chat: chat.Ref, Kind: kind}
	offered := ""
	if len(r.OfferedTo) > 0 {
		offered = l.Msg(MsgDigestOfferedToExperts) + strings.Join(r.OfferedTo, ", ")
	}
	if kind == SendAlertUnanswered {
		m.Text = l.Msg(MsgAlertUnanswered,
			ref(r.Number), r.CollectiveName, r.Expertise, ago(l, now, r.ClaimedAt), nameOr(l, r.ClaimedBy), r.Number) + offered
		return m
	}
	m.Text = l.Msg(MsgAlertUnclaimed, ref(r.Number), r.CollectiveName, r.Expertise, age(l, now, r.CreatedAt), quoteLines(clip(r.Question, 300), "> ")) + offered
	m.Buttons = []Button{button(l.Msg(MsgAlertTakeIt), CmdClaim, optRequestNr.Arg(r.Number)), answerButton(l, r.Number)}
	return m
}
