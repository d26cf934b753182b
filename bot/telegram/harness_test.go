package telegram_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// People and chats of the tests. Anna is a bot admin (WIJKBOT_ADMINS).
var (
	anna  = telegramtest.User{ID: 101, FirstName: "Anna", LastName: "de Staf", LanguageCode: "nl"}
	bram  = telegramtest.User{ID: 102, FirstName: "Bram", Username: "bram_begeleider"}
	piet  = telegramtest.User{ID: 201, FirstName: "Piet", LastName: "Pionier"}
	mo    = telegramtest.User{ID: 202, Username: "mo_noord"}
	staff = telegramtest.Supergroup(-1001000000001, "Staf WijkBV")
	noord = telegramtest.Group(-2001, "Bewoners Noord")
)

// harness is one bot on a real database, talking to a fake Bot API.
type harness struct {
	t      *testing.T
	tg     *telegramtest.Server
	db     *storage.DB
	rt     *bot.Runtime
	bot    *telegram.Bot
	cfg    telegram.Config
	sleeps *sleepLog

	cancel context.CancelFunc
	done   chan error
}

// sleepLog is the bot's Sleep: it records every wait and returns at once,
// so a 429 with retry_after is tested without waiting.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newHarness opens a database in a temp dir and builds (not starts) the bot.
func newHarness(t *testing.T, tune ...func(*telegram.Config)) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "wijkbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &harness{t: t, tg: telegramtest.NewServer(t), db: db, sleeps: &sleepLog{}}
	h.cfg = telegram.Config{
		Token:  h.tg.Token,
		APIURL: h.tg.URL(),
		Logger: quietLogger(),
		// Fast pacing: the tests are about what is sent, the pacing test
		// sets its own limits.
		Limits: telegram.Limits{Global: rate.Inf, Chat: rate.Inf, Group: rate.Inf},
		Sleep:  h.sleeps.sleep,
		State:  db,
		Chats:  db,
		Asks:   db,
	}
	for _, f := range tune {
		f(&h.cfg)
	}
	h.build()
	return h
}

// quietLogger drops logs: the tests assert on what users see.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// build makes a runtime and bot on the harness's database, as a restarted
// process would.
func (h *harness) build() {
	h.t.Helper()
	h.rt = &bot.Runtime{
		Handler: &commands.Handler{Store: h.db, Location: time.UTC, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quietLogger(),
			Charts: &chart.Renderer{}},
		Store:  h.db,
		Admins: map[string]bool{"telegram:101": true},
		Logger: quietLogger(),
	}
	b, err := telegram.New(h.cfg, h.rt)
	if err != nil {
		h.t.Fatalf("telegram.New: %v", err)
	}
	h.bot = b
}

// start runs the bot until stop or the end of the test.
func (h *harness) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	h.t.Cleanup(h.stop)
}

// stop shuts the bot down gracefully and waits for it and its deliveries.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Fatal("Run did not return within 10 s of its context ending")
	}
	h.rt.Wait()
}

// say sends text from a user in a chat and waits until the bot has sent
// want more messages to that chat; it returns the new ones.
func (h *harness) say(chat telegramtest.Chat, from telegramtest.User, text string, want int) []telegramtest.Sent {
	h.t.Helper()
	before := len(h.tg.Sent(chat.ID))
	id, _ := h.tg.PushText(chat, from, text)
	if want == 0 {
		h.tg.WaitConfirmed(h.t, id)
		h.rt.Wait()
		return nil
	}
	return h.tg.WaitSent(h.t, chat.ID, before+want)[before:]
}

// expect fails unless got contains every part.
func expect(t *testing.T, got string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(got, p) {
			t.Fatalf("message %q does not contain %q", got, p)
		}
	}
}
