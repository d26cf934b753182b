package telegram_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// A login link asked for in the staff chat never shows there: Telegram
// cannot show one member of a group a message the others do not see, so
// the link goes to the asker's private chat with the bot and the group
// reads only that it went there. Someone who never opened that chat (a
// bot may not write first) reads how to open it, and gets the link once
// they have; an anonymous admin, who has no private chat, reads that it
// goes only there too (TestSecretReplyAnonymousAdmin: and what to do).
func TestSecretReplyGoesToPrivateChat(t *testing.T) {
	h := newHarness(t)
	h.rt.Handler.WebURL = "https://wijkbot.example"
	h.start()
	ctx := context.Background()
	linkRE := regexp.MustCompile(`https://wijkbot\.example/login/([A-Za-z0-9_-]{43})`)
	h.say(staff, anna, "/stafkanaal", 1)

	got := h.say(staff, bram, "/dashboard", 1)
	expect(t, got[0].Shown, "alleen in een privégesprek", "https://t.me/"+h.tg.Bot.Username)
	if n := len(h.tg.Sent(bram.ID)); n != 0 {
		t.Fatalf("%d messages reached a private chat Bram never opened", n)
	}

	h.say(telegramtest.Private(bram), bram, "/start", 1)
	before := len(h.tg.Sent(bram.ID))
	got = h.say(staff, bram, "/dashboard", 1)
	expect(t, got[0].Shown, "privégesprek gestuurd")
	dm := h.tg.WaitSent(t, bram.ID, before+1)[before]
	m := linkRE.FindStringSubmatch(dm.Shown)
	if m == nil {
		t.Fatalf("no login link in Bram's private chat: %q", dm.Shown)
	}
	if _, session, err := h.rt.Handler.WebLogin(ctx, m[1]); err != nil || session == nil {
		t.Fatalf("the link sent privately does not log in: %v", err)
	}

	got = h.sayAnonymous(staff, "/dashboard")
	expect(t, got[0].Shown, "alleen in een privégesprek")

	h.stop()
	for _, s := range h.tg.Sent(staff.ID) {
		if linkRE.MatchString(s.Shown) || strings.Contains(s.Shown, "/login/") {
			t.Errorf("a login link in the staff chat: %q", s.Shown)
		}
	}
	if v := h.tg.Violations(); len(v) > 0 {
		t.Errorf("requests departing from the Bot API: %v", v)
	}
}

// An anonymous admin writes as the group, so the bot cannot know whose
// private chat to use: the group reads that, and what to do instead, not
// the advice to open a private chat (which would not help: asking again
// anonymously fails the same way).
func TestSecretReplyAnonymousAdmin(t *testing.T) {
	h := newHarness(t)
	h.rt.Handler.WebURL = "https://wijkbot.example"
	h.start()
	h.say(staff, anna, "/stafkanaal", 1)

	got := h.sayAnonymous(staff, "/dashboard")
	expect(t, got[0].Shown, "alleen in een privégesprek", "anoniem", "Anoniem blijven")
	if strings.Contains(got[0].Shown, "druk op Start") {
		t.Errorf("an anonymous admin is told to open a private chat, which does not help: %q", got[0].Shown)
	}
	h.stop()
	for _, s := range h.tg.Sent(staff.ID) {
		if strings.Contains(s.Shown, "/login/") {
			t.Errorf("a login link in the staff chat: %q", s.Shown)
		}
	}
}

// secretTable is the command table with two test commands: /geheim
// replies with its word as a Secret, as /dashboard replies with a login
// link; /geheimknop offers two buttons that run it, one with the word
// and one that leaves it out, so pressing it asks for the word.
func secretTable() commands.Table {
	word := commands.TextOpt{Option: commands.Option{Name: "woord", NameEN: "word", Type: commands.OptText, Required: true, MaxLen: 40}}
	table := append(commands.Table(nil), commands.Commands...)
	return append(table,
		commands.Command{Name: "geheim", Where: commands.Anywhere, Hidden: true, Options: commands.Opts(word),
			Run: func(h *commands.Handler, ctx context.Context, c *commands.Call) (commands.Reply, error) {
				return commands.Reply{Text: "Het geheim is " + c.Text(word), Secret: true, Ephemeral: true}, nil
			}},
		commands.Command{Name: "geheimknop", Where: commands.Anywhere, Hidden: true,
			Run: func(h *commands.Handler, ctx context.Context, c *commands.Call) (commands.Reply, error) {
				return commands.Reply{Text: "Kies een knop", Buttons: []commands.Button{
					{Label: "Direct", Command: "geheim", Args: []commands.Arg{word.Arg("appel")}},
					{Label: "Vraag", Command: "geheim"},
				}}, nil
			}},
	)
}

// A Secret reply never shows in a group, however its command came: from
// a button (not as an alert either, which is cut short and whose links
// cannot be opened) or as the answer to the bot's ForceReply question.
// It goes to the presser's private chat, as for a typed command.
func TestSecretReplyFromAButtonOrAnAnswer(t *testing.T) {
	h := newHarness(t)
	h.rt.Handler.Commands = secretTable()
	h.start()
	h.say(telegramtest.Private(bram), bram, "/start", 1)
	offer := h.say(staff, bram, "/geheimknop", 1)[0]

	t.Run("a button that runs a secret command", func(t *testing.T) {
		group, private := len(h.tg.Sent(staff.ID)), len(h.tg.Sent(bram.ID))
		_, q := h.tg.Press(offer, bram, "Direct")
		if a := h.tg.WaitAnswer(t, q); strings.Contains(a.Text, "geheim is") {
			t.Fatalf("the secret came as an alert: %q", a.Text)
		}
		expect(t, h.tg.WaitSent(t, staff.ID, group+1)[group].Shown, "privégesprek gestuurd")
		expect(t, h.tg.WaitSent(t, bram.ID, private+1)[private].Shown, "Het geheim is appel")
	})

	t.Run("the answer to the bot's question", func(t *testing.T) {
		before := len(h.tg.Sent(staff.ID))
		_, q := h.tg.Press(offer, bram, "Vraag")
		h.tg.WaitAnswer(t, q)
		question := h.tg.WaitSent(t, staff.ID, before+1)[before]
		if question.ForceReply == nil {
			t.Fatalf("pressing Vraag asked nothing: %q", question.Shown)
		}
		private := len(h.tg.Sent(bram.ID))
		got := h.reply(staff, bram, question.MessageID, "peer", 1)
		expect(t, got[0].Shown, "privégesprek gestuurd")
		expect(t, h.tg.WaitSent(t, bram.ID, private+1)[private].Shown, "Het geheim is peer")
	})

	h.stop()
	for _, s := range h.tg.Sent(staff.ID) {
		if strings.Contains(s.Shown, "geheim is") {
			t.Errorf("a secret in the group: %q", s.Shown)
		}
	}
	if v := h.tg.Violations(); len(v) > 0 {
		t.Errorf("requests departing from the Bot API: %v", v)
	}
}
