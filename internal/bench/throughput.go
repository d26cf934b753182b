package bench

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// Throughput runs /voortgang end to end: Chats group chats each send
// PerChat commands to the fake Bot API at once; the real Telegram adapter
// polls them, the runtime stores each entry in SQLite and the adapter
// sends the reply. The clock runs from the first update pushed to the last
// reply received.
//
// Telegram's outgoing flood limits (30 messages a second) are switched off
// here: they are the fan-out scenario's subject, and with them this would
// measure Telegram's limit instead of the bot.
type Throughput struct {
	Dir     string
	Chats   int
	PerChat int
}

// Run returns the commands per second (update in → row committed → reply
// sent).
func (s Throughput) Run(ctx context.Context) (perSec float64, err error) {
	tb := NewTB("throughput")
	defer tb.Close()
	defer recoverFailure(&err)
	quiet := slog.New(slog.DiscardHandler)

	path := filepath.Join(s.Dir, "throughput.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	ids, err := Seed{Collectives: s.Chats}.Run(ctx, db, path)
	if err != nil {
		return 0, err
	}
	fake := telegramtest.NewServer(tb)
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: db, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet},
		Store:   db,
		Logger:  quiet,
	}
	b, err := telegram.New(telegram.Config{
		Token: fake.Token, APIURL: fake.URL(), Logger: quiet, PollTimeout: time.Second,
		Limits: telegram.Limits{Global: rate.Inf, Chat: rate.Inf, Group: rate.Inf},
	}, rt)
	if err != nil {
		return 0, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	defer func() { stop(); <-done; rt.Wait() }()
	fake.WaitCalls(tb, "getUpdates", 1)

	total := s.Chats * s.PerChat
	start := time.Now()
	for k := range s.PerChat {
		for i := range s.Chats {
			chat := telegramtest.Group(TelegramGroup(i), fmt.Sprintf("Collectief %04d", i))
			from := telegramtest.User{ID: int64(10_000 + i), FirstName: "Lid", LanguageCode: "nl"}
			fake.PushText(chat, from, fmt.Sprintf("/voortgang Stap %d in de wijk #energie", k))
		}
	}
	sent := 0
	err = waitFor(ctx, 2*time.Minute, func() bool { sent = len(fake.Calls("sendMessage")); return sent >= total })
	elapsed := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("throughput: %d of %d replies after %s: %w", sent, total, elapsed.Round(time.Millisecond), err)
	}
	// Every reply is a confirmation and every entry is in the database.
	for _, m := range fake.AllSent() {
		if !strings.Contains(m.Shown, "Genoteerd") {
			return 0, fmt.Errorf("throughput: unexpected reply %q", m.Shown)
		}
	}
	n := 0
	for _, id := range ids {
		es, err := db.Entries(ctx, id, s.PerChat+1)
		if err != nil {
			return 0, err
		}
		n += len(es)
	}
	if n != total {
		return 0, fmt.Errorf("throughput: %d entries stored, want %d", n, total)
	}
	return float64(total) / elapsed.Seconds(), nil
}

// waitFor polls done every two milliseconds until it is true or timeout
// passes. (The fakes' own Wait helpers give up after 10 seconds.)
func waitFor(ctx context.Context, timeout time.Duration, done func() bool) error {
	deadline := time.Now().Add(timeout)
	for !done() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s", timeout)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}
