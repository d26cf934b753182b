package telegram_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// TestRepliesInFlightBounded: the replies to a burst of commands in many
// chats are sent at most Limits.InFlight at a time (with every rate limit
// off), and all of them arrive. Before the bound, the replies to a batch
// of 100 chats were 100 requests at once.
func TestRepliesInFlightBounded(t *testing.T) {
	const chats, bound = 12, 3
	held := telegramtest.HoldSends(bot.APITransport())
	h := newHarness(t, func(c *telegram.Config) {
		c.HTTPClient = &http.Client{Transport: held}
		c.Limits.InFlight = bound
	})
	h.start()
	var groups []telegramtest.Chat
	for i := range chats {
		g := telegramtest.Group(int64(-3000-i), fmt.Sprintf("Groep %d", i))
		groups = append(groups, g)
		h.tg.PushText(g, piet, "/voortgang een stap")
	}
	held.Flow(t, chats, bound)
	for _, g := range groups {
		h.tg.WaitSent(t, g.ID, 1)
	}
	if got := held.Most(); got != bound {
		t.Fatalf("%d replies were under way at once, want %d", got, bound)
	}
}

// TestInFlightDefault: without a bound configured the adapter keeps to
// DefaultInFlight, and that is a real bound (not 0, not "unbounded").
func TestInFlightDefault(t *testing.T) {
	if telegram.DefaultInFlight < 2 || telegram.DefaultInFlight > 64 {
		t.Fatalf("DefaultInFlight = %d", telegram.DefaultInFlight)
	}
	chats := telegram.DefaultInFlight + 4
	held := telegramtest.HoldSends(bot.APITransport())
	h := newHarness(t, func(c *telegram.Config) { c.HTTPClient = &http.Client{Transport: held} })
	h.start()
	for i := range chats {
		h.tg.PushText(telegramtest.Group(int64(-4000-i), fmt.Sprintf("Groep %d", i)), piet, "/voortgang een stap")
	}
	held.Flow(t, chats, telegram.DefaultInFlight)
	if got := held.Most(); got != telegram.DefaultInFlight {
		t.Fatalf("%d replies were under way at once, want %d", got, telegram.DefaultInFlight)
	}
}
