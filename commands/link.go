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
	return l.T(
		fmt.Sprintf("Een koppelcode bestaat uit %d tekens uit %s (geen 0, O, 1 of I), bijvoorbeeld K7MPX2QD. Vraag de code aan het programmateam.", CodeLen, CodeAlphabet),
		fmt.Sprintf("A link code has %d characters from %s (no 0, O, 1 or I), for example K7MPX2QD. Ask the programme team for the code.", CodeLen, CodeAlphabet))
}

// link links this chat to the collective whose code is given.
func (h *Handler) link(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	raw := c.args.Text(optCode)
	code := normalizeCode(raw)
	if !validCode(code) {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%q is geen geldige koppelcode. ", clip(raw, 20)),
			fmt.Sprintf("%q is not a valid link code. ", clip(raw, 20)))+codeHelp(l))
	}
	if c.chat.Kind == ChatCollective {
		if cur, err := h.Store.Collective(ctx, c.chat.CollectiveID); err == nil && cur.Code == code {
			return Reply{Text: l.T(
				fmt.Sprintf("Deze chat is al gekoppeld aan %s. Typ /hulp voor wat je hier kunt doen.", cur.Name),
				fmt.Sprintf("This chat is already linked to %s. Type /help for what you can do here.", cur.Name))}, nil
		}
	}
	coll, err := h.Store.LinkChat(ctx, c.EventID, c.Chat, c.ChatTitle, code, c.User)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		return Reply{}, Errorf(ENOTFOUND, "%s", l.T(
			fmt.Sprintf("Er is geen collectief met koppelcode %s. Controleer de code; ", code),
			fmt.Sprintf("No collective has link code %s. Check the code; ", code))+codeHelp(l))
	case ECONFLICT:
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			"Dit is het stafkanaal; dat kan niet ook aan een collectief gekoppeld worden.",
			"This is the staff chat; it cannot also be linked to a collective."))
	default:
		return Reply{}, err
	}
	h.logger().Info("chat linked", "chat", c.Chat.String(), "collective", coll.ID)
	return Reply{Text: l.T(
		fmt.Sprintf("Welkom, %s! 🎉 Deze chat is nu jullie plek bij wijkbot.\n\nEerste stappen:\n"+
			"• /voortgang <tekst> — vertel wat er gebeurd is (#woorden worden thema's)\n"+
			"• /mengpaneel — bekijk jullie schuiven, en zet er een met /schuif <element> <waarde>\n"+
			"• /hulpvraag <expertise> <vraag> — vraag een expert om hulp\n"+
			"• /hulp — alle commando's", coll.Name),
		fmt.Sprintf("Welcome, %s! 🎉 This chat is now your place at wijkbot.\n\nFirst steps:\n"+
			"• /log <text> — tell what happened (#words become themes)\n"+
			"• /panel — see your sliders, and move one with /set <element> <value>\n"+
			"• /ask <expertise> <question> — ask an expert for help\n"+
			"• /help — every command", coll.Name))}, nil
}
