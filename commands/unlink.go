package commands

import (
	"context"
	"errors"
	"strings"
)

// Kinds of the messages unlinking and relinking send.
const (
	SendUnlinked = "ontkoppeld"
	SendRelinked = "herkoppeld"
)

// chatName is how /collectieven names a linked chat and what /ontkoppel
// takes: "telegram: Bewoners Noord".
func chatName(ch Chat) string {
	title := strings.Join(strings.Fields(ch.Title), " ")
	if title == "" {
		title = ch.Ref.ID
	}
	return ch.Ref.Platform + ": " + title
}

// chatKey is the chat's platform and id ("telegram:-1001234"): what a
// button carries, since a title need not be unique nor fit a button.
func chatKey(ch Chat) string { return ch.Ref.String() }

// unlinkButton unlinks one chat.
func unlinkButton(l Lang, ch Chat) Button {
	return button(l.Msg(MsgUnlinkButton, clip(chatName(ch), 30)), cmdUnlink, optChat.Arg(chatKey(ch)))
}

// maxUnlinkButtons bounds the buttons under one message; more chats than
// this are named in the text and unlinked by typing /ontkoppel.
const maxUnlinkButtons = 5

// linkedChats is every chat linked to a collective, with its collective.
func (h *Handler) linkedChats(ctx context.Context) ([]Chat, map[int64]string, error) {
	list, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, nil, err
	}
	var chats []Chat
	names := map[int64]string{}
	for _, s := range list {
		names[s.ID] = s.Name
		chats = append(chats, s.Chats...)
	}
	return chats, names, nil
}

// findLinkedChat resolves what staff typed after /ontkoppel: the chat's key
// ("telegram:-1001234", what buttons carry), its name as /collectieven
// shows it ("telegram: Bewoners Noord") or its title alone when only one
// linked chat has it.
func (h *Handler) findLinkedChat(ctx context.Context, l Lang, typed string) (*Chat, error) {
	typed = strings.TrimSpace(typed)
	if platform, id, ok := strings.Cut(typed, ":"); ok && !strings.ContainsAny(id, " \t") && id != "" {
		ch, err := h.Store.Chat(ctx, ChatRef{Platform: strings.ToLower(platform), ID: id})
		if err != nil {
			return nil, err
		}
		if ch.Kind == ChatCollective {
			return ch, nil
		}
	}
	chats, _, err := h.linkedChats(ctx)
	if err != nil {
		return nil, err
	}
	key := NormalizeName(typed)
	var byName, byTitle []Chat
	for _, ch := range chats {
		switch {
		case NormalizeName(chatName(ch)) == key:
			byName = append(byName, ch)
		case NormalizeName(ch.Title) == key || ch.Ref.ID == typed:
			byTitle = append(byTitle, ch)
		}
	}
	found := byName
	if len(found) == 0 {
		found = byTitle
	}
	switch len(found) {
	case 1:
		return &found[0], nil
	case 0:
		names := make([]string, 0, len(chats))
		for _, ch := range firstN(chats, 10) {
			names = append(names, chatName(ch))
		}
		msg := l.Msg(MsgUnlinkUnknown, clip(typed, 60))
		if len(chats) == 0 {
			return nil, Errorf(ENOTFOUND, "%s", msg+l.Msg(MsgUnlinkNoChats))
		}
		return nil, Errorf(ENOTFOUND, "%s", msg+l.Msg(MsgUnlinkWriteAs, strings.Join(names, "; ")))
	}
	keys := make([]string, 0, len(found))
	for _, ch := range firstN(found, 10) {
		keys = append(keys, l.Msg(MsgUnlinkLine, chatKey(ch)))
	}
	return nil, Errorf(EINVALID, "%s", l.Msg(MsgUnlinkAmbiguous, len(found), clip(typed, 60), strings.Join(keys, l.Msg(MsgUnlinkOr))))
}

// unlink is /ontkoppel: staff take a chat's link away (a code that leaked,
// a group that is no longer the collective's). The chat is told; it can
// link again only with the collective's current code, so the reply offers
// a new one.
func (h *Handler) unlink(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	ch, err := h.findLinkedChat(ctx, l, c.args.Text(optChat))
	if err != nil {
		return Reply{}, err
	}
	coll, err := h.Store.Collective(ctx, ch.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	if err := h.Store.UnlinkChat(ctx, c.EventID, ch.Ref, c.User); errors.Is(err, ErrDuplicate) {
		return Reply{}, err
	} else if ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgUnlinkNotLinked, chatName(*ch)))
	} else if err != nil {
		return Reply{}, err
	}
	h.logger().Info("chat unlinked", "chat", ch.Ref.String(), "collective", coll.ID)
	cl := h.chatLang(ch)
	told := Message{Chat: ch.Ref, Kind: SendUnlinked, Text: cl.Msg(MsgUnlinkTold, coll.Name)}
	return Reply{
		Text:    l.Msg(MsgUnlinkDone, chatName(*ch), coll.Name),
		Buttons: []Button{button(l.Msg(MsgButtonNewCode), CmdNewCode, optCollective.Arg(coll.Name))},
		Outbox:  []Message{told},
	}, nil
}

// relinkQuestion asks before a chat linked to one collective is linked to
// another: a code seen once must not move a collective's chat silently.
func relinkQuestion(l Lang, from, to *Collective, code string) Reply {
	return Reply{
		Text:    l.Msg(MsgRelinkQuestion, from.Name, code, to.Name),
		Buttons: []Button{button(l.Msg(MsgRelinkButton, clip(to.Name, 30)), cmdRelink, optCode.Arg(code))},
	}
}

// relinked tells the staff that a chat moved from one collective to another.
func (h *Handler) relinked(ctx context.Context, c *call, from, to *Collective) []Message {
	ch := Chat{Ref: c.Chat, Title: c.ChatTitle}
	if ch.Title == "" {
		ch.Title = c.chat.Title
	}
	return h.toStaff(ctx, SendRelinked, func(sl Lang) (string, []Button) {
		return sl.Msg(MsgRelinkedStaff, chatName(ch), nameOr(sl, c.User.Name), from.Name, to.Name), []Button{unlinkButton(sl, ch)}
	})
}
