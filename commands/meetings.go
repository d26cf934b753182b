package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/ical"
)

// Meetings of the network (DESIGN.md "Meetings"): staff invite every
// collective's chats, each person answers for themselves (and may change
// it), and every chat with a "ja" or "misschien" gets one reminder
// ReminderBefore the start (sent by the scheduler).

// cmdRSVP is the command the meeting buttons run: /aanmelden B<n> ja|misschien|nee.
const cmdRSVP = "aanmelden"

// meetingRef is how a meeting is named in every message about it: "B2".
func meetingRef(n int64) string { return "B" + strconv.FormatInt(n, 10) }

// ParseMeetingRef reads a meeting number as users write it: "B2", "b2" or "2".
func ParseMeetingRef(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == 'B' || s[0] == 'b') {
		s = s[1:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// meetingLayouts are the ways /bijeenkomst accepts its time, the first
// being the one DESIGN.md documents.
var meetingLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15.04"}

// parseMeetingTime reads "JJJJ-MM-DD UU:MM" in the programme time zone. A
// time that does not exist there (the hour skipped when summer time
// starts) is refused rather than moved.
func (h *Handler) parseMeetingTime(l Lang, typed string) (time.Time, error) {
	v := strings.Join(strings.Fields(typed), " ")
	for _, layout := range meetingLayouts {
		t, err := time.ParseInLocation(layout, v, h.loc())
		if err != nil {
			continue
		}
		if t.Format(layout) != v {
			return time.Time{}, Errorf(EINVALID, "%s", l.Msg(MsgMeetingDoesNotExistIn, v, h.loc()))
		}
		if !t.After(h.now()) {
			return time.Time{}, Errorf(EINVALID, "%s", l.Msg(MsgMeetingIsInPastMeeting, v))
		}
		return t, nil
	}
	return time.Time{}, Errorf(EINVALID, "%s", l.Msg(MsgMeetingIsNotTimeWrite, clip(typed, 40)))
}

// rsvpButtons are the answers under a meeting invitation.
func rsvpButtons(l Lang, n int64) []Button {
	ref := meetingRef(n)
	return []Button{
		button(l.Msg(MsgMeetingIMComing), cmdRSVP, optMeetingRef.Arg(ref), optRSVP.Arg(RSVPYes)),
		button(l.Msg(MsgMeetingMaybe), cmdRSVP, optMeetingRef.Arg(ref), optRSVP.Arg(RSVPMaybe)),
		button(l.Msg(MsgMeetingCanTCome), cmdRSVP, optMeetingRef.Arg(ref), optRSVP.Arg(RSVPNo)),
	}
}

// meetingHead is the meeting in one or two lines: number, title, when, where.
func (h *Handler) meetingHead(l Lang, m *Meeting) string {
	s := fmt.Sprintf("%s %s\n%s", meetingRef(m.Number), m.Title, h.formatWeekdayTime(l, m.StartsAt))
	if m.Place != "" {
		s += " · " + m.Place
	}
	return s
}

// createMeeting stores a meeting and invites every collective's chats.
func (h *Handler) createMeeting(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	at, err := h.parseMeetingTime(l, c.args.Text(optMeetingWhen))
	if err != nil {
		return Reply{}, err
	}
	m := &Meeting{Title: c.args.Text(optMeetingTitle), Place: c.args.Text(optMeetingPlace), StartsAt: at}
	if err := h.Store.CreateMeeting(ctx, c.EventID, m, c.User); err != nil {
		return Reply{}, err
	}
	sums, err := h.Store.Collectives(ctx)
	if err != nil {
		h.logger().Error("collectives lookup failed", "kind", "bijeenkomst", "err", err)
	}
	var outbox []Message
	collectives := 0
	for _, s := range sums {
		var active []Chat
		for _, ch := range s.Chats {
			if ch.Active {
				active = append(active, ch)
			}
		}
		if len(active) > 0 {
			collectives++
		}
		outbox = append(outbox, h.toChats(active, "bijeenkomst", func(tl Lang) (string, []Button) {
			return "📅 " + tl.Msg(MsgMeetingInvitation) + h.meetingHead(tl, m) +
				tl.Msg(MsgMeetingAreYouComingEveryone), rsvpButtons(tl, m.Number)
		})...)
	}
	ev := meetingEvent(m)
	for i := range outbox {
		outbox[i].Event = ev
	}
	return Reply{
		Text:    "📅 " + h.meetingHead(l, m) + "\n" + l.Msg(MsgMeetingInvitationSentToChats, len(outbox), collectives),
		Outbox:  outbox,
		Buttons: rsvpButtons(l, m.Number),
	}, nil
}

// answerText is an answer as people read it.
func answerText(l Lang, answer string) string {
	switch answer {
	case RSVPYes:
		return l.Msg(MsgMeetingIsComing)
	case RSVPMaybe:
		return l.Msg(MsgMeetingMightCome)
	}
	return l.Msg(MsgMeetingCanTCome2)
}

// rsvp records (or changes) the person's answer to a meeting.
func (h *Handler) rsvp(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	raw := c.args.Text(optMeetingRef)
	number, ok := ParseMeetingRef(raw)
	if !ok {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgMeetingIsNotMeetingWrite, clip(raw, 20)))
	}
	m, err := h.Store.Meeting(ctx, number)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgMeetingMeetingDoesNotExist, meetingRef(number)))
	} else if err != nil {
		return Reply{}, err
	}
	if !m.StartsAt.After(h.now()) {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgMeetingHasStartedOrIs, meetingRef(number), m.Title))
	}
	answer := c.args.Text(optRSVP)
	if m, err = h.Store.SetRSVP(ctx, c.EventID, number, c.Chat, answer, c.User); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.Msg(MsgMeetingNotedToYouCan, nameOr(l, c.User.Name), answerText(l, answer), meetingRef(m.Number), m.Title)}, nil
}

// names lists the names of the answers with the given answer.
func rsvpNames(l Lang, rs []RSVP, answer string) []string {
	var names []string
	for _, r := range rs {
		if r.Answer == answer {
			names = append(names, nameOr(l, r.Name))
		}
	}
	return names
}

// rsvpSummary is "ja: Anna, Piet · misschien: Mo", leaving out empty parts.
func rsvpSummary(l Lang, rs []RSVP) string {
	var parts []string
	for _, a := range []struct {
		answer string
		label  MsgID
	}{{RSVPYes, MsgMeetingRSVPYes}, {RSVPMaybe, MsgMeetingRSVPMaybe}, {RSVPNo, MsgMeetingRSVPNo}} {
		if names := rsvpNames(l, rs, a.answer); len(names) > 0 {
			parts = append(parts, l.Msg(a.label)+": "+strings.Join(names, ", "))
		}
	}
	return strings.Join(parts, " · ")
}

// meetings lists the upcoming meetings with their answers (in a collective's
// chat those of this chat, in the staff chat per collective) and attaches
// them as an iCalendar file.
func (h *Handler) meetings(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Meetings(ctx, h.now())
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.Msg(MsgMeetingNoMeetingsArePlanned)}, nil
	}
	staff := c.chat.Kind == ChatStaff
	var b strings.Builder
	b.WriteString(l.Msg(MsgMeetingUpcomingMeetings))
	for i := range list {
		m := &list[i]
		b.WriteString("\n\n📅 " + h.meetingHead(l, m))
		if staff {
			b.WriteString(h.staffRSVPs(l, m))
			continue
		}
		var here []RSVP
		for _, r := range m.RSVPs {
			if r.Chat == c.Chat {
				here = append(here, r)
			}
		}
		if len(here) == 0 {
			b.WriteString(l.Msg(MsgMeetingNobodyInThisChat))
		} else {
			b.WriteString(l.Msg(MsgMeetingFromThisChat) + rsvpSummary(l, here))
		}
	}
	b.WriteString(l.Msg(MsgMeetingTheyAreAttachedAs))
	reply := Reply{Text: b.String(), Files: []File{h.meetingsCalendar(list)}}
	if len(list) > 0 && !staff {
		reply.Buttons = rsvpButtons(l, list[0].Number)
	}
	return reply, nil
}

// staffRSVPs is a meeting's answers for the staff: counts, then per
// collective the names.
func (h *Handler) staffRSVPs(l Lang, m *Meeting) string {
	yes, maybe, no := len(rsvpNames(l, m.RSVPs, RSVPYes)), len(rsvpNames(l, m.RSVPs, RSVPMaybe)), len(rsvpNames(l, m.RSVPs, RSVPNo))
	s := l.Msg(MsgMeetingYesMaybeCanT, yes, maybe, no)
	var order []string
	byColl := map[string][]RSVP{}
	for _, r := range m.RSVPs {
		name := r.CollectiveName
		if name == "" {
			name = l.Msg(MsgMeetingProgrammeTeam)
		}
		if _, ok := byColl[name]; !ok {
			order = append(order, name)
		}
		byColl[name] = append(byColl[name], r)
	}
	for _, name := range order {
		rs := byColl[name]
		s += fmt.Sprintf("\n   %s (%d ja, %d misschien): %s", name, len(rsvpNames(l, rs, RSVPYes)), len(rsvpNames(l, rs, RSVPMaybe)), rsvpSummary(l, rs))
	}
	return s
}

// MeetingReminderMessage reminds one chat of a meeting, naming who of that
// chat said yes or maybe. The scheduler sends it once per chat.
func (h *Handler) MeetingReminderMessage(m *Meeting, chat Chat) Message {
	l := h.chatLang(&chat)
	var here []RSVP
	for _, r := range m.RSVPs {
		if r.Chat == chat.Ref && r.Answer != RSVPNo {
			here = append(here, r)
		}
	}
	text := "⏰ " + l.Msg(MsgMeetingReminder) + h.meetingHead(l, m)
	if len(here) > 0 {
		text += l.Msg(MsgMeetingFromThisChat) + rsvpSummary(l, here)
	}
	text += l.Msg(MsgMeetingCanTMakeIt)
	return Message{Chat: chat.Ref, Text: text, Kind: SendMeetingReminder, Buttons: rsvpButtons(l, m.Number)}
}

// Options of the meeting commands.
var (
	optMeetingWhen  = TextOpt{Option{Name: "wanneer", NameEN: "when", Desc: MsgDescOptMeetingWhen, Type: OptText, Required: true, MaxLen: 40}}
	optMeetingTitle = TextOpt{Option{Name: "titel", NameEN: "title", Desc: MsgDescOptMeetingTitle, Type: OptText, Required: true, MaxLen: 200}}
	optMeetingPlace = TextOpt{Option{Name: "plaats", NameEN: "place", Desc: MsgDescOptMeetingPlace, Type: OptText, MaxLen: 200}}
	optMeetingRef   = TextOpt{Option{Name: "bijeenkomst", NameEN: "meeting", Desc: MsgDescOptMeetingRef, Type: OptText, Required: true, MaxLen: 20}}
	optRSVP         = TextOpt{Option{Name: "antwoord", NameEN: "answer", Desc: MsgDescOptRSVP, Type: OptChoice, Required: true, Choices: []string{RSVPYes, RSVPMaybe, RSVPNo}}}
)

// meetingsCalendar is the meetings as an iCalendar file. A meeting's UID
// is stable (number and creation time), so importing the file again
// updates the calendar instead of doubling it.
func (h *Handler) meetingsCalendar(list []Meeting) File {
	events := make([]ical.Event, len(list))
	for i, m := range list {
		events[i] = ical.Event{
			UID:      fmt.Sprintf("bijeenkomst-%d-%d@wijkbot", m.Number, m.CreatedAt.Unix()),
			Start:    m.StartsAt,
			Summary:  meetingRef(m.Number) + " " + m.Title,
			Location: m.Place,
		}
	}
	return File{Name: "bijeenkomsten.ics", ContentType: ical.ContentType, Data: ical.Write(events, h.now(), h.loc().String())}
}

// meetingLength is how long a meeting lasts where a platform needs an end
// (a Discord event in a place): the invitation names only the start.
const meetingLength = 2 * time.Hour

// meetingEvent is the meeting as a platform's native calendar event.
func meetingEvent(m *Meeting) *CalendarEvent {
	return &CalendarEvent{Key: meetingRef(m.Number), Title: meetingRef(m.Number) + " " + m.Title, Place: m.Place,
		Start: m.StartsAt, Duration: meetingLength}
}
