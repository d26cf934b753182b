package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/storage"
)

// A read-only database stops the bot at start-up with a message saying so
// and exit status 1, instead of a bot that apologises for every command
// (issue 16, item 11). Read-only by the file's header (write version 3), so
// it holds also when the tests run as root.
func TestReadOnlyDatabaseStopsStartUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte{3}, 18)
	f.Close()

	var stderr bytes.Buffer
	m := &Main{In: strings.NewReader("/hulp\n"), Out: io.Discard, Err: &stderr, Getenv: env("WIJKBOT_DB", path)}
	if code := run(ctx, m, []string{"console"}); code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "takes no writes") || !strings.Contains(stderr.String(), path) {
		t.Errorf("stderr does not say the database takes no writes:\n%s", stderr.String())
	}
}

// The health check of the database notices a write path that fails while
// reads still work: here another process holds SQLite's write lock.
func TestDatabaseHealthNoticesFailingWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Health(ctx); err != nil {
		t.Fatalf("probe of a healthy database: %v", err)
	}
	other, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(ctx, nil) // _txlock=immediate: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := db.State(ctx, "x"); err != nil {
		t.Fatalf("reads should still work: %v", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// Health is what /healthz runs; without damage found it is the probe.
	if err := db.Health(cctx); err == nil {
		t.Fatal("the probe wrote while another process held the write lock")
	}
}

// Damage in a page that start-up does not read is found by the whole-file
// check the bot runs once it is serving (issue 15, item 7: the check reads
// every page, seconds for a large database, so it no longer delays the
// start). The bot serves, logs the damage as an error with what to do, and
// /healthz reports the database as failing from then on.
func TestDamagedDatabaseReportedWhileRunning(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // pages of rows to damage, beyond what Open reads
		if err := db.SetState(ctx, fmt.Sprintf("rij-%d", i), strings.Repeat("een waarde die ruimte inneemt ", 3)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	garbage := bytes.Repeat([]byte{0x5a, 0xa5, 0x17}, 4096/3+1)[:4096]
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(garbage, fi.Size()-4096) // the last page: rows of state
	f.Close()

	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	logs := &lockedBuffer{}
	m := &Main{Err: logs, Out: io.Discard, Getenv: env(
		"WIJKBOT_DB", path,
		"WIJKBOT_TELEGRAM_TOKEN", tg.Token,
		"WIJKBOT_TELEGRAM_API_URL", tg.URL(),
		"WIJKBOT_HTTP_ADDR", addr,
	)}
	rctx, cancel := context.WithCancel(ctx)
	if err := m.ParseFlags(rctx, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(rctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		m.Close()
	}()

	// It serves: a command gets its answer.
	chat := telegramtest.Private(telegramtest.User{ID: 42, FirstName: "Piet"})
	tg.PushText(chat, telegramtest.User{ID: 42, FirstName: "Piet"}, "/hulp")
	tg.WaitSent(t, chat.ID, 1)

	// And the check finds the damage: /healthz turns 503 once it has run.
	var status int
	var body []byte
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if status = resp.StatusCode; status == http.StatusServiceUnavailable {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz = %d %s, still not failing; log:\n%s", status, body, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(string(body), `"database":"error"`) || !strings.Contains(string(body), `"telegram":"ok"`) {
		t.Errorf("/healthz = %d %s, want the database failing and telegram ok", status, body)
	}
	var damaged string
	for line := range strings.Lines(logs.String()) {
		if strings.Contains(line, "database damaged") {
			damaged = line
		}
	}
	if !strings.Contains(damaged, "level=ERROR") || !strings.Contains(damaged, "restore a backup") || !strings.Contains(damaged, path) {
		t.Errorf("no error-level log line saying the database is damaged, naming it and what to do; log:\n%s", logs.String())
	}
}
