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
			return time.Time{}, Errorf(EINVALID, "%s", l.T(
				fmt.Sprintf("%s bestaat niet in de tijdzone %s (de klok springt dan vooruit). Kies een ander tijdstip.", v, h.loc()),
				fmt.Sprintf("%s does not exist in the time zone %s (the clocks go forward then). Choose another time.", v, h.loc())))
		}
		if !t.After(h.now()) {
			return time.Time{}, Errorf(EINVALID, "%s", l.T(
				fmt.Sprintf("%s ligt in het verleden. Een bijeenkomst moet in de toekomst liggen.", v),
				fmt.Sprintf("%s is in the past. A meeting must be in the future.", v)))
		}
		return t, nil
	}
	return time.Time{}, Errorf(EINVALID, "%s", l.T(
		fmt.Sprintf("%q is geen tijdstip. Schrijf het als \"JJJJ-MM-DD UU:MM\" (tussen aanhalingstekens), bijvoorbeeld /bijeenkomst \"2026-12-10 19:30\" Netwerkavond.", clip(typed, 40)),
		fmt.Sprintf("%q is not a time. Write it as \"YYYY-MM-DD HH:MM\" (in quotes), for example /meeting \"2026-12-10 19:30\" Network evening.", clip(typed, 40))))
}

// rsvpButtons are the answers under a meeting invitation.
func rsvpButtons(l Lang, n int64) []Button {
	ref := meetingRef(n)
	return []Button{
		button(l.T("Ik kom", "I'm coming"), cmdRSVP, optMeetingRef.Arg(ref), optRSVP.Arg(RSVPYes)),
		button(l.T("Misschien", "Maybe"), cmdRSVP, optMeetingRef.Arg(ref), optRSVP.Arg(RSVPMaybe)),
		button(l.T("Kan niet", "Can't come"), cmdRSVP, optMeetingRef.Arg(ref), optRSVP.Arg(RSVPNo)),
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
			return "📅 " + tl.T("Uitnodiging: ", "Invitation: ") + h.meetingHead(tl, m) +
				tl.T("\nKom je? Ieder antwoordt voor zichzelf en kan het later nog veranderen. Alle bijeenkomsten en een agendabestand: /bijeenkomsten.",
					"\nAre you coming? Everyone answers for themselves and can change it later. All meetings and a calendar file: /meetings."), rsvpButtons(tl, m.Number)
		})...)
	}
	ev := meetingEvent(m)
	for i := range outbox {
		outbox[i].Event = ev
	}
	return Reply{
		Text: "📅 " + h.meetingHead(l, m) + "\n" + l.T(
			fmt.Sprintf("Uitnodiging verstuurd naar %d chats van %d collectieven. Een dag van tevoren krijgt elke chat met een ja of misschien een herinnering. Antwoorden zie je met /bijeenkomsten.", len(outbox), collectives),
			fmt.Sprintf("Invitation sent to %d chats of %d collectives. A day before, every chat with a yes or maybe gets a reminder. See the answers with /meetings.", len(outbox), collectives)),
		Outbox:  outbox,
		Buttons: rsvpButtons(l, m.Number),
	}, nil
}

// answerText is an answer as people read it.
func answerText(l Lang, answer string) string {
	switch answer {
	case RSVPYes:
		return l.T("komt", "is coming")
	case RSVPMaybe:
		return l.T("komt misschien", "might come")
	}
	return l.T("kan niet", "can't come")
}

// rsvp records (or changes) the person's answer to a meeting.
func (h *Handler) rsvp(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	raw := c.args.Text(optMeetingRef)
	number, ok := ParseMeetingRef(raw)
	if !ok {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%q is geen bijeenkomst. Schrijf het nummer zoals /bijeenkomsten het toont, bijvoorbeeld B1.", clip(raw, 20)),
			fmt.Sprintf("%q is not a meeting. Write its number as /meetings shows it, for example B1.", clip(raw, 20))))
	}
	m, err := h.Store.Meeting(ctx, number)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.T(
			fmt.Sprintf("Bijeenkomst %s bestaat niet. De geplande zie je met /bijeenkomsten.", meetingRef(number)),
			fmt.Sprintf("Meeting %s does not exist. See the planned ones with /meetings.", meetingRef(number))))
	} else if err != nil {
		return Reply{}, err
	}
	if !m.StartsAt.After(h.now()) {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%s (%s) is al begonnen of geweest; aanmelden kan niet meer.", meetingRef(number), m.Title),
			fmt.Sprintf("%s (%s) has started or is over; you can no longer answer.", meetingRef(number), m.Title)))
	}
	answer := c.args.Text(optRSVP)
	if m, err = h.Store.SetRSVP(ctx, c.EventID, number, c.Chat, answer, c.User); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.T(
		fmt.Sprintf("✅ Genoteerd: %s %s naar %s (%s). Veranderen kan met dezelfde knoppen.", nameOr(l, c.User.Name), answerText(l, answer), meetingRef(m.Number), m.Title),
		fmt.Sprintf("✅ Noted: %s %s to %s (%s). You can change it with the same buttons.", nameOr(l, c.User.Name), answerText(l, answer), meetingRef(m.Number), m.Title))}, nil
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
	for _, a := range []struct{ answer, nl, en string }{{RSVPYes, "ja", "yes"}, {RSVPMaybe, "misschien", "maybe"}, {RSVPNo, "kan niet", "can't"}} {
		if names := rsvpNames(l, rs, a.answer); len(names) > 0 {
			parts = append(parts, l.T(a.nl, a.en)+": "+strings.Join(names, ", "))
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
		return Reply{Text: l.T("Er staan geen bijeenkomsten gepland.", "No meetings are planned.")}, nil
	}
	staff := c.chat.Kind == ChatStaff
	var b strings.Builder
	b.WriteString(l.T("Komende bijeenkomsten:", "Upcoming meetings:"))
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
			b.WriteString(l.T("\nUit deze chat heeft nog niemand geantwoord.", "\nNobody in this chat has answered yet."))
		} else {
			b.WriteString(l.T("\nUit deze chat: ", "\nFrom this chat: ") + rsvpSummary(l, here))
		}
	}
	b.WriteString(l.T("\n\nIn de bijlage staan ze als agendabestand (.ics).", "\n\nThey are attached as a calendar file (.ics)."))
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
	s := l.T(fmt.Sprintf("\n%d ja, %d misschien, %d kan niet", yes, maybe, no), fmt.Sprintf("\n%d yes, %d maybe, %d can't", yes, maybe, no))
	var order []string
	byColl := map[string][]RSVP{}
	for _, r := range m.RSVPs {
		name := r.CollectiveName
		if name == "" {
			name = l.T("programmateam", "programme team")
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
	text := "⏰ " + l.T("Herinnering: ", "Reminder: ") + h.meetingHead(l, m)
	if len(here) > 0 {
		text += l.T("\nUit deze chat: ", "\nFrom this chat: ") + rsvpSummary(l, here)
	}
	text += l.T("\nKan het toch niet? Zeg het met de knoppen.", "\nCan't make it after all? Say so with the buttons.")
	return Message{Chat: chat.Ref, Text: text, Kind: SendMeetingReminder, Buttons: rsvpButtons(l, m.Number)}
}

// Options of the meeting commands.
var (
	optMeetingWhen  = TextOpt{Option{Name: "wanneer", NameEN: "when", Desc: "JJJJ-MM-DD UU:MM (programmatijdzone)", DescEN: "YYYY-MM-DD HH:MM (programme time zone)", Type: OptText, Required: true, MaxLen: 40}}
	optMeetingTitle = TextOpt{Option{Name: "titel", NameEN: "title", Desc: "Waar gaat de bijeenkomst over?", DescEN: "What is the meeting about?", Type: OptText, Required: true, MaxLen: 200}}
	optMeetingPlace = TextOpt{Option{Name: "plaats", NameEN: "place", Desc: "Waar?", DescEN: "Where?", Type: OptText, MaxLen: 200}}
	optMeetingRef   = TextOpt{Option{Name: "bijeenkomst", NameEN: "meeting", Desc: "Nummer, bijvoorbeeld B1", DescEN: "Number, for example B1", Type: OptText, Required: true, MaxLen: 20}}
	optRSVP         = TextOpt{Option{Name: "antwoord", NameEN: "answer", Desc: "ja, misschien of nee", DescEN: "ja, misschien or nee", Type: OptChoice, Required: true, Choices: []string{RSVPYes, RSVPMaybe, RSVPNo}}}
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
