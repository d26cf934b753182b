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

// Fanout makes Collectives check-in rounds fall due in the same minute and
// runs the real scheduler, with the Telegram adapter at its default pacing,
// against the fake Bot API behind Telegram's flood limits (FloodLimit: 30
// messages in any second, 20 in any minute per group, 429 beyond).
type Fanout struct {
	Dir         string
	Collectives int
	// Log receives the bot's logs; nil discards them.
	Log *slog.Logger
}

// FanoutResult is what a fan-out run measured.
type FanoutResult struct {
	Elapsed time.Duration // from the due minute's tick to the last check-in delivered
	Minimum time.Duration // the least the limits allow for that many messages
	TooMany int           // 429 answers
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
	if _, err := (Seed{Collectives: s.Collectives, Now: due.Add(-time.Hour)}).Run(ctx, db, path); err != nil {
		return res, err
	}
	now := func() time.Time { return due.Add(time.Second) }
	db.Now = now

	fake := telegramtest.NewServer(tb)
	// The fake knows a chat once something happened in it: the bot joined.
	admin := telegramtest.User{ID: 77, FirstName: "Beheerder"}
	for i := range s.Collectives {
		fake.PushMyChatMember(telegramtest.Group(TelegramGroup(i), fmt.Sprintf("Collectief %04d", i)), admin, "left", "member")
	}
	flood, err := NewFloodLimit(fake.URL(), 30, 20)
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
	delivered := func() int {
		n := 0
		for _, c := range fake.Calls("sendMessage") {
			if c.Status == 200 {
				n++
			}
		}
		return n
	}
	if err := waitFor(ctx, 5*time.Minute, func() bool { return delivered() >= s.Collectives }); err != nil {
		return res, fmt.Errorf("fanout: %d of %d check-ins delivered: %w", delivered(), s.Collectives, err)
	}
	res.Elapsed = time.Since(start)
	rt.Wait()
	for _, m := range fake.AllSent() {
		if !strings.Contains(strings.ToLower(m.Shown), "check-in") {
			return res, fmt.Errorf("fanout: a message that is no check-in: %q", m.Shown)
		}
	}
	if n := len(fake.AllSent()); n != s.Collectives {
		return res, fmt.Errorf("fanout: %d messages sent, want %d", n, s.Collectives)
	}
	_, res.TooMany = flood.Counts()
	res.Minimum = MinimumFanout(s.Collectives, 30)
	return res, nil
}
