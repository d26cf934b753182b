package telegram_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// sayAnonymous posts text as the anonymous admin of chat (From is
// GroupAnonymousBot, sender_chat the group) and returns the bot's new
// messages in that chat once the update is handled.
func (h *harness) sayAnonymous(chat telegramtest.Chat, text string) []telegramtest.Sent {
	h.t.Helper()
	before := len(h.tg.Sent(chat.ID))
	h.tg.PushAnonymous(chat, text)
	// Every command here gets one reply; it leaves through the chat's
	// queue, possibly after the update was confirmed.
	return h.tg.WaitSent(h.t, chat.ID, before+1)[before:]
}

// Telegram gives every anonymous admin of every group one user id (the
// GroupAnonymousBot's). The bot must tell them apart by the group they
// speak for (sender_chat), or one group's anonymous admin erases another
// group's records and shares its rate limits and wrong-code block (issue
// 16.6). Erasing such an identity is refused with an explanation: it is a
// group, not a person.
func TestAnonymousAdminsAreTheirGroup(t *testing.T) {
	h := newHarness(t)
	h.rt.Limits = bot.DefaultLimits()
	ctx := context.Background()
	zuid := telegramtest.Group(-2002, "Bewoners Zuid")
	codes := map[int64]string{}
	for _, chat := range []telegramtest.Chat{noord, zuid} {
		code, _ := commands.NewCode()
		c := &commands.Collective{Name: chat.Title, Code: code}
		if err := h.db.CreateCollective(ctx, "", c, commands.UserRef{Platform: commands.Telegram, ID: "101", Name: "Anna"}); err != nil {
			t.Fatal(err)
		}
		codes[chat.ID] = code
	}
	h.start()

	// Noord's anonymous admin types wrong codes until blocked.
	for range 5 {
		h.sayAnonymous(noord, "/koppel AAAA2222")
	}
	r := h.sayAnonymous(noord, "/koppel "+codes[noord.ID])
	if len(r) != 1 || strings.Contains(r[0].Shown, "gekoppeld") {
		t.Fatalf("after 5 wrong codes noord's anonymous admin got %q, want a block", shown(r))
	}
	// Zuid's anonymous admin is someone else: not blocked.
	r = h.sayAnonymous(zuid, "/koppel "+codes[zuid.ID])
	if got, _ := h.db.Chat(ctx, telegramChat(zuid)); got.Kind != commands.ChatCollective {
		t.Fatalf("zuid not linked (%q): noord's block reached zuid's anonymous admin", shown(r))
	}
	// Noord links through a named admin, then both groups log progress
	// anonymously.
	h.say(noord, anna, "/koppel "+codes[noord.ID], 1)
	h.sayAnonymous(noord, "/voortgang Noord doet iets")
	h.sayAnonymous(zuid, "/voortgang Zuid doet iets")

	// Zuid's anonymous admin asks to be forgotten: refused, explained.
	r = h.sayAnonymous(zuid, "/vergeetmij ja")
	if len(r) != 1 {
		t.Fatalf("/vergeetmij from an anonymous admin: %d replies", len(r))
	}
	expect(t, r[0].Shown, "anonieme beheerder", "namens de groep", "privébericht")
	if strings.Contains(r[0].Shown, "zijn gewist") {
		t.Fatalf("/vergeetmij from an anonymous admin answered %q", r[0].Shown)
	}

	// Nothing of Noord's was erased, nor of Zuid's.
	for chat, want := range map[telegramtest.Chat]string{noord: "Bewoners Noord", zuid: "Bewoners Zuid"} {
		c, err := h.db.Chat(ctx, telegramChat(chat))
		if err != nil {
			t.Fatal(err)
		}
		entries, err := h.db.Entries(ctx, c.CollectiveID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Author != want {
			t.Fatalf("%s's entries %+v, want one by %q", chat.Title, entries, want)
		}
	}
}

func shown(list []telegramtest.Sent) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Shown)
	}
	return out
}

// A message posted in a group on behalf of a channel (sender_chat is the
// channel, not the group) is no admin speaking for the group: ignored.
func TestOnBehalfOfChannelIgnored(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say(noord, piet, "/hulp", 1) // the bot answers in noord at all
	before := len(h.tg.Sent(noord.ID))
	id := h.tg.PushOnBehalf(noord, telegramtest.Channel(-1009999, "Wijkkrant"), "/vergeetmij ja")
	h.tg.WaitConfirmed(t, id)
	h.rt.Wait()
	// Replies in a chat keep their order: a reply to the post would come
	// before the reply to the next command.
	if got := h.say(noord, piet, "/hulp", 1); !strings.Contains(got[0].Shown, "Commando's in deze chat") {
		t.Fatalf("a post on behalf of a channel was answered: %q", shown(got))
	}
	if got := h.tg.Sent(noord.ID)[before:]; len(got) != 1 {
		t.Fatalf("a post on behalf of a channel was answered: %q", shown(got))
	}
}
