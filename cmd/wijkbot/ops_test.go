package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// lockedBuffer is Main's Err, written by the bot's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr returns a 127.0.0.1 address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestOperations runs the program with WIJKBOT_HTTP_ADDR and
// WIJKBOT_LOG_FORMAT=json: /healthz reports the database, /metrics counts
// a command by name and outcome, and every log line is JSON.
func TestOperations(t *testing.T) {
	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	logs := &lockedBuffer{}
	m := &Main{Err: logs, Out: io.Discard, Getenv: env(
		"WIJKBOT_DB", filepath.Join(t.TempDir(), "wijkbot.db"),
		"WIJKBOT_TELEGRAM_TOKEN", tg.Token,
		"WIJKBOT_TELEGRAM_API_URL", tg.URL(),
		"WIJKBOT_HTTP_ADDR", addr,
		"WIJKBOT_LOG_FORMAT", "json",
	)}
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.ParseFlags(ctx, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			if err := m.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	defer stop()

	get := func(path string) (int, string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + path)
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp.StatusCode, string(body)
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s: %v", path, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if status, body := get("/healthz"); status != http.StatusOK || !strings.Contains(body, `"database":"ok"`) || !strings.Contains(body, `"telegram":"ok"`) {
		t.Fatalf("/healthz = %d %s, want 200 with the database and telegram ok", status, body)
	}
	chat := telegramtest.Private(telegramtest.User{ID: 42, FirstName: "Piet"})
	tg.PushText(chat, telegramtest.User{ID: 42, FirstName: "Piet"}, "/hulp")
	tg.WaitSent(t, chat.ID, 1)
	_, metrics := get("/metrics")
	if !strings.Contains(metrics, `wijkbot_commands_handled_total{command="hulp",outcome="ok"} 1`) {
		t.Fatalf("/metrics does not count the /hulp:\n%s", metrics)
	}

	stop()
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		lines++
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Errorf("log line is no JSON: %q", sc.Text())
		}
	}
	if lines == 0 {
		t.Fatal("nothing logged")
	}
}

func TestParseFlagsOperations(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want time.Duration
		err  string
	}{
		{nil, 730 * 24 * time.Hour, ""},
		{[]string{"WIJKBOT_CHECKIN_RETENTION", "0"}, 0, ""},
		{[]string{"WIJKBOT_CHECKIN_RETENTION", "365d"}, 365 * 24 * time.Hour, ""},
		{[]string{"WIJKBOT_CHECKIN_RETENTION", "een jaar"}, 0, "WIJKBOT_CHECKIN_RETENTION"},
		{[]string{"WIJKBOT_LOG_FORMAT", "xml"}, 0, "WIJKBOT_LOG_FORMAT"},
	} {
		m := &Main{Out: io.Discard, Getenv: env(tc.env...)}
		err := m.ParseFlags(context.Background(), nil)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("env %v: error %v, want one naming %s", tc.env, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("env %v: %v", tc.env, err)
		case tc.err == "" && m.Config.CheckinRetention != tc.want:
			t.Errorf("env %v: retention %v, want %v", tc.env, m.Config.CheckinRetention, tc.want)
		}
	}
}
