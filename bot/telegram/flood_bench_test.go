package telegram_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// BenchmarkFloodOtherGroupReply measures how long a group waits for its
// reply while another group floods the bot (issue 16, item 8). Telegram's
// real pacing and the bot's real command limits are on: group A sends 25
// commands at once and one more with every measured command, more than
// the 20 messages a minute Telegram lets the bot answer in a group; each
// iteration a command in another group is timed until its reply arrives.
// It reports that latency's p50 and p99 (the README quotes them).
func BenchmarkFloodOtherGroupReply(b *testing.B) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "wijkbot.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tg := telegramtest.NewServer(b)
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: db, Location: time.UTC, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quietLogger()},
		Store:   db,
		Logger:  quietLogger(),
		Limits:  bot.DefaultLimits(),
	}
	tgBot, err := telegram.New(telegram.Config{Token: tg.Token, APIURL: tg.URL(), Logger: quietLogger(), State: db, Chats: db,
		PollTimeout: time.Second}, rt)
	if err != nil {
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- tgBot.Run(runCtx) }()
	defer func() { stop(); <-done }()

	flood := telegramtest.Group(-4000, "Drukke groep")
	member := func(i int) telegramtest.User {
		return telegramtest.User{ID: int64(5000 + i), FirstName: fmt.Sprint("Lid ", i)}
	}
	for i := range 25 {
		tg.PushText(flood, member(i), "/hulp")
	}
	tg.WaitSent(b, flood.ID, 1)

	var waits []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tg.PushText(flood, member(25+i), "/hulp")
		other := telegramtest.Group(int64(-6000-i), fmt.Sprint("Groep ", i))
		began := time.Now()
		tg.PushText(other, member(100000+i), "/hulp")
		tg.WaitSent(b, other.ID, 1)
		waits = append(waits, time.Since(began))
	}
	b.StopTimer()
	slices.Sort(waits)
	pct := func(p float64) float64 {
		return float64(waits[min(len(waits)-1, int(p*float64(len(waits))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(tg.Sent(flood.ID))), "flood-replies-sent")
}
