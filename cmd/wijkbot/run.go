package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/console"
	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
	"github.com/wijkbv/wijkbot/ops"
	"github.com/wijkbv/wijkbot/storage"
	"github.com/wijkbv/wijkbot/web"
)

// Main is the program: configuration, wiring and shutdown. Its exported
// fields are there for tests, which run the whole program in-process.
type Main struct {
	// Config is filled in by ParseFlags.
	Config Config

	// In and Out are the console's terminal; Err receives logs and usage
	// errors. NewMain sets them to the process's standard streams.
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Getenv reads the environment (os.Getenv unless a test replaces it).
	Getenv func(string) string
	// Clock is the time of the whole program; the console's :klok moves it.
	Clock *bot.Clock
	// ImageDir is where the console writes images and files; "" means a
	// new temporary directory.
	ImageDir string

	// LeaseTTL is the lease of the active process (bot.Lease); 0 is
	// bot.DefaultLeaseTTL.
	LeaseTTL time.Duration

	db        *storage.DB
	lease     *bot.Lease
	runtime   *bot.Runtime
	scheduler *bot.Scheduler
	cancel    context.CancelFunc // stops the adapters
	adapters  sync.WaitGroup
}

// NewMain returns a Main on the process's standard streams and environment.
func NewMain() *Main {
	return &Main{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv, Clock: &bot.Clock{}}
}

func (m *Main) getenv(name string) string {
	if m.Getenv == nil {
		return os.Getenv(name)
	}
	return m.Getenv(name)
}

func (m *Main) out() io.Writer {
	if m.Out == nil {
		return os.Stdout
	}
	return m.Out
}

func (m *Main) errOut() io.Writer {
	if m.Err == nil {
		return os.Stderr
	}
	return m.Err
}

// Run opens the database and runs the configured platforms until ctx is
// cancelled, an adapter fails, or (for the console) the input ends. Call
// Close afterwards, also when Run failed.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.Config
	if cfg.Location == nil {
		return errors.New("run: configuration missing; call ParseFlags first")
	}
	if m.Clock == nil {
		m.Clock = &bot.Clock{}
	}
	level := new(slog.LevelVar)
	logger, err := ops.NewLogger(cfg.LogFormat, m.errOut(), level)
	if err != nil {
		return err
	}

	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	m.db = db
	db.Now = m.Clock.Now
	// A read-only file would otherwise start and then apologise for every
	// command (issue 16, item 11): stop here, exit status 1. A file whose
	// header or schema is damaged has failed Open already. Damage elsewhere
	// is for verify, once the bot runs: the whole-file check takes seconds
	// on a large database, during which nobody would be served (issue 15).
	if err := db.CheckWritable(ctx); err != nil {
		return fmt.Errorf("database %s: %w", cfg.DB, err)
	}

	charts := &chart.Renderer{Now: m.Clock.Now, Location: cfg.Location}
	handler := &commands.Handler{
		Store:           db,
		Now:             m.Clock.Now,
		Location:        cfg.Location,
		DefaultLang:     cfg.Lang,
		DefaultSchedule: cfg.Schedule,
		Charts:          charts,
		Exporter:        export.Files{},
		Logger:          logger,
	}
	if cfg.HTTPAddr != "" {
		handler.WebURL = cfg.WebURL
	}
	m.runtime = &bot.Runtime{Handler: handler, Store: db, Admins: cfg.Admins, Logger: logger}

	// The scheduler outlives a cancelled ctx until Close stops it, so a
	// round being posted at shutdown is finished rather than cut off.
	m.scheduler = &bot.Scheduler{Runtime: m.runtime, Handler: handler, Store: db, Now: m.Clock.Now, Location: cfg.Location, Logger: logger,
		DigestSchedule: cfg.DigestSchedule, CatchUp: cfg.CatchUp, NudgeAfter: cfg.NudgeAfter,
		UnclaimedAlert: cfg.UnclaimedAlert, UnansweredAlert: cfg.UnansweredAlert}
	schedCtx := context.WithoutCancel(ctx)

	ctx, m.cancel = context.WithCancel(ctx)
	var runners []func(context.Context) error
	var adapters []bot.Adapter
	// health holds the checks of /healthz: the database and each platform.
	health := map[string]ops.Check{
		// A write, not a read: a full disk or a lost write lock leaves
		// reads working while no command can be stored.
		"database": db.Health,
	}
	if cfg.Command == cmdRun {
		if cfg.TelegramToken != "" {
			// The database keeps Telegram's update offset and follows its
			// chat migrations and the questions its buttons ask, so a
			// restart neither repeats nor skips nor forgets.
			t, err := telegram.New(telegram.Config{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, Logger: logger, State: db, Chats: db, Asks: db}, m.runtime)
			if err != nil {
				return err
			}
			handler.DeepLink = t.DeepLink // expert invites carry a t.me link
			adapters = append(adapters, t)
		}
		if cfg.DiscordToken != "" {
			d, err := discord.New(discord.Config{Token: cfg.DiscordToken, APIURL: cfg.DiscordAPIURL, GuildID: cfg.DiscordGuild, Logger: logger}, m.runtime)
			if err != nil {
				return err
			}
			adapters = append(adapters, d)
		}
	}
	for _, a := range adapters {
		runners = append(runners, a.Run)
		health[a.Platform()] = func(context.Context) error { return a.Health() }
	}
	// Once the bot serves and the scheduler's catch-up run is over, the
	// whole-file check (verify), then the deletion of old check-in answers,
	// at start and daily (WIJKBOT_CHECKIN_RETENTION). One after the other:
	// each reads much of a large file, and side by side with the catch-up
	// run their memory adds up (issue 15: 10 MiB more at rest with 10,000
	// collectives). Called after the scheduler's Start, in the active
	// process only (a hot standby waits for the lease first).
	background := func(ctx context.Context) {
		retention := &bot.Retention{Store: db, Keep: cfg.CheckinRetention, Now: m.Clock.Now, Logger: logger}
		m.adapters.Go(func() {
			m.scheduler.WaitStartUp()
			m.verify(ctx, logger)
			retention.Run(ctx)
		})
	}
	// The HTTP server: health, metrics and the web pages, next to the chat
	// platforms and next to the console alike.
	var serveHTTP func(context.Context) error
	if cfg.HTTPAddr != "" {
		metrics := ops.NewMetrics()
		m.runtime.Observer = metrics
		m.scheduler.Metrics = metrics
		pages := &web.Server{App: handler, Runner: m.runtime, Charts: charts,
			SLA:     commands.SLA{Unclaimed: cfg.UnclaimedAlert, Unanswered: cfg.UnansweredAlert},
			BaseURL: cfg.WebURL, Logger: logger}
		srv := &ops.Server{Addr: cfg.HTTPAddr, Metrics: metrics, Pages: pages.Handler(), Logger: logger,
			Health: func(ctx context.Context) map[string]error { return ops.RunChecks(ctx, health) }}
		serveHTTP = srv.Run
	}
	if len(runners) > 0 {
		// Residents and staff on chat platforms; the console needs no limits.
		m.runtime.Limits = bot.DefaultLimits()
		if serveHTTP != nil {
			runners = append(runners, serveHTTP)
		}
		// One active process per database (issue 16, item 12): a second
		// `wijkbot run` on the same file waits here as a hot standby,
		// polling no platform and posting nothing, and takes over when the
		// active one stops (it releases the lease) or dies (the lease
		// expires). Rounds stay exactly-once through their claims also in
		// the moment of a takeover.
		m.lease = &bot.Lease{Store: db, TTL: m.LeaseTTL, Logger: logger}
		if err := m.lease.Wait(ctx); err != nil {
			return nil // stopped while on standby
		}
		runners = append(runners, m.lease.Hold)
		m.scheduler.Start(schedCtx)
		background(ctx)
		return m.runAll(ctx, runners)
	}

	// The console's transcript already shows what happened; only trouble
	// is worth a log line between its lines.
	level.Set(slog.LevelWarn)
	interactive := isTerminal(m.In)
	c := &console.Console{
		In:          m.In,
		Out:         m.out(),
		Runtime:     m.runtime,
		Clock:       m.Clock,
		Tick:        m.scheduler.RunDue,
		ImageDir:    m.ImageDir,
		Location:    cfg.Location,
		Lang:        cfg.Lang,
		Interactive: interactive,
		Logger:      logger,
	}
	// Registered before the scheduler starts, so what it finds due at once
	// has somewhere to go.
	m.runtime.Register(c)
	if interactive {
		// In a terminal check-ins arrive as time passes (and at :klok); a
		// piped script runs the scheduler only at :klok, so it replays the
		// same way every time.
		m.scheduler.Start(schedCtx)
	}
	background(ctx)
	consoleRunners := []func(context.Context) error{c.Run}
	if serveHTTP != nil {
		consoleRunners = append(consoleRunners, serveHTTP)
	}
	return m.runAll(ctx, consoleRunners)
}

// verify checks the whole database file (storage.DB.Verify) while the bot
// runs. Damage found then cannot stop a start that has happened: it is
// logged as an error, and /healthz's "database" fails from then on, so the
// operator's monitoring sees it. The bot keeps serving what the sound pages
// allow rather than leave everyone without an answer; the fix, restoring a
// backup, is the operator's.
func (m *Main) verify(ctx context.Context, logger *slog.Logger) {
	start := time.Now()
	err := m.db.Verify(ctx)
	switch {
	case ctx.Err() != nil: // stopping; the next start checks again
	case err != nil:
		logger.Error("database damaged; restore a backup (wijkbot restore)", "db", m.Config.DB, "err", err)
	default:
		logger.Info("database checked", "took", time.Since(start).Round(time.Millisecond))
	}
}

// runAll runs the adapters side by side and returns when the first one
// returns (the console at the end of its input, any adapter on failure) or
// ctx is cancelled. Close stops the others.
func (m *Main) runAll(ctx context.Context, runners []func(context.Context) error) error {
	done := make(chan error, len(runners))
	for _, run := range runners {
		m.adapters.Add(1)
		go func() {
			defer m.adapters.Done()
			done <- run(ctx)
		}()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return nil
	}
}

// Close shuts down in reverse order of start-up: scheduler, adapters (and
// the deliveries they started), database.
func (m *Main) Close() error {
	if m.scheduler != nil {
		m.scheduler.Stop()
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.adapters.Wait()
	if m.runtime != nil {
		m.runtime.Wait()
	}
	if m.lease != nil && m.db != nil {
		// Nothing of ours runs any more: a standby may take over at once.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := m.lease.Release(ctx); err != nil {
			m.errOut().Write([]byte("wijkbot: release lease: " + err.Error() + "\n"))
		}
		cancel()
		m.lease = nil
	}
	if m.db != nil {
		if err := m.db.Close(); err != nil {
			return fmt.Errorf("close database: %w", err)
		}
		m.db = nil
	}
	return nil
}

// isTerminal reports whether r is an interactive terminal (not a pipe or
// file), so the console shows prompts instead of echoing lines.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
