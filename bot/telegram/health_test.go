package telegram_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// TestHealthFollowsPolling: /healthz reports Telegram as failing while
// getUpdates fails, and healthy again once a poll is answered.
func TestHealthFollowsPolling(t *testing.T) {
	h := newHarness(t)
	if err := h.bot.Health(); err != nil {
		t.Fatalf("Healthy before polling = %v, want nil (getMe worked)", err)
	}
	h.tg.FailNext("getUpdates", 1, telegramtest.Failure{Status: http.StatusUnauthorized, Description: "Unauthorized"})
	h.start()
	waitUntil(t, "Healthy reports the failed poll", func() bool { return h.bot.Health() != nil })

	// After the back-off the bot polls again; an update ends that poll.
	chat := telegramtest.Private(piet)
	h.tg.PushText(chat, piet, "/hulp")
	h.tg.WaitSent(t, chat.ID, 1)
	waitUntil(t, "Healthy after a good poll", func() bool { return h.bot.Health() == nil })
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
