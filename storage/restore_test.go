//go:build unix

package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/storage"
)

// helperEnv makes the test binary the writer process of
// TestRestoreAfterKill instead of running the tests.
const helperEnv = "WIJKBOT_RESTORE_HELPER_DB"

// openerEnv makes the test binary a process that has the database open
// without the run lease, as a console does (TestRestoreRefusesOpenDatabase).
const openerEnv = "WIJKBOT_RESTORE_OPENER_DB"

// restoreRows is how many acknowledged writes the killed process made.
const restoreRows = 200

// TestMain lets the test binary play a bot process that writes and is
// killed (TestRestoreAfterKill).
func TestMain(m *testing.M) {
	if path := os.Getenv(helperEnv); path != "" {
		writeThenHang(path)
		return
	}
	if path := os.Getenv(openerEnv); path != "" {
		openUntilEOF(path)
		return
	}
	os.Exit(m.Run())
}

// writeThenHang writes restoreRows acknowledged rows, says "ok" on stdout
// and waits to be killed, so the rows stay in the -wal (no checkpoint at
// close).
func writeThenHang(path string) {
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	for i := range restoreRows {
		if err := db.SetState(ctx, "rij-"+strconv.Itoa(i), "erkend"); err != nil {
			fmt.Println("write:", err)
			os.Exit(1)
		}
	}
	fmt.Println("ok")
	select {}
}

// openUntilEOF opens the database, writes once, says "ok" on stdout and
// keeps it open until its standard input ends, as a console does.
func openUntilEOF(path string) {
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	if err := db.SetState(ctx, "versie", "console"); err != nil {
		fmt.Println("write:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
}

// countState counts the rows the writer made, in the database at path.
func countState(t *testing.T, path string) int {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	for i := range restoreRows {
		v, err := db.State(context.Background(), "rij-"+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		if v == "erkend" {
			n++
		}
	}
	return n
}

// Restoring a copy of a live database (the file and its -wal, copied
// while a bot process had it open, here one killed with SIGKILL so nothing
// was checkpointed) brings back every acknowledged row: the restore works
// from a checkpointed copy, not from the main file alone (issue 16, item 2).
func TestRestoreAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a writer process")
	}
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+live)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ok" {
		t.Fatalf("writer: %q", line)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no checkpoint, no close
		t.Fatal(err)
	}
	cmd.Wait()

	// The operator copies the files as they are.
	copyDir := filepath.Join(dir, "kopie")
	if err := os.Mkdir(copyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(copyDir, "live.db")
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(live + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if suffix == "-wal" && len(data) == 0 {
			t.Fatal("the killed writer left an empty -wal; the test proves nothing")
		}
		if err := os.WriteFile(backup+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	walBefore, _ := os.ReadFile(backup + "-wal")
	mainBefore, _ := os.ReadFile(backup)

	target := filepath.Join(dir, "hersteld.db")
	if _, err := storage.Restore(context.Background(), backup, target); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if fi, err := os.Stat(target + suffix); err == nil && fi.Size() > 0 && suffix == "-wal" {
			t.Errorf("the restored database has a non-empty %s: it must be one checkpointed file", suffix)
		}
	}
	if got := countState(t, target); got != restoreRows {
		t.Fatalf("restored %d of %d acknowledged rows", got, restoreRows)
	}
	// The backup stays as it was, -wal included.
	if got, _ := os.ReadFile(backup); !bytes.Equal(got, mainBefore) {
		t.Error("the restore changed the backup file")
	}
	if got, _ := os.ReadFile(backup + "-wal"); !bytes.Equal(got, walBefore) {
		t.Error("the restore changed the backup's -wal")
	}
}

// A restore never replaces or follows anything: two restores in the same
// second keep both replaced databases, and a symlink planted where a
// temporary file could be expected is left alone with its target
// untouched (issue 16, item 2).
func TestRestoreNeverReplacesOrFollows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "wijkbot.db")
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetState(ctx, "versie", "eerste"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()

	victim := filepath.Join(dir, "slachtoffer")
	if err := os.WriteFile(victim, []byte("niet aankomen"), 0o600); err != nil {
		t.Fatal(err)
	}
	planted := []string{dbPath + ".restoring", dbPath + ".restoring-wal"}
	stamp := time.Now().UTC()
	for _, d := range []time.Duration{0, time.Second} {
		planted = append(planted, dbPath+".before-restore-"+stamp.Add(d).Format("20060102T150405Z")+"-wal")
	}
	for _, p := range planted {
		if err := os.Symlink(victim, p); err != nil {
			t.Fatal(err)
		}
	}

	var kept []string
	for i := range 3 {
		setVersion(t, dbPath, fmt.Sprintf("voor herstel %d", i))
		k, err := storage.Restore(ctx, backup, dbPath)
		if err != nil {
			t.Fatalf("restore %d: %v", i, err)
		}
		kept = append(kept, k)
	}
	seen := map[string]bool{}
	for i, k := range kept {
		if seen[k] {
			t.Fatalf("restores kept the replaced database under the same name %s: %q", k, kept)
		}
		seen[k] = true
		if got := version(t, k); got != fmt.Sprintf("voor herstel %d", i) {
			t.Errorf("kept copy %d (%s) holds %q", i, k, got)
		}
	}
	if got := version(t, dbPath); got != "eerste" {
		t.Errorf("restored database holds %q, want the backup's", got)
	}
	if got, _ := os.ReadFile(victim); string(got) != "niet aankomen" {
		t.Errorf("a planted symlink was followed: its target holds %q", got)
	}
	for _, p := range planted {
		if fi, err := os.Lstat(p); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("planted symlink %s was replaced or removed (err %v)", p, err)
		}
	}
}

func setVersion(t *testing.T, path, v string) {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetState(context.Background(), "versie", v); err != nil {
		t.Fatal(err)
	}
}

func version(t *testing.T, path string) string {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := db.State(context.Background(), "versie")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A restore onto the database of a running bot (one that holds the run
// lease) is refused: the bot would go on writing to the replaced file.
func TestRestoreRefusesRunningBot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "wijkbot.db")
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if held, _, err := db.AcquireLease(ctx, "run", "draaiende-bot", time.Minute); err != nil || !held {
		t.Fatalf("lease: %v %v", held, err)
	}
	if _, err := storage.Restore(ctx, backup, dbPath); err == nil || !strings.Contains(err.Error(), "stop it first") {
		t.Fatalf("Restore under a running bot: %v, want a refusal", err)
	}
	if err := db.ReleaseLease(ctx, "run", "draaiende-bot"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := storage.Restore(ctx, backup, dbPath); err != nil {
		t.Fatalf("Restore after the bot stopped: %v", err)
	}
}

// A restore onto a database that another process has open without the run
// lease (a console: `wijkbot` without a token) is refused with a Dutch and
// an English message naming the process where the system says (Linux),
// and changes nothing; once that process has closed it, the restore goes
// ahead. Before, only the lease was checked, and the console went on
// writing to the replaced file.
func TestRestoreRefusesOpenDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a second process")
	}
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "wijkbot.db")
	setVersion(t, dbPath, "eerste")
	backup := filepath.Join(dir, "backup.db")
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()

	console := exec.Command(os.Args[0], "-test.run=^$")
	console.Env = append(os.Environ(), openerEnv+"="+dbPath)
	stdin, err := console.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := console.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := console.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { console.Process.Kill(); console.Wait() })
	if line, _ := bufio.NewReader(out).ReadString('\n'); strings.TrimSpace(line) != "ok" {
		t.Fatalf("console process: %q", line)
	}

	_, err = storage.Restore(ctx, backup, dbPath)
	var inUse *storage.InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("Restore under an open console: %v, want an InUseError", err)
	}
	msg := err.Error()
	nl, en, ok := strings.Cut(msg, "\n")
	if !ok || !strings.Contains(nl, "herstel geweigerd") || !strings.Contains(nl, "open in een ander proces") ||
		!strings.Contains(en, "restore refused") || !strings.Contains(en, "Stop it first") || !strings.Contains(nl, dbPath) {
		t.Errorf("refusal is not Dutch, then English, naming the file:\n%s", msg)
	}
	t.Logf("the refusal:\n%s", msg)
	if _, err := os.Stat("/proc/locks"); err == nil {
		if want := fmt.Sprintf("pid %d", console.Process.Pid); !strings.Contains(msg, want) {
			t.Errorf("refusal does not name the console's process (%s):\n%s", want, msg)
		}
	}
	if got := version(t, dbPath); got != "console" {
		t.Errorf("the refused restore changed the database: %q", got)
	}
	for _, pattern := range []string{dbPath + ".before-restore-*", filepath.Join(dir, ".*restoring*")} {
		if left, _ := filepath.Glob(pattern); len(left) != 0 {
			t.Errorf("the refused restore left %q", left)
		}
	}

	stdin.Close() // the console quits
	if err := console.Wait(); err != nil {
		t.Fatalf("console process: %v", err)
	}
	if _, err := storage.Restore(ctx, backup, dbPath); err != nil {
		t.Fatalf("Restore after the console quit: %v", err)
	}
	if got := version(t, dbPath); got != "eerste" {
		t.Errorf("restored database holds %q, want the backup's", got)
	}
}
