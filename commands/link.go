package commands

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
)

// CodeAlphabet is what link codes are made of: no 0/O, 1/I, so a code read
// aloud or copied from paper is typed right.
const CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CodeLen is the length of a link code.
const CodeLen = 8

// NewCode returns a fresh random link code.
func NewCode() (string, error) {
	b := make([]byte, CodeLen)
	max := big.NewInt(int64(len(CodeAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("new link code: %w", err)
		}
		b[i] = CodeAlphabet[n.Int64()]
	}
	return string(b), nil
}

// normalizeCode is the code as typed, made comparable: upper case, without
// the spaces and dashes people add when they copy it ("abcd-2345").
func normalizeCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// validCode says whether s could be a link code at all.
func validCode(s string) bool {
	if len(s) != CodeLen {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(CodeAlphabet, r) {
			return false
		}
	}
	return true
}

func codeHelp(l Lang) string {
	return l.Msg(MsgLinkCodeFormat, CodeLen, CodeAlphabet)
}

// link links this chat to the collective whose code is given; a chat
// linked to another collective is asked first (relinkQuestion).
func (h *Handler) link(ctx context.Context, c *call) (Reply, error) { return h.linkTo(ctx, c, false) }

// relink is the button under relinkQuestion: link, the move confirmed.
func (h *Handler) relink(ctx context.Context, c *call) (Reply, error) { return h.linkTo(ctx, c, true) }

func (h *Handler) linkTo(ctx context.Context, c *call, confirmed bool) (Reply, error) {
	l := c.lang
	if c.PrivateChat {
		// A code posted in a group stays in its history: were a private
		// chat linkable, any member who saw it once could link their own
		// chat, leave the group and keep the collective's access.
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.Msg(MsgLinkPrivateChat))
	}
	raw := c.args.Text(optCode)
	code := normalizeCode(raw)
	if !validCode(code) {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgLinkCodeInvalid, clip(raw, 20))+codeHelp(l))
	}
	var from *Collective
	if c.chat.Kind == ChatCollective {
		cur, err := h.Store.Collective(ctx, c.chat.CollectiveID)
		if err != nil {
			return Reply{}, err
		}
		if cur.Code == code {
			return Reply{Text: l.Msg(MsgLinkAlready, cur.Name)}, nil
		}
		from = cur
		if !confirmed {
			to, err := h.collectiveByCode(ctx, code)
			if err != nil {
				return Reply{}, err
			}
			if to != nil && to.ID != cur.ID {
				return relinkQuestion(l, cur, to, code), nil
			}
		}
	}
	coll, err := h.Store.LinkChat(ctx, c.EventID, c.Chat, c.ChatTitle, code, c.User)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgLinkCodeUnknown, code)+codeHelp(l))
	case ECONFLICT:
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgLinkStaffChat))
	default:
		return Reply{}, err
	}
	h.logger().Info("chat linked", "chat", c.Chat.String(), "collective", coll.ID)
	var outbox []Message
	if from != nil && from.ID != coll.ID {
		outbox = h.relinked(ctx, c, from, coll)
	}
	return Reply{Outbox: outbox, Text: l.Msg(MsgLinkWelcome, coll.Name)}, nil
}

// collectiveByCode is the collective with the code, nil when none has it.
func (h *Handler) collectiveByCode(ctx context.Context, code string) (*Collective, error) {
	list, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Code == code {
			return &list[i].Collective, nil
		}
	}
	return nil, nil
}
