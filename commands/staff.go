package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// codeAttempts bounds the retries when a fresh link code happens to be taken
// (1 in 32^8 per existing collective; more than a few means something else).
const codeAttempts = 5

// staffChat makes this chat the (or a) staff chat.
func (h *Handler) staffChat(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	if c.chat.Kind == ChatStaff {
		return Reply{Text: l.Msg(MsgStaffAlready), CommandsChanged: true}, nil
	}
	err := h.Store.AddStaffChat(ctx, c.EventID, c.Chat, c.ChatTitle, c.User)
	if ErrorCode(err) == ECONFLICT {
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgStaffLinkedChat))
	} else if err != nil {
		return Reply{}, err
	}
	h.logger().Info("staff chat added", "chat", c.Chat.String())
	return Reply{Text: l.Msg(MsgStaffSet), CommandsChanged: true}, nil
}

// checkCollectiveName refuses names that could not be typed back: they must
// have letters, and quotes would break "/schema "Naam" @weekly".
func checkCollectiveName(l Lang, name string) error {
	if !strings.ContainsFunc(name, unicode.IsLetter) {
		return Errorf(EINVALID, "%s", l.Msg(MsgCollectiveNameLetters))
	}
	if strings.ContainsFunc(name, isQuote) {
		return Errorf(EINVALID, "%s", l.Msg(MsgCollectiveNameQuotes))
	}
	return nil
}

// createCollective creates a collective with a fresh link code, or shows the
// code of the one that already has that name.
func (h *Handler) createCollective(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	name := strings.Join(strings.Fields(c.args.Text(optCollective)), " ")
	if err := checkCollectiveName(l, name); err != nil {
		return Reply{}, err
	}
	exists := func(coll *Collective) Reply {
		return Reply{Text: l.Msg(MsgCollectiveExists, coll.Name, coll.Code, coll.Code),
			Buttons: []Button{button(l.Msg(MsgButtonNewCode), CmdNewCode, optCollective.Arg(coll.Name))}}
	}
	if coll, err := h.Store.CollectiveByName(ctx, name); err == nil {
		return exists(coll), nil
	} else if ErrorCode(err) != ENOTFOUND {
		return Reply{}, err
	}
	coll := &Collective{Name: name}
	var err error
	for range codeAttempts {
		if coll.Code, err = NewCode(); err != nil {
			return Reply{}, err
		}
		err = h.Store.CreateCollective(ctx, c.EventID, coll, c.User)
		if ErrorCode(err) != ECONFLICT {
			break
		}
		// The name was taken in the meantime, or (rarely) the code: a
		// name conflict is answered with the existing code, a code
		// conflict with another try.
		if other, ferr := h.Store.CollectiveByName(ctx, name); ferr == nil {
			return exists(other), nil
		}
	}
	if err != nil {
		return Reply{}, err
	}
	h.logger().Info("collective created", "collective", coll.ID)
	return Reply{Text: l.Msg(MsgCollectiveCreated, coll.Name, coll.Code, coll.Code)}, nil
}

// renewCode gives a collective a fresh link code (staff rotate a code that
// leaked); the old code stops working, chats already linked stay linked.
func (h *Handler) renewCode(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	coll, err := h.findCollective(ctx, l, strings.Join(strings.Fields(c.args.Text(optCollective)), " "))
	if err != nil {
		return Reply{}, err
	}
	var code string
	for range codeAttempts {
		if code, err = NewCode(); err != nil {
			return Reply{}, err
		}
		err = h.Store.RenewCode(ctx, c.EventID, coll.ID, code, c.User)
		if ErrorCode(err) != ECONFLICT {
			break
		}
	}
	if err != nil {
		return Reply{}, err
	}
	h.logger().Info("link code renewed", "collective", coll.ID)
	reply := Reply{Text: l.Msg(MsgNewLinkCode, coll.Name, code)}
	// A code is renewed because it leaked: whoever linked a chat with the
	// old one is still linked, so the staff are asked about each link.
	chats, err := h.Store.CollectiveChats(ctx, coll.ID)
	if err != nil {
		return Reply{}, err
	}
	if len(chats) == 0 {
		return reply, nil
	}
	names := make([]string, len(chats))
	for i, ch := range chats {
		names[i] = chatName(ch)
	}
	reply.Text += l.Msg(MsgNewCodeLinkedChats, coll.Name, strings.Join(names, "; "))
	for _, ch := range firstN(chats, maxUnlinkButtons) {
		reply.Buttons = append(reply.Buttons, unlinkButton(l, ch))
	}
	return reply, nil
}

// collectives lists every collective with its chats, code and last activity.
func (h *Handler) collectives(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Collectives(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.Msg(MsgCollectivesNone)}, nil
	}
	now := h.now()
	var b strings.Builder
	b.WriteString(l.Msg(MsgCollectivesTitle, len(list)))
	lst := newBounded(&b, l.Msg(MsgCollectivesUnlinkHint))
	for _, s := range list {
		var b strings.Builder // this collective's lines
		activity := l.Msg(MsgCollectivesNoActivity)
		if !s.LastActivity.IsZero() {
			activity = l.Msg(MsgCollectivesLastActive) + ago(l, now, s.LastActivity)
		}
		fmt.Fprintf(&b, "\n\n%s · code %s · %s", s.Name, s.Code, activity)
		if !s.PausedUntil.IsZero() && s.PausedUntil.After(now) {
			b.WriteString(l.Msg(MsgCollectivesPausedUntil) + h.formatDate(l, s.PausedUntil))
		}
		if s.Schedule != "" {
			b.WriteString(l.Msg(MsgCollectivesSchedule) + s.Schedule)
		}
		if len(s.Chats) == 0 {
			b.WriteString(l.Msg(MsgCollectivesNoChat))
		}
		for _, ch := range s.Chats {
			fmt.Fprintf(&b, "\n   %s", chatName(ch))
		}
		if !lst.add(b.String()) {
			break
		}
	}
	if n := len(list) - lst.added; n > 0 {
		b.WriteString(l.Msg(MsgCollectivesMore, n))
	}
	b.WriteString(l.Msg(MsgCollectivesUnlinkHint))
	return Reply{Text: b.String()}, nil
}

// findCollective finds a collective by name for staff commands: the same
// name, else the only one whose name starts with what was typed, else an
// error naming the closest one.
func (h *Handler) findCollective(ctx context.Context, l Lang, typed string) (*Collective, error) {
	coll, err := h.Store.CollectiveByName(ctx, typed)
	if err == nil || ErrorCode(err) != ENOTFOUND {
		return coll, err
	}
	list, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, err
	}
	key := NormalizeName(typed)
	var prefixed []*Collective
	names := make([]string, len(list))
	for i := range list {
		names[i] = list[i].Name
		if key != "" && strings.HasPrefix(NormalizeName(list[i].Name), key) {
			prefixed = append(prefixed, &list[i].Collective)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0], nil
	}
	msg := l.Msg(MsgCollectiveUnknown, clip(typed, 60))
	if s := suggest(key, names); s != "" {
		msg += l.Msg(MsgExportDidYouMean, s)
	}
	if len(names) == 0 {
		msg += l.Msg(MsgCollectiveUnknownNone)
	} else {
		msg += l.Msg(MsgCollectiveUnknownList) + strings.Join(names, ", ") + "."
	}
	return nil, Errorf(ENOTFOUND, "%s", msg)
}

// defaultWords reset a collective to the programme's default schedule.
var defaultWords = map[string]bool{"standaard": true, "default": true}

// schedule sets a collective's check-in schedule and shows its next two runs.
func (h *Handler) schedule(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	coll, err := h.findCollective(ctx, l, c.args.Text(optSchedColl))
	if err != nil {
		return Reply{}, err
	}
	spec := strings.Join(strings.Fields(c.args.Text(optSchedule)), " ")
	stored := spec
	if defaultWords[strings.ToLower(spec)] {
		stored, spec = "", h.defaultSchedule()
	} else if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgScheduleNoTimeZone, h.loc()))
	}
	sched, err := ParseSchedule(spec, h.loc(), l)
	if err != nil {
		return Reply{}, err
	}
	if err := h.Store.SetSchedule(ctx, c.EventID, coll.ID, stored, c.User); err != nil {
		return Reply{}, err
	}
	first := sched.Next(h.now())
	second := sched.Next(first)
	what := spec
	if stored == "" {
		what = l.Msg(MsgScheduleDefault, spec)
	}
	text := l.Msg(MsgScheduleSet, coll.Name, what, h.formatWeekdayTime(l, first), h.formatWeekdayTime(l, second), h.loc())
	if !coll.PausedUntil.IsZero() && coll.PausedUntil.After(h.now()) {
		text += l.Msg(MsgSchedulePausedNote, coll.Name, h.formatDate(l, coll.PausedUntil))
	}
	return Reply{Text: text}, nil
}
