//go:build unix

package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// Sizes of the crash test: 500 progress entries from 20 group chats.
const (
	crashChats   = 20
	crashPerChat = 25
	// crashKillAfter is how many acknowledgements the first process sends
	// before it is killed: into the run, far from its end. Replies leave
	// through per-chat queues at Telegram's pace (20 a minute in a group)
	// while polling goes on, so the kill comes early enough that updates
	// are still being stored.
	crashKillAfter = 30
)

// TestCrashDurability proves the durability promise with the real binary:
// 500 /voortgang commands arrive concurrently from 20 Telegram groups, the
// process is killed with SIGKILL early in the run, and a second process on the same
// database gets the updates Telegram never saw confirmed again. Every entry
// that was acknowledged is stored exactly once, every entry is stored in
// the end, nothing twice, and the database is intact.
//
// What it proves is idempotency across a process crash, not durability
// across a power cut: the OS page cache survives a SIGKILL, so every write
// the process made reaches the file even with synchronous=OFF. Power-cut
// durability rests on synchronous=FULL, which storage's
// TestConnectionsRunWithSynchronousFull checks on every connection.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary twice; skipped with -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildBinary(t, dir)

	// The programme exists before the bot starts: 20 collectives, each with
	// its Telegram group linked.
	dbPath := filepath.Join(dir, "wijkbot.db")
	groups := seedGroups(t, ctx, dbPath, crashChats, "Collectief %02d", -3000)

	tg := telegramtest.NewServer(t)
	// One person per group. They are bot admins only so the per-person and
	// per-chat command limits (bot/limits.go) let 25 commands in a few
	// seconds through: this test is about durability, not flood control.
	var people []telegramtest.User
	var admins []string
	for i := range crashChats {
		u := telegramtest.User{ID: int64(5000 + i), FirstName: fmt.Sprintf("Pionier%d", i)}
		people = append(people, u)
		admins = append(admins, "telegram:"+strconv.FormatInt(u.ID, 10))
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"WIJKBOT_DB=" + dbPath,
		"WIJKBOT_TELEGRAM_TOKEN=" + tg.Token,
		"WIJKBOT_TELEGRAM_API_URL=" + tg.URL(),
		"WIJKBOT_ADMINS=" + strings.Join(admins, ","),
		"WIJKBOT_TIMEZONE=UTC",
	}
	logs := filepath.Join(dir, "log")
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range []string{logs + "1", logs + "2"} {
				out, _ := os.ReadFile(name)
				t.Logf("%s:\n%s", filepath.Base(name), out)
			}
		}
	})

	// Once the first process has handled a quarter of the updates, its
	// next getUpdates (which would confirm the batch it just stored) gets
	// no answer: the kill then always finds a batch stored but not
	// confirmed, however fast the bot stores (it used to race the check).
	tg.HoldPolls(tg.NextUpdateID() + crashChats*crashPerChat/4)
	first := startBot(t, bin, env, logs+"1")
	began := time.Now()

	// The users type at the same time: in each round every group sends
	// its next message at once, so Telegram's queue mixes all 20 groups
	// as it would in a busy evening.
	type key struct {
		chat int64
		msg  int
	}
	texts := map[key]string{}
	updates := map[key]int{}
	var mu sync.Mutex
	for n := range crashPerChat {
		var wg sync.WaitGroup
		for i, g := range groups {
			wg.Add(1)
			go func() {
				defer wg.Done()
				text := fmt.Sprintf("voortgang groep %02d bericht %03d", i, n)
				update, msg := tg.PushText(g, people[i], "/voortgang "+text)
				mu.Lock()
				texts[key{g.ID, msg}] = text
				updates[key{g.ID, msg}] = update
				mu.Unlock()
			}()
		}
		wg.Wait()
	}

	// acked returns the texts whose acknowledgement (a reply to the command
	// message) Telegram received, and how many of those updates Telegram
	// has not seen confirmed (it will deliver them again).
	acked := func() (done map[string]bool, unconfirmed int) {
		done = map[string]bool{}
		confirmed := 0
		for _, c := range tg.Calls("getUpdates") {
			if off, _ := strconv.Atoi(c.Params["offset"]); off > confirmed {
				confirmed = off
			}
		}
		for _, s := range tg.AllSent() {
			k := key{s.ChatID, s.ReplyTo}
			if text, ok := texts[k]; ok && strings.Contains(s.Shown, "Genoteerd") {
				done[text] = true
				if updates[k] >= confirmed {
					unconfirmed++
				}
			}
		}
		return done, unconfirmed
	}
	// storedUnconfirmed counts the commands stored whose update Telegram
	// has not seen confirmed (read from the database: a reply may still
	// wait in its chat's queue when its command is stored).
	storedUnconfirmed := func() int {
		confirmed := 0
		for _, c := range tg.Calls("getUpdates") {
			if off, _ := strconv.Atoi(c.Params["offset"]); off > confirmed {
				confirmed = off
			}
		}
		mu.Lock()
		defer mu.Unlock()
		byText := map[string]int{}
		for k, text := range texts {
			byText[text] = updates[k]
		}
		n := 0
		for text := range countEntries(t, ctx, dbPath) {
			if u, ok := byText[text]; ok && u >= confirmed {
				n++
			}
		}
		return n
	}
	// Kill in the middle of a batch: some updates are stored (some also
	// answered) but not confirmed, so the restart must recognise them.
	waitUntil(t, 30*time.Second, "acknowledgements before the kill", func() bool {
		done, _ := acked()
		return len(done) >= crashKillAfter && storedUnconfirmed() > 0 && tg.HeldPolls() > 0
	})
	if err := first.Process.Kill(); err != nil { // SIGKILL: no shutdown, no confirmation
		t.Fatal(err)
	}
	first.Wait()
	beforeKill, replayed := acked()
	if len(beforeKill) >= crashChats*crashPerChat {
		t.Fatalf("the first process acknowledged all %d before it was killed; the kill proves nothing", len(beforeKill))
	}
	if tg.Pending() == 0 {
		t.Fatal("no update left unconfirmed at the kill; the restart replays nothing")
	}
	t.Logf("killed after %v: %d acknowledgements (%d of them not confirmed to Telegram), %d updates unconfirmed",
		time.Since(began), len(beforeKill), replayed, tg.Pending())

	// The restarted bot gets every unconfirmed update again, also those it
	// had handled before the kill.
	tg.ReleasePolls()
	second := startBot(t, bin, env, logs+"2")
	waitUntil(t, 50*time.Second, "every update confirmed after the restart", func() bool { return tg.Pending() == 0 })
	t.Logf("every update handled %v after the first start", time.Since(began))
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		out, _ := os.ReadFile(logs + "2")
		t.Fatalf("second process: %v\n%s", err, out)
	}

	if err := storage.CheckIntegrity(ctx, dbPath); err != nil {
		t.Fatalf("integrity check: %v", err)
	}
	stored := countEntries(t, ctx, dbPath)
	for text := range beforeKill {
		if stored[text] != 1 {
			t.Errorf("acknowledged %q is stored %d times, want exactly once", text, stored[text])
		}
	}
	total := 0
	for _, text := range texts {
		if stored[text] != 1 {
			t.Errorf("%q is stored %d times, want once", text, stored[text])
		}
		total += stored[text]
	}
	for text, n := range stored {
		if !strings.HasPrefix(text, "voortgang groep ") {
			t.Errorf("unexpected entry %q (%d times)", text, n)
		}
	}
	if total != crashChats*crashPerChat {
		t.Errorf("stored %d entries, want %d", total, crashChats*crashPerChat)
	}
}

// seedGroups creates n collectives, named by the format with their index,
// and links a Telegram group to each (ids firstID, firstID-1, …), through
// storage as the staff's /collectief and a group's /koppel would.
func seedGroups(t *testing.T, ctx context.Context, path string, n int, name string, firstID int64) []telegramtest.Chat {
	t.Helper()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	staff := commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Staf"}
	var groups []telegramtest.Chat
	for i := range n {
		code, err := commands.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		c := &commands.Collective{Name: fmt.Sprintf(name, i), Code: code}
		if err := db.CreateCollective(ctx, "", c, staff); err != nil {
			t.Fatal(err)
		}
		g := telegramtest.Group(firstID-int64(i), c.Name)
		ref := commands.ChatRef{Platform: commands.Telegram, ID: strconv.FormatInt(g.ID, 10)}
		if _, err := db.LinkChat(ctx, "", ref, g.Title, code, staff); err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g)
	}
	return groups
}

// startBot starts the binary with env, its log going to the file logPath.
func startBot(t *testing.T, bin string, env []string, logPath string) *exec.Cmd {
	t.Helper()
	log, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	cmd := exec.Command(bin, "run")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// waitUntil polls cond until it holds or the time is up.
func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// countEntries counts the stored entries by text, reading the file directly.
func countEntries(t *testing.T, ctx context.Context, path string) map[string]int {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT text, COUNT(*) FROM entries GROUP BY text`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var text string
		var n int
		if err := rows.Scan(&text, &n); err != nil {
			t.Fatal(err)
		}
		counts[text] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}

// buildBinary builds the real wijkbot binary into dir, as it ships (no
// cgo), for the tests that run and kill it. A missing go tool fails the
// test: it is what runs the tests, so its absence is a broken setup, not a
// reason to skip.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go tool to build the binary with: %v", err)
	}
	bin := filepath.Join(dir, "wijkbot")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
