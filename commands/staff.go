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
		return Reply{Text: l.T("Deze chat is al een stafkanaal. Typ /hulp voor de commando's.", "This chat already is a staff chat. Type /help for the commands."), CommandsChanged: true}, nil
	}
	err := h.Store.AddStaffChat(ctx, c.EventID, c.Chat, c.ChatTitle, c.User)
	if ErrorCode(err) == ECONFLICT {
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			"Deze chat is gekoppeld aan een collectief en kan niet ook het stafkanaal zijn.",
			"This chat is linked to a collective and cannot also be the staff chat."))
	} else if err != nil {
		return Reply{}, err
	}
	h.logger().Info("staff chat added", "chat", c.Chat.String())
	return Reply{Text: l.T(
		"🛠️ Dit is nu het stafkanaal. Hulpvragen van de collectieven komen hier binnen. Houd deze chat besloten: iedereen die hier schrijft is staf.\n\nBegin met /collectief <naam> om een collectief aan te maken; je krijgt dan de koppelcode voor hun groepschat.",
		"🛠️ This is now the staff chat. Help requests from the collectives arrive here. Keep this chat private: everyone who writes here is staff.\n\nStart with /collective <name> to create a collective; you get the link code for their group chat."), CommandsChanged: true}, nil
}

// checkCollectiveName refuses names that could not be typed back: they must
// have letters, and quotes would break "/schema "Naam" @weekly".
func checkCollectiveName(l Lang, name string) error {
	if !strings.ContainsFunc(name, unicode.IsLetter) {
		return Errorf(EINVALID, "%s", l.T(
			"De naam van een collectief moet letters bevatten, bijvoorbeeld /collectief Bewonersbedrijf Noord.",
			"A collective's name needs letters, for example /collective Bewonersbedrijf Noord."))
	}
	if strings.ContainsFunc(name, isQuote) {
		return Errorf(EINVALID, "%s", l.T("Gebruik geen aanhalingstekens in de naam van een collectief.", "Do not use quotes in a collective's name."))
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
		return Reply{Text: l.T(
			fmt.Sprintf("%s bestaat al. De koppelcode is %s; laat een beheerder van hun groepschat daar /koppel %s typen.\nIs de code uitgelekt? Geef ze een nieuwe met de knop (gekoppelde chats blijven gekoppeld).", coll.Name, coll.Code, coll.Code),
			fmt.Sprintf("%s already exists. Its link code is %s; have an admin of their group chat type /link %s there.\nHas the code leaked? Give them a new one with the button (linked chats stay linked).", coll.Name, coll.Code, coll.Code)),
			Buttons: []Button{button(l.T("Nieuwe code", "New code"), cmdNewCode, optCollective.Arg(coll.Name))}}
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
	return Reply{Text: l.T(
		fmt.Sprintf("✨ Collectief %s is aangemaakt.\nKoppelcode: %s\n\nLaat een beheerder van hun groepschat (Telegram of Discord, met de bot erin) daar typen:\n/koppel %s\nDaarna kan de groep aan de slag; /hulp laat zien wat er kan.", coll.Name, coll.Code, coll.Code),
		fmt.Sprintf("✨ Collective %s was created.\nLink code: %s\n\nHave an admin of their group chat (Telegram or Discord, with the bot in it) type there:\n/link %s\nThen the group can get going; /help shows what is possible.", coll.Name, coll.Code, coll.Code))}, nil
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
	return Reply{Text: l.T(
		fmt.Sprintf("🔑 %s heeft een nieuwe koppelcode: %s\nDe oude code werkt niet meer; chats die al gekoppeld zijn blijven gekoppeld.", coll.Name, code),
		fmt.Sprintf("🔑 %s has a new link code: %s\nThe old code no longer works; chats already linked stay linked.", coll.Name, code))}, nil
}

// collectives lists every collective with its chats, code and last activity.
func (h *Handler) collectives(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Collectives(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.T("Nog geen collectieven. Maak er een met /collectief <naam>.", "No collectives yet. Create one with /collective <name>.")}, nil
	}
	now := h.now()
	var b strings.Builder
	b.WriteString(l.T(fmt.Sprintf("Collectieven (%d):", len(list)), fmt.Sprintf("Collectives (%d):", len(list))))
	for _, s := range list {
		activity := l.T("nog geen activiteit", "no activity yet")
		if !s.LastActivity.IsZero() {
			activity = l.T("laatst actief ", "last active ") + ago(l, now, s.LastActivity)
		}
		fmt.Fprintf(&b, "\n\n%s · code %s · %s", s.Name, s.Code, activity)
		if !s.PausedUntil.IsZero() && s.PausedUntil.After(now) {
			b.WriteString(l.T(" · gepauzeerd tot ", " · paused until ") + h.formatDate(l, s.PausedUntil))
		}
		if s.Schedule != "" {
			b.WriteString(l.T(" · schema ", " · schedule ") + s.Schedule)
		}
		if len(s.Chats) == 0 {
			b.WriteString(l.T("\n   nog geen chat gekoppeld", "\n   no chat linked yet"))
		}
		for _, ch := range s.Chats {
			title := ch.Title
			if title == "" {
				title = ch.Ref.ID
			}
			fmt.Fprintf(&b, "\n   %s: %s", ch.Ref.Platform, title)
		}
	}
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
	msg := l.T(fmt.Sprintf("Onbekend collectief %q.", clip(typed, 60)), fmt.Sprintf("Unknown collective %q.", clip(typed, 60)))
	if s := suggest(key, names); s != "" {
		msg += l.T(fmt.Sprintf(" Bedoel je %q?", s), fmt.Sprintf(" Did you mean %q?", s))
	}
	if len(names) == 0 {
		msg += l.T(" Er zijn nog geen collectieven; maak er een met /collectief <naam>.", " There are no collectives yet; create one with /collective <name>.")
	} else {
		msg += l.T(" Collectieven: ", " Collectives: ") + strings.Join(names, ", ") + "."
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
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("Laat de tijdzone weg: schema's gelden altijd in de programmatijdzone (%s). Bijvoorbeeld: 0 10 * * MON.", h.loc()),
			fmt.Sprintf("Leave out the time zone: schedules always use the programme time zone (%s). For example: 0 10 * * MON.", h.loc())))
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
		what = l.T("het standaardschema ("+spec+")", "the default schedule ("+spec+")")
	}
	text := l.T(
		fmt.Sprintf("🗓️ Check-ins voor %s: %s.\nDe volgende twee: %s en %s (%s).", coll.Name, what, h.formatWeekdayTime(l, first), h.formatWeekdayTime(l, second), h.loc()),
		fmt.Sprintf("🗓️ Check-ins for %s: %s.\nThe next two: %s and %s (%s).", coll.Name, what, h.formatWeekdayTime(l, first), h.formatWeekdayTime(l, second), h.loc()))
	if !coll.PausedUntil.IsZero() && coll.PausedUntil.After(h.now()) {
		text += l.T(
			fmt.Sprintf("\nLet op: %s heeft de check-ins gepauzeerd tot %s.", coll.Name, h.formatDate(l, coll.PausedUntil)),
			fmt.Sprintf("\nNote: %s paused check-ins until %s.", coll.Name, h.formatDate(l, coll.PausedUntil)))
	}
	return Reply{Text: text}, nil
}
