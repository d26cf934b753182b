package bench

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// TestThroughput: every command gets one successful confirmation and one
// stored entry, and the commits counted are the fsyncs the run took.
func TestThroughput(t *testing.T) {
	res, err := Throughput{Dir: t.TempDir(), Chats: 20, PerChat: 3}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Replies, 60; got != want {
		t.Fatalf("replies=%d, want %d", got, want)
	}
	if got, want := res.Stored, 60; got != want {
		t.Fatalf("stored=%d, want %d", got, want)
	}
	// At least one write per command (the entry), and no commit without one.
	if res.Writes < 60 || res.Commits < 1 || res.Commits > res.Writes {
		t.Fatalf("commits=%d writes=%d for 60 commands", res.Commits, res.Writes)
	}
	if res.PerSec <= 0 {
		t.Fatalf("rate=%v", res.PerSec)
	}
	checkCPU(t, res.CPU, res.Replies)
	t.Logf("%+v", res)
}

func TestEcho(t *testing.T) {
	res, err := Echo{Chats: 20, PerChat: 3}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Replies, 60; got != want {
		t.Fatalf("replies=%d, want %d", got, want)
	}
	if res.PerSec <= 0 {
		t.Fatalf("rate=%v", res.PerSec)
	}
	checkCPU(t, res.CPU, res.Replies)
}

// TestEchoKeepsItsConnections: the yardstick does not pay a dial per poll.
// Two chats answered while the next poll is out have at most three
// requests in flight (two replies and a poll); net/http puts a finished
// connection back in its pool from its read loop, a moment after the body
// is closed, so a request starting in that moment may dial one more (seen
// on a loaded machine since the echo polls while it replies): at most
// four. 600 updates come in six or more long, chunked poll answers, each
// of which closed its connection while the library left the end of the
// body unread: 10–11 dials without the draining transport.
func TestEchoKeepsItsConnections(t *testing.T) {
	res, err := Echo{Chats: 2, PerChat: 300}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Dials < 1 || res.Dials > 4 {
		t.Fatalf("%d connections for %d replies, want 1 to 4", res.Dials, res.Replies)
	}
}

// checkCPU: a run's CPU figures are there and possible. The process used
// some CPU in its timed window, and no more than all the machine's cores
// could in that time: CPU read over more than the window (the seeding, a
// child's, a wrong unit) fails here.
func checkCPU(t *testing.T, w CPUWindow, n int) {
	t.Helper()
	if w.CPU <= 0 || w.Wall <= 0 {
		t.Fatalf("cpu=%v wall=%v, want both positive", w.CPU, w.Wall)
	}
	if limit := time.Duration(runtime.NumCPU()) * w.Wall; w.CPU > limit {
		t.Fatalf("cpu=%v over a window of %v: more than %d cores could use", w.CPU, w.Wall, runtime.NumCPU())
	}
	if w.Per(n) <= 0 || w.Cores() <= 0 || w.Cores() > float64(runtime.NumCPU()) {
		t.Fatalf("cpu per item=%v µs, cores=%v", w.Per(n), w.Cores())
	}
}

// TestCPUWindowMeasuresTheWindow: work done inside the window counts,
// and a window cannot hold more CPU than the cores could give it.
func TestCPUWindowMeasuresTheWindow(t *testing.T) {
	clock, err := startCPU()
	if err != nil {
		t.Fatal(err)
	}
	// Spin until the process has used at least 20 ms of CPU: getrusage
	// counts whole threads' run time, so this ends on any machine.
	before := clock.cpu
	for {
		now, err := ProcessCPU()
		if err != nil {
			t.Fatal(err)
		}
		if now-before >= 20*time.Millisecond {
			break
		}
	}
	w, err := clock.stop()
	if err != nil {
		t.Fatal(err)
	}
	if w.CPU < 20*time.Millisecond {
		t.Fatalf("cpu=%v, want at least the 20 ms spent in the window", w.CPU)
	}
	checkCPU(t, w, 1)
	if got := (CPUWindow{CPU: 3 * time.Second, Wall: 2 * time.Second}).Cores(); got != 1.5 {
		t.Fatalf("cores=%v, want 1.5", got)
	}
	if got := (CPUWindow{CPU: time.Millisecond}).Per(10); got != 100 {
		t.Fatalf("per=%v µs, want 100", got)
	}
}

// TestSuccessfulSendsCountsOnlySuccess: a reply the API refused is no
// reply, for the bot and for the echo alike.
func TestSuccessfulSendsCountsOnlySuccess(t *testing.T) {
	tb := NewTB("t")
	defer tb.Close()
	fake := telegramtest.NewServer(tb)
	fake.PushText(telegramtest.Group(TelegramGroup(0), "Collectief"), telegramtest.User{ID: 5, FirstName: "Lid"}, "hallo")
	fake.FailNext("sendMessage", 1, telegramtest.InternalError())
	api, err := tgbotapi.NewBotAPIWithClient(fake.Token, fake.URL()+"/bot%s/%s", &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		api.MakeRequest("sendMessage", echoParams(TelegramGroup(0), &tgbotapi.Message{Text: "hallo", MessageID: 1}))
	}
	if got, want := successfulSends(fake), 1; got != want {
		t.Fatalf("successful sends=%d, want %d (one was refused)", got, want)
	}
	if _, err := waitReplies(context.Background(), fake, 1, time.Now()); err == nil {
		t.Fatal("waitReplies accepted a run with a refused reply")
	}
}

// TestEchoPollsWhileReplying: the echo, like the adapter, polls again
// while a chat's reply is still on its way, so a reply Telegram has not
// answered yet holds up neither the next poll nor another chat's reply.
// The echo that sent a batch's replies and waited for them before it
// polled again failed this: the second chat's message was not even
// fetched while the first chat's reply hung.
func TestEchoPollsWhileReplying(t *testing.T) {
	fake := telegramtest.NewServer(t)
	client := telegram.DefaultHTTPClient(time.Second)
	held, release := make(chan struct{}), make(chan struct{})
	client.Transport = holdFirstSend{client.Transport, held, release, new(sync.Once)}
	api, err := tgbotapi.NewBotAPIWithClient(fake.Token, fake.URL()+"/bot%s/%s", client)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); echoLoop(ctx, api, 0) }()
	defer func() { stop(); <-done }()
	defer close(release)

	from := telegramtest.User{ID: 7, FirstName: "Lid"}
	a, b := telegramtest.Group(-1001, "A"), telegramtest.Group(-1002, "B")
	fake.PushText(a, from, "/voortgang een")
	<-held // A's reply is on its way and gets no answer
	fake.PushText(b, from, "/voortgang twee")
	if got := fake.WaitSent(t, b.ID, 1)[0].Raw; got != "/voortgang twee" {
		t.Fatalf("B got %q", got)
	}
	if n := len(fake.Sent(a.ID)); n != 0 {
		t.Fatalf("A's held reply arrived (%d)", n)
	}
}

// holdFirstSend holds the first sendMessage request until release is
// closed, and says when it holds it.
type holdFirstSend struct {
	http.RoundTripper
	held, release chan struct{}
	once          *sync.Once
}

func (h holdFirstSend) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/sendMessage") {
		first := false
		h.once.Do(func() { first = true })
		if first {
			close(h.held)
			<-h.release
		}
	}
	return h.RoundTripper.RoundTrip(r)
}

// TestEchoBoundsItsReplies: the echo has at most InFlight replies under
// way at once (as the adapter has at most telegram.Limits.InFlight), and
// answers every message. An echo sending every queued reply at once fails
// this.
func TestEchoBoundsItsReplies(t *testing.T) {
	const chats, bound = 12, 3
	fake := telegramtest.NewServer(t)
	client := telegram.DefaultHTTPClient(time.Second)
	held := telegramtest.HoldSends(client.Transport)
	client.Transport = held
	api, err := tgbotapi.NewBotAPIWithClient(fake.Token, fake.URL()+"/bot%s/%s", client)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); echoLoop(ctx, api, bound) }()
	defer func() { stop(); <-done }()
	from := telegramtest.User{ID: 7, FirstName: "Lid"}
	for i := range chats {
		fake.PushText(telegramtest.Group(int64(-1000-i), "G"), from, fmt.Sprintf("/voortgang %d", i))
	}
	held.Flow(t, chats, bound)
	for i := range chats {
		fake.WaitSent(t, int64(-1000-i), 1)
	}
	if got := held.Most(); got != bound {
		t.Fatalf("%d replies under way at once, want %d", got, bound)
	}
}
