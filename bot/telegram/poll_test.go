package telegram_test

import (
	"net/http"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// TestUndecodableUpdateIsSkipped: an update the library cannot decode is
// skipped and the offset moves past it, so the updates after it in the
// same batch are handled. (The library's GetUpdates failed the whole poll
// on it, and the next poll fetched it again: the bot stood still.)
func TestUndecodableUpdateIsSkipped(t *testing.T) {
	h := newHarness(t)
	chat := telegramtest.Private(piet)
	bad := h.tg.PushUndecodable(chat, piet, "/hulp")
	h.tg.PushText(chat, piet, "/hulp")
	h.start()
	sent := h.tg.WaitSent(t, chat.ID, 1)
	h.tg.WaitConfirmed(t, bad)
	if err := h.bot.Health(); err != nil {
		t.Fatalf("Health=%v after a batch with a skipped update, want nil", err)
	}
	h.stop()
	if got := len(h.tg.Sent(chat.ID)); got != 1 {
		t.Fatalf("%d replies, want 1 (the undecodable update is skipped, not answered)", got)
	}
	expect(t, sent[0].Shown, "/hulp")
}

// TestMalformedBatchFailsThePoll: an answer whose result is not an array
// of updates, or holds one without a readable update_id, fails the poll
// as a whole (health says so) and moves the offset past nothing: the
// update waiting is handled once, after the retry.
func TestMalformedBatchFailsThePoll(t *testing.T) {
	for name, body := range map[string]string{
		"not an array":      `{"ok":true,"result":{"update_id":1}}`,
		"no update_id":      `{"ok":true,"result":[{"message":{"message_id":1}}]}`,
		"update_id a word":  `{"ok":true,"result":[{"update_id":"een"}]}`,
		"result missing":    `{"ok":true}`,
		"array not closed ": `{"ok":true,"result":[{"update_id":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.tg.FailNext("getUpdates", 1, telegramtest.Failure{Status: http.StatusOK, Body: body})
			chat := telegramtest.Private(piet)
			h.tg.PushText(chat, piet, "/hulp")
			h.start()
			waitUntil(t, "Health reports the failed poll", func() bool { return h.bot.Health() != nil })
			if got := len(h.tg.Sent(chat.ID)); got != 0 {
				t.Fatalf("%d replies while the poll failed", got)
			}
			h.tg.WaitSent(t, chat.ID, 1)
			h.stop()
			if got := len(h.tg.Sent(chat.ID)); got != 1 {
				t.Fatalf("%d replies, want 1", got)
			}
		})
	}
}
