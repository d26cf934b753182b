package commands

import (
	"context"
	"fmt"
	"strings"
)

// help explains the bot in a few sentences and lists the commands of this
// chat: those the table allows here and for this user, in the chat's language.
func (h *Handler) help(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	// "/start <code>" from a deep link: an invite code is redeemed; any
	// other start parameter (an old link, a typo) just gets the help.
	if raw := c.args.Text(optStartCode); raw != "" && validCode(normalizeCode(raw)) {
		return h.becomeExpert(ctx, c, raw)
	}
	var b strings.Builder
	b.WriteString(l.T(
		"Hoi! Ik ben wijkbot van het WijkBV-programma. Collectieven houden hier hun voortgang en mengpaneel bij en vragen hulp van experts; het programmateam pakt die vragen op in het stafkanaal.",
		"Hi! I am wijkbot of the WijkBV programme. Collectives keep track of their progress and panel here and ask experts for help; the programme team picks those questions up in the staff chat."))
	b.WriteString("\n")
	switch c.chat.Kind {
	case ChatCollective:
		b.WriteString(l.T("Deze chat is gekoppeld aan jullie collectief.", "This chat is linked to your collective."))
	case ChatStaff:
		b.WriteString(l.T("Dit is het stafkanaal: hier komen de hulpvragen binnen.", "This is the staff chat: help requests arrive here."))
	case ChatExpert:
		if e, err := h.Store.Expert(ctx, c.chat.ExpertID); err == nil {
			b.WriteString(l.T(
				fmt.Sprintf("Je bent hier expert (%s) als %s. Hulpvragen over je expertise komen in deze chat binnen; je ziet van een vraag alleen het collectief en de vraag zelf. Wie het eerst oppakt, beantwoordt hem.", strings.Join(e.Expertises, ", "), e.Name),
				fmt.Sprintf("You are an expert here (%s) as %s. Help requests about your expertise arrive in this chat; of a request you see only the collective and the question. Whoever claims first answers it.", strings.Join(e.Expertises, ", "), e.Name)))
		}
	case ChatPrivate:
		b.WriteString(l.T(
			"Dit is je privéchat met de bot. Ben je expert uit het netwerk van het programma? Typ /ikbenexpert <code> met de code van je uitnodiging. Hoor je bij een collectief? Een beheerder van jullie groepschat koppelt die daar met /koppel <code>.",
			"This is your private chat with the bot. Are you an expert from the programme's network? Type /iamexpert <code> with the code of your invitation. Part of a collective? An admin of your group chat links it there with /link <code>."))
	default:
		b.WriteString(l.T(
			"Deze chat is nog niet gekoppeld. Een beheerder van de chat koppelt hem met /koppel <code>; de code krijg je van het programmateam.",
			"This chat is not linked yet. An admin of the chat links it with /link <code>; the programme team gives you the code."))
	}
	b.WriteString("\n\n")
	b.WriteString(l.T("Commando's in deze chat:", "Commands in this chat:"))
	for _, cmd := range h.visibleCommands(c) {
		desc := cmd.Desc
		if l == EN {
			desc = cmd.DescEN
		}
		fmt.Fprintf(&b, "\n%s — %s", cmd.Usage(l), desc)
		for _, o := range cmd.Options {
			if o.Type == OptChoice && !o.Hidden && len(o.Choices) > 2 {
				fmt.Fprintf(&b, "\n    %s: %s", optName(&o, l), strings.Join(o.Choices, ", "))
			}
		}
	}
	if c.chat.Kind == ChatCollective || c.chat.Kind == "" {
		b.WriteString("\n\n")
		b.WriteString(l.T(
			`Een naam van meer woorden mag zonder aanhalingstekens vóór een getal (/schuif impact op wonen 7); elders zet je hem tussen "aanhalingstekens".`,
			`A name of several words needs no quotes before a number (/set impact op wonen 7); elsewhere put it in "quotes".`))
	}
	return Reply{Text: b.String()}, nil
}

// visibleCommands are the commands /hulp lists for this chat and user: not
// hidden, allowed in this kind of chat and for this user's role.
func (h *Handler) visibleCommands(c *call) []*Command {
	here := whereOf(c.chat)
	var list []*Command
	for i := range c.table {
		cmd := &c.table[i]
		if cmd.Hidden || cmd.Where&here == 0 {
			continue
		}
		if cmd.Who == BotAdmin && !c.IsBotAdmin {
			continue
		}
		if cmd.Who == ChatAdmin && !c.IsChatAdmin && !c.IsBotAdmin {
			continue
		}
		if cmd.Unlisted&here != 0 {
			continue
		}
		list = append(list, cmd)
	}
	return list
}

// whereOf maps a chat's kind to the table's Where bit.
func whereOf(chat *Chat) Where {
	switch chat.Kind {
	case ChatCollective:
		return InCollective
	case ChatStaff:
		return InStaff
	case ChatPrivate:
		return InPrivate
	case ChatExpert:
		return InExpert
	}
	return InUnlinked
}

// setLang sets the chat's language; the reply is already in the new one.
func (h *Handler) setLang(ctx context.Context, c *call) (Reply, error) {
	l := ParseLang(c.args.Text(optLang))
	if err := h.Store.SetChatLang(ctx, c.EventID, c.Chat, l); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.T(
		"Prima, ik praat in deze chat voortaan Nederlands. Typ /hulp voor de commando's.",
		"Fine, I will speak English in this chat from now on. Type /help for the commands.")}, nil
}
