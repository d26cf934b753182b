package telegram_test

import (
	"context"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// A link code seen in a group cannot link a member's private chat with the
// bot (where Telegram makes everyone "admin" of their own chat); staff
// unlink a group by the name /collectieven shows, and the group is told
// (issue 16, item 7).
func TestLinkAccessOnTelegram(t *testing.T) {
	h := newHarness(t)
	h.tg.SetMember(noord.ID, piet.ID, "administrator")
	h.start()
	ctx := context.Background()
	h.say(staff, anna, "/stafkanaal", 1)
	h.say(staff, bram, "/collectief Noord", 1)
	coll, err := h.db.CollectiveByName(ctx, "Noord")
	if err != nil {
		t.Fatal(err)
	}
	moChat := telegramtest.Private(mo)
	got := h.say(moChat, mo, "/koppel "+coll.Code, 1)
	expect(t, got[0].Shown, "groepschat", "niet in een privéchat")
	if chat, err := h.db.Chat(ctx, telegramChat(moChat)); err != nil || chat.CollectiveID != 0 {
		t.Fatalf("private chat after /koppel: %+v, %v; want unlinked", chat, err)
	}

	h.say(noord, piet, "/koppel "+coll.Code, 1)
	list := h.say(staff, bram, "/collectieven", 1)
	expect(t, list[0].Shown, "telegram: "+noord.Title)
	before := len(h.tg.Sent(noord.ID))
	h.say(staff, bram, "/ontkoppel telegram: "+noord.Title, 1)
	told := h.tg.WaitSent(t, noord.ID, before+1)[before:]
	expect(t, told[0].Shown, "losgekoppeld van Noord")
	got = h.say(noord, piet, "/voortgang nog hier", 1)
	expect(t, got[0].Shown, "nog niet gekoppeld")
}
