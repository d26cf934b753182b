package commands

import "context"

// compose writes one message in the language of the chat it goes to.
type compose func(l Lang) (text string, buttons []Button)

// toChats addresses a message to each chat, each in its own language.
func (h *Handler) toChats(chats []Chat, kind string, write compose) []Message {
	msgs := make([]Message, 0, len(chats))
	for i := range chats {
		text, buttons := write(h.chatLang(&chats[i]))
		msgs = append(msgs, Message{Chat: chats[i].Ref, Text: text, Buttons: buttons, Kind: kind})
	}
	return msgs
}

// The lookups below run after the command's write has committed, so a
// failure is logged rather than returned: telling the user "something went
// wrong" would make them repeat a command that did succeed.

// toStaff addresses a message to every staff chat.
func (h *Handler) toStaff(ctx context.Context, kind string, write compose) []Message {
	chats, err := h.Store.StaffChats(ctx)
	if err != nil {
		h.logger().Error("staff chats lookup failed", "kind", kind, "err", err)
		return nil
	}
	return h.toChats(chats, kind, write)
}

// toCollective addresses a message to every chat of the collective.
func (h *Handler) toCollective(ctx context.Context, collectiveID int64, kind string, write compose) []Message {
	chats, err := h.Store.CollectiveChats(ctx, collectiveID)
	if err != nil {
		h.logger().Error("collective chats lookup failed", "kind", kind, "collective", collectiveID, "err", err)
		return nil
	}
	return h.toChats(chats, kind, write)
}
