package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/storage"
)

// Build compiles the bot as it is shipped: static (no cgo), without
// symbol tables and file paths, into dir. It returns the binary's path.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "wijkbot")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/wijkbv/wijkbot/cmd/wijkbot")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// SeedFootprint writes the footprint scenario's database to path: a
// programme of n collectives with a year of history each.
func SeedFootprint(ctx context.Context, path string, n int) error {
	db, err := storage.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	loc, err := time.LoadLocation("Europe/Amsterdam") // WIJKBOT_TIMEZONE's default
	if err != nil {
		loc = time.UTC
	}
	_, err = Seed{Collectives: n, History: true, Location: loc}.Run(ctx, db, path)
	return err
}

// Footprint starts the bot binary on a database against the fake Bot API
// and measures how long it takes to its first getUpdates poll and how much
// memory it holds once it has been idle for Idle.
type Footprint struct {
	Binary string
	DB     string
	Idle   time.Duration
}

// FootprintResult is one start of the bot.
type FootprintResult struct {
	Start time.Duration // from exec to the first getUpdates reaching the API
	RSS   int64         // VmRSS in bytes after Idle
}

// Run starts the bot once and stops it with SIGTERM.
func (f Footprint) Run(ctx context.Context) (res FootprintResult, err error) {
	tb := NewTB("footprint")
	defer tb.Close()
	defer recoverFailure(&err)
	fake := telegramtest.NewServer(tb)
	// A proxy in front of the fake notes the first getUpdates.
	target, _ := url.Parse(fake.URL())
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(io.Discard, "", 0) // the poll cut short when the bot stops
	var once sync.Once
	polled := make(chan time.Time, 1)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(path.Base(r.URL.Path), "getUpdates") {
			now := time.Now()
			once.Do(func() { polled <- now })
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	cmd := exec.CommandContext(ctx, f.Binary)
	cmd.Env = append(os.Environ(),
		"WIJKBOT_DB="+f.DB,
		"WIJKBOT_TELEGRAM_TOKEN="+fake.Token,
		"WIJKBOT_TELEGRAM_API_URL="+proxy.URL,
		"WIJKBOT_DISCORD_TOKEN=",
	)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &logs
	cmd.Stdin = nil
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	select {
	case at := <-polled:
		res.Start = at.Sub(started)
	case err := <-exited:
		exited <- err
		return res, fmt.Errorf("footprint: the bot exited before polling (%v):\n%s", err, lastLines(logs.String(), 10))
	case <-time.After(30 * time.Second):
		return res, fmt.Errorf("footprint: no getUpdates within 30 s:\n%s", lastLines(logs.String(), 10))
	}
	select {
	case <-time.After(f.Idle):
	case err := <-exited:
		exited <- err
		return res, fmt.Errorf("footprint: the bot exited while idle (%v):\n%s", err, lastLines(logs.String(), 10))
	}
	res.RSS, err = VmRSS(cmd.Process.Pid)
	return res, err
}

// VmRSS reads a process's resident memory from /proc (Linux).
func VmRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			fields := strings.Fields(v) // "12345 kB"
			kb, err := strconv.ParseInt(fields[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
