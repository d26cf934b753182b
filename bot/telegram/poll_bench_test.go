package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// BenchmarkPoll measures the serial phase between two batches: one
// getUpdates answering 100 pending updates (the fake encoding them, the
// adapter decoding them), as in the throughput scenario of wijkbench.
// Pushing the updates is not timed.
func BenchmarkPoll(b *testing.B) {
	fake := telegramtest.NewServer(b)
	tg, err := New(Config{Token: fake.Token, APIURL: fake.URL(), Logger: slog.New(slog.DiscardHandler)}, &bot.Runtime{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	offset := 0
	for b.Loop() {
		b.StopTimer()
		for i := range 100 {
			chat := telegramtest.Group(-1_000_000-int64(i), fmt.Sprintf("Collectief %04d", i))
			fake.PushText(chat, telegramtest.User{ID: int64(10_000 + i), FirstName: "Lid", LanguageCode: "nl"}, "/voortgang Stap 1 in de wijk #energie")
		}
		b.StartTimer()
		ups, err := tg.getUpdates(ctx, offset, time.Second)
		if err != nil || len(ups) != 100 {
			b.Fatalf("%d updates, err %v", len(ups), err)
		}
		offset = ups[len(ups)-1].UpdateID + 1
	}
}
