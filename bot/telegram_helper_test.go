package bot_test

import (
	"context"
	"log/slog"
	"testing"

	"golang.org/x/time/rate"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// startTelegram runs a Telegram adapter for rt against a fake Bot API,
// unpaced (these tests are about what arrives, not when), until the test
// ends; the adapter's run must end without error.
func startTelegram(t *testing.T, rt *bot.Runtime) *telegramtest.Server {
	t.Helper()
	tg, _ := startTelegramBot(t, rt)
	return tg
}

// startTelegramBot is startTelegram that also returns the adapter.
func startTelegramBot(t *testing.T, rt *bot.Runtime) (*telegramtest.Server, *telegram.Bot) {
	t.Helper()
	tg := telegramtest.NewServer(t)
	b, err := telegram.New(telegram.Config{Token: tg.Token, APIURL: tg.URL(), Logger: slog.New(slog.DiscardHandler),
		Limits: telegram.Limits{Global: rate.Inf, Chat: rate.Inf, Group: rate.Inf},
		State:  rt.Store.(telegram.State), Chats: rt.Store.(telegram.ChatKeeper)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("telegram: %v", err)
		}
	})
	return tg, b
}
