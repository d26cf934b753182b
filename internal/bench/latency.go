package bench

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// Latency dispatches Interactions /voortgang slash commands at once, each
// in another collective's channel, through the fake Discord gateway to the
// real Discord adapter, and times each end to end: from the moment the fake
// sends the INTERACTION_CREATE event on the gateway until the fake has
// accepted a type-4 callback (the reply the user sees). An interaction the
// bot deferred (type 5: "thinking…") is no answer: it is counted apart, and
// a benchmark at this load treats any deferral as a failure.
//
// The interactions are made first and then sent together
// (discordtest.PrepareCommand, Dispatch): making an event is Discord's
// work, done on its machines, not on the bot's CPU while it answers the
// burst. The run then waits on the fake's changes (WaitAnswered) instead
// of polling it, for the same reason.
type Latency struct {
	Dir          string
	Interactions int
	// Deadline, when set, replaces Discord's 3 seconds in the fake: a test
	// on a loaded machine checks the yardstick, not the machine's speed.
	Deadline time.Duration
	// Stages, when set, receives where the time went.
	Stages *Stages
}

// LatencyResult is one latency run.
type LatencyResult struct {
	Answered []time.Duration // per interaction answered with a type-4 callback
	Deferred int             // interactions whose first accepted callback was a deferral
	// CPU is the process's CPU from the dispatch until the last answer,
	// the fake's included: with every interaction sent at once, the p99
	// is about the time the machine's cores need to do all of it.
	CPU CPUWindow
}

// Run returns the latencies of the interactions answered with a message
// and the number deferred.
func (s Latency) Run(ctx context.Context) (res LatencyResult, err error) {
	tb := NewTB("latency")
	defer tb.Close()
	defer recoverFailure(&err)
	quiet := slog.New(slog.DiscardHandler)

	fake := discordtest.NewServer(tb)
	if s.Deadline > 0 {
		fake.Deadline = s.Deadline
	}
	channels := make([]string, s.Interactions)
	for i := range channels {
		channels[i] = fake.AddChannel(fmt.Sprintf("collectief-%d", i))
	}
	path := filepath.Join(s.Dir, "latency.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if _, err := (Seed{Collectives: s.Interactions, DiscordChannels: channels}).Run(ctx, db, path); err != nil {
		return res, err
	}
	obs := &observedStore{DB: db, recv: map[string]time.Time{}, stored: map[string]time.Time{}}
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: obs, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet},
		Store:   obs,
		Logger:  quiet,
	}
	_, stop := fake.StartBot(tb, rt)
	defer func() { stop(); rt.Wait() }()
	fake.WaitConnected(tb)

	ids := make([]string, s.Interactions)
	for i, ch := range channels {
		m := discordtest.Member{ID: fmt.Sprint(30_000 + i), Username: fmt.Sprint("lid", i), Permissions: discordtest.PermSendMessages}
		ids[i] = fake.PrepareCommand(tb, ch, m, "voortgang", map[string]string{"tekst": "Buurtgesprek gehouden #zorg"})
	}
	clock, err := startCPU()
	if err != nil {
		return res, err
	}
	fake.Dispatch(tb, ids...)
	ins := fake.WaitAnswered(tb, ids...)
	cpu, err := clock.stop()
	if err != nil {
		return res, err
	}
	if res, err = InteractionLatencies(ins); err != nil {
		return res, err
	}
	res.CPU = cpu
	if s.Stages != nil {
		obs.mu.Lock()
		for _, in := range ins {
			ev := "discord:interaction:" + in.ID
			s.Stages.Received = append(s.Stages.Received, obs.recv[ev].Sub(in.DispatchedAt))
			s.Stages.Stored = append(s.Stages.Stored, obs.stored[ev].Sub(in.DispatchedAt))
		}
		obs.mu.Unlock()
	}
	return res, nil
}

// InteractionLatencies reads the yardstick off the fake's record: for each
// interaction, its first accepted callback must be a message (type 4), timed
// from the gateway dispatch to the fake's acceptance, or a deferral (type 5),
// counted in Deferred and not timed. Any other first callback, a refused
// callback or none at all is an error: the bot did not answer.
func InteractionLatencies(ins []discordtest.Interaction) (LatencyResult, error) {
	var res LatencyResult
	for _, in := range ins {
		if in.Rejected > 0 {
			return res, fmt.Errorf("latency: interaction %s: %d callbacks refused by the fake", in.ID, in.Rejected)
		}
		if len(in.Callbacks) == 0 {
			return res, fmt.Errorf("latency: interaction %s has no accepted callback", in.ID)
		}
		switch cb := in.Callbacks[0]; cb.Type {
		case discordtest.CallbackMessage:
			if cb.Message == nil || in.DispatchedAt.IsZero() || cb.At.Before(in.DispatchedAt) {
				return res, fmt.Errorf("latency: interaction %s: type-4 callback without a message or a time", in.ID)
			}
			res.Answered = append(res.Answered, cb.At.Sub(in.DispatchedAt))
		case discordtest.CallbackDeferred:
			res.Deferred++
		default:
			return res, fmt.Errorf("latency: interaction %s answered with callback type %d, want 4", in.ID, cb.Type)
		}
	}
	return res, nil
}

// Stages are, per interaction, the times from dispatch until the runtime
// first saw it and until its entry was committed.
type Stages struct {
	Received, Stored []time.Duration
}

// observedStore notes when the runtime first looks at an event and when
// an entry write returns.
type observedStore struct {
	*storage.DB
	mu           sync.Mutex
	recv, stored map[string]time.Time
}

func (o *observedStore) EventSeen(ctx context.Context, ev string) (bool, error) {
	now := time.Now()
	o.mu.Lock()
	if _, ok := o.recv[ev]; !ok {
		o.recv[ev] = now
	}
	o.mu.Unlock()
	return o.DB.EventSeen(ctx, ev)
}

func (o *observedStore) AddEntry(ctx context.Context, ev string, e *commands.Entry, by commands.UserRef) error {
	err := o.DB.AddEntry(ctx, ev, e, by)
	now := time.Now()
	o.mu.Lock()
	o.stored[ev] = now
	o.mu.Unlock()
	return err
}
