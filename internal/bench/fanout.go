package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// Fanout makes Collectives check-in rounds fall due in the same minute,
// each collective with two Telegram groups, and runs the real scheduler,
// with the Telegram adapter at its default pacing, against the fake Bot
// API behind Telegram's flood limits (FloodLimit: 30 messages in any
// second, 20 in any minute per group, 429 beyond). The limiter is probed
// first (ProbeLimiter), and afterwards every group must have been admitted
// exactly one message, with no 429 and nothing refused.
type Fanout struct {
	Dir         string
	Collectives int
	// Limiter, when set, replaces Telegram's limits (NewWindows(30, 20)):
	// a test's deliberately broken limiter.
	Limiter func() Limiter
	// Log receives the bot's logs; nil discards them.
	Log *slog.Logger
}

// FanoutResult is what a fan-out run measured.
type FanoutResult struct {
	Elapsed  time.Duration // from the due minute's tick to the last check-in delivered
	Minimum  time.Duration // the least the limits allow for that many messages
	Chats    int           // groups that should receive a check-in
	Admitted int           // messages the limiter admitted
	TooMany  int           // 429 answers
}

// MinimumFanout is the least time n messages take under a limit of global
// messages in any second: the first global at once, every further global
// a second later.
func MinimumFanout(n, global int) time.Duration {
	if n <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(n)/float64(global))-1) * time.Second
}

// Run runs one fan-out.
func (s Fanout) Run(ctx context.Context) (res FanoutResult, err error) {
	tb := NewTB("fanout")
	defer tb.Close()
	defer recoverFailure(&err)
	quiet := s.Log
	if quiet == nil {
		quiet = slog.New(slog.DiscardHandler)
	}

	// Monday 10:00, the default check-in time, in the programme's zone.
	loc := time.UTC
	due := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	path := filepath.Join(s.Dir, "fanout.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return res, err
	}
	defer db.Close()
	const groups = 2
	if _, err := (Seed{Collectives: s.Collectives, TelegramGroups: groups, Now: due.Add(-time.Hour)}).Run(ctx, db, path); err != nil {
		return res, err
	}
	now := func() time.Time { return due.Add(time.Second) }
	db.Now = now

	fake := telegramtest.NewServer(tb)
	// The fake knows a chat once something happened in it: the bot joined.
	admin := telegramtest.User{ID: 77, FirstName: "Beheerder"}
	for i := range s.Collectives {
		for g := range groups {
			fake.PushMyChatMember(telegramtest.Group(TelegramGroupOf(i, g), fmt.Sprintf("Collectief %04d", i)), admin, "left", "member")
		}
	}
	newLimiter := s.Limiter
	if newLimiter == nil {
		newLimiter = func() Limiter { return NewWindows(30, 20) }
	}
	if err := ProbeLimiter(newLimiter()); err != nil {
		return res, err
	}
	flood, err := NewFloodLimit(fake.URL(), newLimiter())
	if err != nil {
		return res, err
	}
	defer flood.Close()
	handler := &commands.Handler{Store: db, Now: now, Location: loc, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quiet}
	rt := &bot.Runtime{Handler: handler, Store: db, Logger: quiet}
	if _, err := telegram.New(telegram.Config{Token: fake.Token, APIURL: flood.URL(), Logger: quiet}, rt); err != nil {
		return res, err
	}
	sched := &bot.Scheduler{Runtime: rt, Handler: handler, Store: db, Now: now, Location: loc, Logger: quiet}

	start := time.Now()
	if err := sched.RunDue(ctx); err != nil {
		return res, fmt.Errorf("fanout: RunDue: %w", err)
	}
	res.Chats = s.Collectives * groups
	delivered := func() int { return successfulSends(fake) }
	if err := waitFor(ctx, 5*time.Minute, func() bool { return delivered() >= res.Chats }); err != nil {
		return res, fmt.Errorf("fanout: %d of %d check-ins delivered: %w", delivered(), res.Chats, err)
	}
	res.Elapsed = time.Since(start)
	rt.Wait()
	for _, m := range fake.AllSent() {
		if !strings.Contains(strings.ToLower(m.Shown), "check-in") {
			return res, fmt.Errorf("fanout: a message that is no check-in: %q", m.Shown)
		}
	}
	var unreadable int
	res.Admitted, res.TooMany, unreadable = flood.Counts()
	res.Minimum = MinimumFanout(res.Chats, 30)
	return res, CheckFanout(res, fake.AllSent(), flood.Admitted(), unreadable, s.Collectives, groups)
}

// CheckFanout is what a fan-out figure claims: every group of every
// collective was admitted and sent exactly one message, nothing else was
// admitted and no message was refused as unreadable. (A 429 is the bot's
// failure, not the yardstick's: it is reported in TooMany.)
func CheckFanout(res FanoutResult, sent []telegramtest.Sent, admitted map[int64]int, unreadable, collectives, groups int) error {
	perChat := map[int64]int{}
	for _, m := range sent {
		perChat[m.ChatID]++
	}
	for i := range collectives {
		for g := range groups {
			chat := TelegramGroupOf(i, g)
			if perChat[chat] != 1 || admitted[chat] != 1 {
				return fmt.Errorf("fanout: group %d got %d messages, %d admitted; want exactly 1", chat, perChat[chat], admitted[chat])
			}
		}
	}
	if want := collectives * groups; len(sent) != want || res.Admitted != want || len(admitted) != want {
		return fmt.Errorf("fanout: %d sent, %d admitted to %d chats; want %d each", len(sent), res.Admitted, len(admitted), want)
	}
	if unreadable != 0 {
		return fmt.Errorf("fanout: %d messages refused with an unreadable chat", unreadable)
	}
	return nil
}
