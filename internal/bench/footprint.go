package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
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

	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
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

// Footprint starts the bot binary on a database with everything on: the
// Telegram adapter against the fake Bot API, the Discord adapter against
// the fake Discord (REST and gateway), and the HTTP server (/healthz,
// /metrics, the web pages). It measures how long the bot takes to its first
// getUpdates poll and how much memory it holds once it has been idle for
// Idle, after checking that Discord's gateway is connected and /healthz
// answers. The schedules are set to New Year's Day, so no check-in round
// or digest falls due while it idles (idle means idle). Idle starts when
// the start-up work the bot does after its first poll is over (the
// whole-file check of the database logs "database checked"), so that
// work's memory counts however slow the machine is.
type Footprint struct {
	Binary string
	DB     string
	Idle   time.Duration
}

// FootprintResult is one start of the bot.
type FootprintResult struct {
	Start time.Duration // from exec to the first getUpdates reaching the API
	RSS   int64         // VmRSS in bytes after Idle
	// Checked is from exec to the bot's log saying the whole-file check of
	// the database found nothing (it runs after the first poll).
	Checked time.Duration
	// Healthz is /healthz's status code at the end: the HTTP server was on.
	Healthz int
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

	discord := discordtest.NewServer(tb)
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	cmd := exec.CommandContext(ctx, f.Binary)
	cmd.Env = append(os.Environ(),
		"WIJKBOT_DB="+f.DB,
		"WIJKBOT_TELEGRAM_TOKEN="+fake.Token,
		"WIJKBOT_TELEGRAM_API_URL="+proxy.URL,
		"WIJKBOT_DISCORD_TOKEN="+discord.Token,
		"WIJKBOT_DISCORD_API_URL="+discord.URL,
		"WIJKBOT_HTTP_ADDR="+addr,
		"WIJKBOT_CHECKIN_SCHEDULE=0 10 1 1 *",
		"WIJKBOT_DIGEST_SCHEDULE=0 9 1 1 *",
	)
	var logs syncBuffer
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
	discord.WaitConnected(tb)
	for deadline := time.Now().Add(2 * time.Minute); ; {
		log := logs.String()
		if strings.Contains(log, "database checked") { // text or JSON logs
			res.Checked = time.Since(started)
			break
		}
		if strings.Contains(log, "database damaged") || time.Now().After(deadline) {
			return res, fmt.Errorf("footprint: no \"database checked\" from the bot:\n%s", lastLines(log, 10))
		}
		select {
		case err := <-exited:
			exited <- err
			return res, fmt.Errorf("footprint: the bot exited before its database check (%v):\n%s", err, lastLines(logs.String(), 10))
		case <-time.After(20 * time.Millisecond):
		}
	}
	select {
	case <-time.After(f.Idle):
	case err := <-exited:
		exited <- err
		return res, fmt.Errorf("footprint: the bot exited while idle (%v):\n%s", err, lastLines(logs.String(), 10))
	}
	if res.RSS, err = VmRSS(cmd.Process.Pid); err != nil {
		return res, err
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return res, fmt.Errorf("footprint: the HTTP server: %w", err)
	}
	resp.Body.Close()
	if res.Healthz = resp.StatusCode; res.Healthz != http.StatusOK {
		return res, fmt.Errorf("footprint: /healthz answered %d:\n%s", res.Healthz, lastLines(logs.String(), 10))
	}
	return res, nil
}

// syncBuffer is the bot's log, read while the bot writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freeAddr is a 127.0.0.1 address with a port free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
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
