package telegram_test

import (
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// One busy group must not stall another (issue 16, item 8): a group whose
// replies wait for Telegram's group limit keeps only its own replies
// waiting. The limit here is one message an hour per group, so Noord's
// second reply waits; Zuid's command, which arrives after Noord's batch
// was taken, is answered at once, and Noord's replies stay in order.
func TestBusyGroupDoesNotStallOthers(t *testing.T) {
	zuid := telegramtest.Group(-2002, "Bewoners Zuid")
	h := newHarness(t, func(c *telegram.Config) {
		c.Limits = telegram.Limits{Global: rate.Inf, Chat: rate.Inf, Group: rate.Every(time.Hour), GroupBurst: 1}
	})
	h.tg.PushText(noord, piet, "/hulp")
	h.tg.PushText(noord, piet, "/taal en")
	h.start()
	h.tg.WaitSent(t, noord.ID, 1) // Noord's batch was taken; its second reply waits an hour
	h.tg.PushText(zuid, mo, "/hulp")
	got := h.tg.WaitSent(t, zuid.ID, 1)
	expect(t, got[0].Shown, "/hulp")
	sent := h.tg.Sent(noord.ID)
	if len(sent) != 1 {
		t.Fatalf("Noord got %d messages, want 1 within the group limit", len(sent))
	}
	expect(t, sent[0].Shown, "/hulp")
}
