package discordtest

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord"
)

// StartBot runs a discord.Bot for rt against the fake, registered with rt
// as the Discord sender, and waits until it has registered its commands.
// setup functions run before the bot connects. The bot stops when stop is
// called (a restart in a test) or else when the test ends. Other packages
// use it to put staff or pioneers on Discord in a test.
func (s *Server) StartBot(t testing.TB, rt *bot.Runtime, setup ...func(*discord.Bot)) (b *discord.Bot, stop func()) {
	t.Helper()
	logs := &testLog{t: t}
	b, err := discord.New(discord.Config{
		Token: s.Token, APIURL: s.URL, GuildID: s.GuildID,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}, rt)
	if err != nil {
		t.Fatalf("discord.New: %v", err)
	}
	for _, f := range setup {
		f(b)
	}
	// This bot's own registration and IDENTIFY are awaited below, not just
	// any: a bot started after another stopped must not be taken for ready
	// while the fake still lists the old connection (a dispatch would go to
	// the dead one), nor stopped with its registration still in flight.
	s.mu.Lock()
	identified, registered := s.identifies, s.overwrites
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("discord bot: %v", err)
			}
			logs.stop()
		})
	}
	t.Cleanup(stop)
	var stopped error
	s.waitFor(t, "command registration and the gateway session", func() bool {
		select {
		case stopped = <-done:
			done <- stopped
			return true
		default:
		}
		return s.overwrites > registered && s.identifies > identified
	})
	if stopped != nil {
		t.Fatalf("discord bot stopped: %v", stopped)
	}
	return b, stop
}

// testLog writes the bot's warnings and errors to the test log, until the
// test is over.
type testLog struct {
	t       testing.TB
	mu      sync.Mutex
	stopped bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Logf("%s", p)
	}
	return len(p), nil
}

func (l *testLog) stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
}
