package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// Latency dispatches Interactions /voortgang slash commands at once, each
// in another collective's channel, through the fake Discord gateway to the
// real Discord adapter, and times each from its dispatch to the arrival of
// its interaction callback (Discord's 3-second deadline is on that
// callback), as the bot sends it to the fake's REST API.
type Latency struct {
	Dir          string
	Interactions int
	// Stages, when set, receives where the time went.
	Stages *Stages
}

// Run returns the latencies, one per interaction.
func (s Latency) Run(ctx context.Context) (lat []time.Duration, err error) {
	tb := NewTB("latency")
	defer tb.Close()
	defer recoverFailure(&err)
	quiet := slog.New(slog.DiscardHandler)

	fake := discordtest.NewServer(tb)
	channels := make([]string, s.Interactions)
	for i := range channels {
		channels[i] = fake.AddChannel(fmt.Sprintf("collectief-%d", i))
	}
	path := filepath.Join(s.Dir, "latency.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := (Seed{Collectives: s.Interactions, DiscordChannels: channels}).Run(ctx, db, path); err != nil {
		return nil, err
	}
	obs := &observedStore{DB: db, recv: map[string]time.Time{}, stored: map[string]time.Time{}}
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: obs, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet},
		Store:   obs,
		Logger:  quiet,
	}
	cb := &callbackTimes{at: map[string]time.Time{}}
	stop := startRecordingBot(tb, fake, rt, cb)
	defer func() { stop(); rt.Wait() }()
	fake.WaitConnected(tb)

	ids := make([]string, s.Interactions)
	sent := make([]time.Time, s.Interactions)
	for i, ch := range channels {
		m := discordtest.Member{ID: fmt.Sprint(30_000 + i), Username: fmt.Sprint("lid", i), Permissions: discordtest.PermSendMessages}
		sent[i] = time.Now()
		ids[i] = fake.Command(tb, ch, m, "voortgang", map[string]string{"tekst": "Buurtgesprek gehouden #zorg"})
	}
	if err := waitFor(ctx, time.Minute, func() bool { return cb.count() >= s.Interactions }); err != nil {
		return nil, fmt.Errorf("latency: %d of %d callbacks: %w", cb.count(), s.Interactions, err)
	}
	// The fake accepts a callback a moment after the bot sent it.
	for i, id := range ids {
		var in discordtest.Interaction
		if err := waitFor(ctx, 10*time.Second, func() bool { in = fake.Interaction(id); return len(in.Callbacks) > 0 || in.Rejected > 0 }); err != nil || in.Rejected > 0 {
			return nil, fmt.Errorf("latency: interaction %d has no accepted callback (%d rejected)", i, in.Rejected)
		}
		lat = append(lat, cb.get(id).Sub(sent[i]))
		obs.mu.Lock()
		ev := "discord:interaction:" + id
		if s.Stages != nil {
			s.Stages.Received = append(s.Stages.Received, obs.recv[ev].Sub(sent[i]))
			s.Stages.Stored = append(s.Stages.Stored, obs.stored[ev].Sub(sent[i]))
		}
		obs.mu.Unlock()
	}
	return lat, nil
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

// transportMu serialises the swap of http.DefaultTransport in
// startRecordingBot, so two Latency runs never see each other's wrapper.
var transportMu sync.Mutex

// startRecordingBot starts the Discord adapter with cb between it and
// the network. The adapter takes http.DefaultTransport once, in
// discord.New (behind its host rewrite), and offers no other way in; so
// the global is swapped only for the time of that call and put back
// before the run starts, also when StartBot fails. Other code in the
// process that reads http.DefaultTransport during those milliseconds
// would see cb, which passes everything on unchanged.
func startRecordingBot(tb *TB, fake *discordtest.Server, rt *bot.Runtime, cb *callbackTimes) (stop func()) {
	transportMu.Lock()
	defer transportMu.Unlock()
	cb.next = http.DefaultTransport
	http.DefaultTransport = cb
	defer func() { http.DefaultTransport = cb.next }()
	_, stop = fake.StartBot(tb, rt)
	return stop
}

// callbackTimes records the first callback of each interaction.
type callbackTimes struct {
	next http.RoundTripper
	mu   sync.Mutex
	at   map[string]time.Time
}

// RoundTrip implements http.RoundTripper.
func (c *callbackTimes) RoundTrip(r *http.Request) (*http.Response, error) {
	c.note(r.URL.Path)
	return c.next.RoundTrip(r)
}

// note records a request to /api/v*/interactions/{id}/{token}/callback.
func (c *callbackTimes) note(path string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != 6 || parts[2] != "interactions" || parts[5] != "callback" {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.at[parts[3]]; !ok {
		c.at[parts[3]] = now
	}
}

func (c *callbackTimes) count() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.at) }

func (c *callbackTimes) get(id string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at[id]
}
