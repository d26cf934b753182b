package telegram_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
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
