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
// successful reply.
//
// Telegram's outgoing flood limits (30 messages a second) are switched off
// here, as they are for the echo bot it is compared with: they are the
// fan-out scenario's subject, and with them this would measure Telegram's
// limit instead of the bot.
type Throughput struct {
	Dir     string
	Chats   int
	PerChat int
	// InFlight bounds the adapter's replies under way at once
	// (telegram.Limits.InFlight; 0 is its default).
	InFlight int
}

// ThroughputResult is one throughput run.
type ThroughputResult struct {
	PerSec  float64   // successful replies a second
	Replies int       // successful confirmations (HTTP 200, "Genoteerd")
	Stored  int       // entries found in the database afterwards
	Commits int64     // write transactions committed (each one fsync)
	Writes  int64     // writes those transactions held
	CPU     CPUWindow // the process's CPU over the timed window (the fake's included)
}

// Run returns the commands per second (update in → row committed → reply
// accepted by the fake).
func (s Throughput) Run(ctx context.Context) (res ThroughputResult, err error) {
	tb := NewTB("throughput")
	defer tb.Close()
	defer recoverFailure(&err)
	quiet := slog.New(slog.DiscardHandler)

	path := filepath.Join(s.Dir, "throughput.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return res, err
	}
	defer db.Close()
	ids, err := Seed{Collectives: s.Chats}.Run(ctx, db, path)
	if err != nil {
		return res, err
	}
	fake := telegramtest.NewServer(tb)
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: db, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet},
		Store:   db,
		Logger:  quiet,
	}
	// The database is the adapter's State, Chats and Asks as in
	// cmd/wijkbot: the bot stores its update offset after every batch,
	// and that write is part of what it costs. The short poll timeout only
	// lets a run end at once: the adapter's own client keeps its Timeout
	// for the polls, so a reply costs what it costs under cmd/wijkbot's 30 s.
	b, err := telegram.New(telegram.Config{
		Token: fake.Token, APIURL: fake.URL(), Logger: quiet, PollTimeout: time.Second,
		State: db, Chats: db, Asks: db,
		Limits: telegram.Limits{Global: rate.Inf, Chat: rate.Inf, Group: rate.Inf, InFlight: s.InFlight},
	}, rt)
	if err != nil {
		return res, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	defer func() { stop(); <-done; rt.Wait() }()
	fake.WaitCalls(tb, "getUpdates", 1)

	total := s.Chats * s.PerChat
	commits0, writes0 := db.CommitStats()
	clock, err := startCPU()
	if err != nil {
		return res, err
	}
	start := time.Now()
	pushCommands(fake, s.Chats, s.PerChat, "/voortgang Stap %d in de wijk #energie")
	elapsed, err := waitReplies(ctx, fake, total, start)
	if err != nil {
		return res, fmt.Errorf("throughput: %w", err)
	}
	if res.CPU, err = clock.stop(); err != nil {
		return res, err
	}
	commits, writes := db.CommitStats()
	res.Commits, res.Writes = commits-commits0, writes-writes0
	// Every reply is a confirmation and every entry is in the database.
	for _, m := range fake.AllSent() {
		if !strings.Contains(m.Shown, "Genoteerd") {
			return res, fmt.Errorf("throughput: unexpected reply %q", m.Shown)
		}
		res.Replies++
	}
	for _, id := range ids {
		es, err := db.Entries(ctx, id, s.PerChat+1)
		if err != nil {
			return res, err
		}
		res.Stored += len(es)
	}
	if res.Replies != total || res.Stored != total {
		return res, fmt.Errorf("throughput: %d replies and %d entries stored, want %d", res.Replies, res.Stored, total)
	}
	res.PerSec = float64(res.Replies) / elapsed.Seconds()
	return res, nil
}

// pushCommands queues perChat messages in each of chats groups, round
// by round, as members typing at once would.
func pushCommands(fake *telegramtest.Server, chats, perChat int, format string) {
	for k := range perChat {
		for i := range chats {
			chat := telegramtest.Group(TelegramGroup(i), fmt.Sprintf("Collectief %04d", i))
			from := telegramtest.User{ID: int64(10_000 + i), FirstName: "Lid", LanguageCode: "nl"}
			fake.PushText(chat, from, fmt.Sprintf(format, k))
		}
	}
}

// successfulSends counts the sendMessage calls the fake answered 200.
// waitReplies polls it every 2 ms during a run, so it counts in place:
// copying the fake's record of every call each time (Calls) allocated a
// seventh of all the memory of a throughput run, and the garbage
// collection it caused was paid by whichever bot was being measured.
func successfulSends(fake *telegramtest.Server) int {
	return fake.CountCalls("sendMessage", 200)
}

// waitReplies waits for total successful sendMessage calls and returns
// the time since start.
func waitReplies(ctx context.Context, fake *telegramtest.Server, total int, start time.Time) (time.Duration, error) {
	ok := 0
	err := waitFor(ctx, 2*time.Minute, func() bool { ok = successfulSends(fake); return ok >= total })
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, fmt.Errorf("%d of %d replies after %s: %w", ok, total, elapsed.Round(time.Millisecond), err)
	}
	if n := fake.CountCalls("sendMessage", 0); n != ok {
		return elapsed, fmt.Errorf("%d sendMessage calls failed", n-ok)
	}
	return elapsed, nil
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
