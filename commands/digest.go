package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
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
	// Lines are the collectives the digest shows, those that need
	// attention first: every collective in a programme of up to
	// digestShown, else the first digestShown.
	Lines []DigestLine
	// More counts the collectives left out of Lines; States counts every
	// collective per state, Lines and More together.
	More    int
	States  map[string]int
	Open    int      // unresolved help requests of all collectives
	Lessons []Lesson // recorded in the period, newest first
}

// digestShown bounds the collectives whose details the digest reads:
// more than fit in replyMaxChars, which bounds what it shows. At 10,000
// collectives the digest read every one's week (11.9 s) and wrote 780,000
// characters nobody could read; now it counts every collective's state and
// names those that need attention first.
const digestShown = 100

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
	tallies, err := h.Store.PostedRounds(ctx, since, until)
	if err != nil {
		return nil, err
	}
	rounds := make(map[int64]RoundTally, len(tallies))
	for _, t := range tallies {
		rounds[t.CollectiveID] = t
	}
	d := &Digest{Since: since, Until: until, States: map[string]int{}, Open: len(open)}
	lines := make([]DigestLine, 0, len(sums))
	for _, s := range sums {
		line := DigestLine{Collective: s.Collective}
		t, posted := rounds[s.ID]
		if posted {
			line.Round = &t.Round
		}
		switch {
		case posted && t.Answers > 0:
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
		d.States[line.State]++
		lines = append(lines, line)
	}
	sort.SliceStable(lines, func(i, j int) bool {
		return digestRank[lines[i].State] < digestRank[lines[j].State]
	})
	d.Lines, d.More = firstN(lines, digestShown), max(0, len(lines)-digestShown)
	for i := range d.Lines {
		line := &d.Lines[i]
		if line.State == DigestAnswered {
			if line.Answers, err = h.Store.CheckinAnswers(ctx, line.Round.ID); err != nil {
				return nil, err
			}
		}
		entries, err := h.Store.Entries(ctx, line.Collective.ID, maxContextEntries)
		if err != nil {
			return nil, err
		}
		for _, e := range entriesSince(entries, since) {
			if e.CreatedAt.Before(until) {
				line.Entries = append(line.Entries, e)
			}
		}
		changes, err := h.Store.SliderChanges(ctx, line.Collective.ID, 0, since)
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			if c.At.Before(until) {
				line.Changes = append(line.Changes, c)
			}
		}
		line.Open = requestsOf(open, line.Collective.ID)
	}
	if d.Lessons, err = h.newLessons(ctx, since, until); err != nil {
		return nil, err
	}
	return d, nil
}

// DigestMessage renders the digest for one staff chat, within
// replyMaxChars (two Telegram messages): the collectives in the order of
// Lines while they fit, and when some are left out, first a line counting
// every collective's state and last how many were left out and where to
// see them.
func (h *Handler) DigestMessage(d *Digest, chat Chat) Message {
	l := h.chatLang(&chat)
	head := fmt.Sprintf("%s %s – %s\n", l.Msg(MsgDigestTitle), h.formatDate(l, d.Since), h.formatDate(l, d.Until))
	if len(d.Lines) == 0 {
		return Message{Chat: chat.Ref, Text: head + l.Msg(MsgDigestNoCollectives), Kind: SendDigest}
	}
	lessons := h.digestLessons(l, d.Lessons)
	summary := h.digestSummary(l, d)
	room := replyMaxChars - utf8.RuneCountInString(head+summary+lessons) - 200 // the "… en nog" line
	var body strings.Builder
	n, shown := 0, 0
	for _, line := range d.Lines {
		s := h.digestLine(l, d, line)
		k := utf8.RuneCountInString(s)
		if shown > 0 && n+k > room {
			break
		}
		body.WriteString(s)
		n += k
		shown++
	}
	more := len(d.Lines) - shown + d.More
	text := head
	if more > 0 {
		text += summary
	}
	text += body.String()
	if more > 0 {
		// Without web pages /dashboard only says they are off.
		if h.WebURL != "" {
			text += l.Count(MsgDigestMoreN, more)
		} else {
			text += l.Count(MsgDigestMoreNoWebN, more)
		}
	}
	text += lessons
	return Message{Chat: chat.Ref, Text: strings.TrimRight(text, "\n"), Kind: SendDigest}
}

// digestSummary counts every collective per state and the open requests.
func (h *Handler) digestSummary(l Lang, d *Digest) string {
	return l.Msg(MsgDigestSummary, l.Count(MsgCollectivesN, len(d.Lines)+d.More),
		d.States[DigestAnswered], d.States[DigestNoAnswer], d.States[DigestNoRound], d.States[DigestNoChat], d.States[DigestPaused],
		l.Count(MsgOpenRequestsN, d.Open))
}

// digestLine is one collective's part of the digest.
func (h *Handler) digestLine(l Lang, d *Digest, line DigestLine) string {
	var b strings.Builder
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
	return b.String()
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
