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
	b.WriteString(l.Msg(MsgHelpIntro))
	b.WriteString("\n")
	switch c.chat.Kind {
	case ChatCollective:
		b.WriteString(l.Msg(MsgHelpLinked))
	case ChatStaff:
		b.WriteString(l.Msg(MsgHelpStaff))
	case ChatExpert:
		if e, err := h.Store.Expert(ctx, c.chat.ExpertID); err == nil {
			b.WriteString(l.Msg(MsgHelpExpert, strings.Join(e.Expertises, ", "), e.Name))
		}
	case ChatPrivate:
		b.WriteString(l.Msg(MsgHelpThisIsYourPrivate))
	default:
		b.WriteString(l.Msg(MsgHelpNotLinked))
	}
	b.WriteString("\n\n")
	b.WriteString(l.Msg(MsgHelpCommands))
	for _, cmd := range h.visibleCommands(c) {
		fmt.Fprintf(&b, "\n%s — %s", cmd.Usage(l), cmd.Description(l))
		for _, o := range cmd.Options {
			if o.Type == OptChoice && !o.Hidden && len(o.Choices) > 2 {
				fmt.Fprintf(&b, "\n    %s: %s", optName(&o, l), strings.Join(o.Choices, ", "))
			}
		}
	}
	if c.chat.Kind == ChatCollective || c.chat.Kind == "" {
		b.WriteString("\n\n")
		b.WriteString(l.Msg(MsgHelpQuotes))
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
	var err error
	if c.PrivateChat {
		// The chat is the person's: stored as theirs, so that /vergeetmij
		// finds it also where its id is not the person's (a Discord DM).
		err = h.Store.SetPrivateChatLang(ctx, c.EventID, c.Chat, l, c.User)
	} else {
		err = h.Store.SetChatLang(ctx, c.EventID, c.Chat, l)
	}
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.Msg(MsgLanguageSet)}, nil
}
