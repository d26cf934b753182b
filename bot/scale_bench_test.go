package bot_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/scalecache"
	"github.com/wijkbv/wijkbot/storage"
)

// BenchmarkSchedulerTick10k is the scheduler's minutely run with nothing
// due, at 10,000 collectives with a year of history each: what an idle bot
// pays every minute. It runs on a copy of wijkbench's cached database
// (WIJKBOT_SCALE_DB names another file) and is skipped when that is
// absent: `go run ./cmd/wijkbench -only scale` generates it.
func BenchmarkSchedulerTick10k(b *testing.B) {
	path := scalecache.Copy(b, 10000, 1)
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// The end of the database's history, a Monday afternoon: the week's
	// round is posted, the next not due (bench.ScaleNow).
	now := func() time.Time { return time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) }
	db.Now = now
	quiet := slog.New(slog.DiscardHandler)
	h := &commands.Handler{Store: db, Now: now, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet}
	rt := &bot.Runtime{Handler: h, Store: db, Logger: quiet}
	sched := &bot.Scheduler{Runtime: rt, Handler: h, Store: db, Now: now, Location: time.UTC, Logger: quiet}
	if err := sched.RunDue(ctx); err != nil { // the same work as every later tick
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := sched.RunDue(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
