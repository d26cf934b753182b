//go:build unix

package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/storage"
)

// standbyGroups is how many collectives the standby test schedules.
const standbyGroups = 3

// TestHotStandbyTakesOver runs two real processes on one database with
// check-ins every 2 s: the second waits as a hot standby while the first
// posts; the first is killed with SIGKILL mid-schedule; the standby takes
// over (the lease expires) and posts the remaining rounds, and every round
// reaches every group exactly once: each check-in Telegram received is the
// one delivery of its round to that chat (issue 16, item 12).
func TestHotStandbyTakesOver(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and waits for a lease to expire; skipped with -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildBinary(t, dir)

	dbPath := filepath.Join(dir, "wijkbot.db")
	groups := seedGroups(t, ctx, dbPath, standbyGroups, "Standby %d", -4000)
	tg := telegramtest.NewServer(t)
	for _, g := range groups {
		tg.AddChat(g)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"WIJKBOT_DB=" + dbPath,
		"WIJKBOT_TELEGRAM_TOKEN=" + tg.Token,
		"WIJKBOT_TELEGRAM_API_URL=" + tg.URL(),
		"WIJKBOT_TIMEZONE=UTC",
		"WIJKBOT_CHECKIN_SCHEDULE=@every 2s",
	}
	logs := filepath.Join(dir, "log")
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range []string{logs + "-actief", logs + "-standby"} {
				out, _ := os.ReadFile(name)
				t.Logf("%s:\n%s", filepath.Base(name), out)
			}
		}
	})
	checkins := func() map[int64][]telegramtest.Sent {
		got := map[int64][]telegramtest.Sent{}
		for _, g := range groups {
			for _, s := range tg.Sent(g.ID) {
				if strings.Contains(s.Shown, "check-in") {
					got[g.ID] = append(got[g.ID], s)
				}
			}
		}
		return got
	}
	fewest := func() int {
		n := -1
		for _, g := range groups {
			if c := len(checkins()[g.ID]); n < 0 || c < n {
				n = c
			}
		}
		return n
	}

	active := startBot(t, bin, env, logs+"-actief")
	waitUntil(t, 30*time.Second, "the active process posting check-ins", func() bool { return fewest() >= 2 })
	standby := startBot(t, bin, env, logs+"-standby")
	waitUntil(t, 30*time.Second, "the second process waiting as a hot standby", func() bool {
		out, _ := os.ReadFile(logs + "-standby")
		return strings.Contains(string(out), "hot standby")
	})
	// Mid-schedule: a few more rounds from the active one, then the kill.
	atStandby := fewest()
	waitUntil(t, 30*time.Second, "more rounds with the standby waiting", func() bool { return fewest() >= atStandby+2 })
	if err := active.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	active.Wait()
	killed := time.Now()
	atKill := fewest()

	waitUntil(t, 45*time.Second, "the standby posting after the kill", func() bool { return fewest() >= atKill+2 })
	t.Logf("the standby posted its first rounds %v after the kill", time.Since(killed).Round(100*time.Millisecond))
	out, _ := os.ReadFile(logs + "-standby")
	if !strings.Contains(string(out), "taken over") {
		t.Error("the standby's log does not say it took over")
	}
	if err := standby.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := standby.Wait(); err != nil {
		t.Fatalf("standby: %v", err)
	}

	// Exactly once: every check-in message is the one delivery of its
	// round to its chat (the delivery's primary key is round × chat).
	raw, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, g := range groups {
		rows, err := raw.QueryContext(ctx, `SELECT COALESCE(message_id, ''), round_id, status FROM scheduler_deliveries
			WHERE platform = 'telegram' AND chat_id = ? AND round_id IS NOT NULL`, strconv.FormatInt(g.ID, 10))
		if err != nil {
			t.Fatal(err)
		}
		// A delivery still "sending" was cut off by the kill between the
		// send and its record: its message may or may not have reached
		// Telegram, and the round is never posted again (at most once). So
		// each such delivery excuses at most one unrecorded message.
		delivered := map[string]int64{}
		interrupted := 0
		for rows.Next() {
			var msg, status string
			var round int64
			if err := rows.Scan(&msg, &round, &status); err != nil {
				t.Fatal(err)
			}
			switch status {
			case "sent":
				delivered[msg] = round
			case "sending":
				interrupted++
			}
		}
		rows.Close()
		sent := checkins()[g.ID]
		seen := map[int64]bool{}
		for _, s := range sent {
			round, ok := delivered[strconv.Itoa(s.MessageID)]
			if !ok {
				if interrupted > 0 {
					interrupted--
					continue
				}
				t.Errorf("%s: check-in message %d is no round's delivery (posted twice?)", g.Title, s.MessageID)
				continue
			}
			if seen[round] {
				t.Errorf("%s: round %d posted twice", g.Title, round)
			}
			seen[round] = true
		}
		if len(sent) < atKill+2 {
			t.Errorf("%s: %d check-ins, want more than the %d before the kill", g.Title, len(sent), atKill)
		}
		t.Logf("%s: %d check-ins, %d rounds delivered", g.Title, len(sent), len(delivered))
	}
	if err := storage.CheckIntegrity(ctx, dbPath); err != nil {
		t.Fatal(err)
	}
}
