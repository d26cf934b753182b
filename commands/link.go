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

// link links this chat to the collective whose code is given.
func (h *Handler) link(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	raw := c.args.Text(optCode)
	code := normalizeCode(raw)
	if !validCode(code) {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgLinkCodeInvalid, clip(raw, 20))+codeHelp(l))
	}
	if c.chat.Kind == ChatCollective {
		if cur, err := h.Store.Collective(ctx, c.chat.CollectiveID); err == nil && cur.Code == code {
			return Reply{Text: l.Msg(MsgLinkAlready, cur.Name)}, nil
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
	return Reply{Text: l.Msg(MsgLinkWelcome, coll.Name)}, nil
}
