package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/schedule"
)

// Scheduler constants; the defaults of its configurable durations are in
// period.go with their ranges.
const (
	DefaultTick = time.Minute
	// MaxDeliveryFailures is how often a message to one chat is tried when
	// the platform refuses it, once per tick.
	MaxDeliveryFailures = 3
)

// Scheduler posts the weekly check-ins, nudges, the staff digest and
// help-request alerts, each exactly once.
//
// Exactly once. Every scheduled message is first claimed in SQLite: a round
// by its UNIQUE (collective, scheduled time) row, a digest, nudge or alert by
// a unique key. Then, per chat, a delivery row is inserted before sending
// (its primary key is the per-chat lock) and completed with the message id
// after. A round still "claimed" on a later tick — its process crashed, or is
// still busy — is resumed by whoever sees it: chats that have a delivery row
// are skipped, the rest are sent, and the round is marked posted. So a crash
// before the claim, between claim and post, or after posting never gives a
// second post, and two processes on one database never both send to a chat.
// The one case resolved as "maybe sent": a crash in the instant between
// inserting a chat's delivery row and the platform call; that chat is not
// sent to again (a duplicate reminder is the worse failure).
//
// Which rounds are due is Schedule.Plan (catch-up, pause) and
// Schedule.Next (what happens in the skipped and doubled hour of a DST
// change). Runtime, Handler and Store are required.
type Scheduler struct {
	Runtime *Runtime
	// Handler renders the messages; its Location, DefaultSchedule and
	// DefaultLang apply.
	Handler *commands.Handler
	Store   SchedulerStore
	// Now is the clock (tests and the console's :klok move it).
	Now func() time.Time
	// Location is the programme time zone (WIJKBOT_TIMEZONE) in which
	// schedules are read; nil takes the Handler's.
	Location *time.Location

	CatchUp         time.Duration // a round less late than this is still posted
	NudgeAfter      time.Duration // one reminder when a round is unanswered this long
	DigestSchedule  string        // staff digest; "" is Friday 16:00
	UnclaimedAlert  time.Duration // raise a help request unclaimed this long
	UnansweredAlert time.Duration // raise a claimed request unanswered this long
	Tick            time.Duration // how often Start runs RunDue; 0: see tick

	Logger *slog.Logger
	// Metrics, if set, counts round outcomes ("posted", "missed", "failed").
	Metrics interface{ SchedulerRound(outcome string) }

	mu      sync.Mutex // one RunDue at a time in this process (tick and :klok)
	cron    *cron.Cron
	startup sync.WaitGroup
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scheduler) loc() *time.Location {
	switch {
	case s.Location != nil:
		return s.Location
	case s.Handler != nil && s.Handler.Location != nil:
		return s.Handler.Location
	}
	return time.UTC
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (s *Scheduler) count(outcome string) {
	if s.Metrics != nil {
		s.Metrics.SchedulerRound(outcome)
	}
}

// RunDue sends everything due at Now(): check-in rounds (catching up on
// those that fell due while the bot was down), nudges, the digest and
// alerts. It is idempotent: running it twice, in one process or two, sends
// nothing twice. Each part runs even when another fails; the errors are
// joined.
func (s *Scheduler) RunDue(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var errs []error
	sums, err := s.Store.Collectives(ctx)
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	// Where every collective's rounds stand, read at once for rounds and
	// nudges (a read per collective cost 0.5 s a tick at 10,000); those
	// whose rounds this tick records are read again where it matters.
	marks, err := s.Store.RoundMarks(ctx, now.Add(-orDefault(s.NudgeAfter, DefaultNudgeAfter)))
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	recorded := map[int64]bool{}
	for _, step := range []struct {
		name string
		run  func(context.Context, time.Time) error
	}{
		{"resume", s.resume},
		{"rounds", func(ctx context.Context, now time.Time) error { return s.runRounds(ctx, now, sums, marks, recorded) }},
		{"nudges", func(ctx context.Context, now time.Time) error { return s.runNudges(ctx, now, sums, marks, recorded) }},
		{"digest", s.runDigest},
		{"alerts", s.runAlerts},
		{"network", s.runNetwork},
	} {
		if err := step.run(ctx, now); err != nil {
			errs = append(errs, fmt.Errorf("scheduler %s: %w", step.name, err))
		}
	}
	return errors.Join(errs...)
}

// Start runs RunDue now and then every Tick (a minute) until Stop, through
// robfig/cron with panic recovery and without overlapping runs. The clock
// tick is all cron does here; which rounds are due is computed by
// Schedule.Plan, so a moved clock (:klok) is honoured too.
func (s *Scheduler) Start(ctx context.Context) {
	log := cronLogger{s.logger()}
	c := cron.New(
		cron.WithLocation(s.loc()),
		cron.WithLogger(log),
		cron.WithChain(cron.Recover(log), cron.SkipIfStillRunning(log)),
	)
	job := c.Schedule(cron.Every(s.tick()), cron.FuncJob(func() {
		if err := s.RunDue(ctx); err != nil {
			s.logger().Error("scheduled run failed", "err", err)
		}
	}))
	s.cron = c
	c.Start()
	// Catch up at once instead of a minute after start-up, through the same
	// chain, so it cannot overlap the first tick.
	s.startup.Add(1)
	go func() {
		defer s.startup.Done()
		c.Entry(job).WrappedJob.Run()
	}()
}

// WaitStartUp waits until the run Start began at once (the catch-up) has
// ended; at once when Start was not called.
func (s *Scheduler) WaitStartUp() {
	s.startup.Wait()
}

// tick is how often Start runs RunDue: Tick if set, else a minute, or the
// default schedule's interval when that is a faster "@every" (a
// demonstration with WIJKBOT_CHECKIN_SCHEDULE="@every 3s" then sees a
// check-in every 3 seconds, not every minute).
func (s *Scheduler) tick() time.Duration {
	if s.Tick > 0 {
		return s.Tick
	}
	if s.Handler != nil && s.Handler.DefaultSchedule != "" {
		if sched, err := schedule.Parse(s.Handler.DefaultSchedule, s.loc()); err == nil {
			if every := sched.Every(); every > 0 && every < DefaultTick {
				return every
			}
		}
	}
	return DefaultTick
}

// Stop stops the ticks and waits for a running RunDue to finish.
func (s *Scheduler) Stop() {
	if s.cron == nil {
		return
	}
	<-s.cron.Stop().Done()
	s.startup.Wait() // the start-up run is outside cron's bookkeeping
}

// cronLogger writes robfig/cron's logs to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
