package bench

import (
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// Echo is the throughput scenario's yardstick: the same load (Chats groups
// × PerChat messages) against the same fake Bot API, answered by the
// thinnest bot on the same client library (go-telegram-bot-api) in the
// adapter's shape: it polls getUpdates, queues each message's reply in its
// chat's queue, worked by one goroutine while it holds anything (so a
// chat's replies keep their order and chats are answered in parallel, as
// bot/telegram/queue.go does), and polls again at once, with no pacing, no
// storage and no command parsing. Its rate is what the transport, the
// library and the fake allow on this machine.
//
// Until 30 November it sent a batch's replies and waited for all of them
// before it polled again, while the adapter polls as soon as the batch is
// stored and leaves its replies to the queues: the yardstick then gave
// away the overlap of replies and polls that the bot had, and the ratio
// flattered the bot.
//
// Until 1 December it sent every queued reply at once (100 requests for a
// batch of 100 chats), and so did the adapter; run in one process with
// the fake on 2 cores, that many requests at once crowd the scheduler
// (each network hop waits until every runnable goroutine has run) and
// the echo reached only three quarters of the rate it has with its
// replies bounded: the yardstick flattered the bot again. Both bound them
// now, each at its own best (wijkbench's -in-flight, -echo-in-flight).
type Echo struct {
	Chats   int
	PerChat int
	// InFlight bounds the replies under way at once; 0 leaves them
	// unbounded (one per chat with a reply queued).
	InFlight int
}

// EchoResult is one echo run.
type EchoResult struct {
	PerSec  float64   // successful replies a second
	Replies int       // successful sendMessage calls carrying the text back
	CPU     CPUWindow // the process's CPU over the timed window (the fake's included)
	Dials   int64     // connections the echo opened to the fake, warm-up included
}

// Run returns the echoed messages per second.
func (s Echo) Run(ctx context.Context) (res EchoResult, err error) {
	tb := NewTB("echo")
	defer tb.Close()
	defer recoverFailure(&err)
	fake := telegramtest.NewServer(tb)
	// The adapter's own default client (the same transport and pool), its
	// connections counted, without the client's Timeout: the adapter's
	// messages go without it too (telegram's callClient), and with it
	// net/http gives every request a deadline of its own, a cost that is
	// not the transport's. The echo's polls go without it as well, which
	// only favours the yardstick.
	client := telegram.DefaultHTTPClient(time.Second)
	client.Timeout = 0
	var dials atomic.Int64
	client.Transport = keptConnections(client.Transport, &dials)
	defer func() { res.Dials = dials.Load() }()
	api, err := tgbotapi.NewBotAPIWithClient(fake.Token, fake.URL()+"/bot%s/%s", client)
	if err != nil {
		return res, fmt.Errorf("echo: %w", err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); echoLoop(runCtx, api, s.InFlight) }()
	defer func() { stop(); <-done }()
	fake.WaitCalls(tb, "getUpdates", 1)

	total := s.Chats * s.PerChat
	clock, err := startCPU()
	if err != nil {
		return res, err
	}
	start := time.Now()
	pushCommands(fake, s.Chats, s.PerChat, "/voortgang Stap %d in de wijk #energie")
	elapsed, err := waitReplies(ctx, fake, total, start)
	if err != nil {
		return res, fmt.Errorf("echo: %w", err)
	}
	if res.CPU, err = clock.stop(); err != nil {
		return res, err
	}
	for _, m := range fake.AllSent() {
		if m.Raw == "" || m.Raw[0] != '/' {
			return res, fmt.Errorf("echo: unexpected reply %q", m.Raw)
		}
		res.Replies++
	}
	if res.Replies != total {
		return res, fmt.Errorf("echo: %d replies, want %d", res.Replies, total)
	}
	res.PerSec = float64(res.Replies) / elapsed.Seconds()
	return res, nil
}

// echoLoop polls and echoes until ctx ends.
func echoLoop(ctx context.Context, api *tgbotapi.BotAPI, inFlight int) {
	q := echoQueues{api: api, chats: map[int64][]*tgbotapi.Message{}}
	if inFlight > 0 {
		q.calls = make(chan struct{}, inFlight)
	}
	defer q.wait()
	offset := 0
	for ctx.Err() == nil {
		ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: 1,
			AllowedUpdates: []string{"message", "callback_query", "my_chat_member"}})
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		for _, u := range ups {
			offset = u.UpdateID + 1
			if u.Message != nil {
				q.add(u.Message.Chat.ID, u.Message)
			}
		}
	}
}

// echoQueues are the echo's reply queues, one per chat with a goroutine
// working it while it holds anything.
type echoQueues struct {
	api     *tgbotapi.BotAPI
	mu      sync.Mutex
	chats   map[int64][]*tgbotapi.Message // a key: the chat's goroutine runs
	working sync.WaitGroup
	calls   chan struct{} // a token per reply under way; nil: unbounded
}

func (q *echoQueues) add(chat int64, m *tgbotapi.Message) {
	q.mu.Lock()
	defer q.mu.Unlock()
	held, running := q.chats[chat]
	q.chats[chat] = append(held, m)
	if !running {
		q.working.Add(1)
		go q.work(chat)
	}
}

func (q *echoQueues) work(chat int64) {
	defer q.working.Done()
	for {
		q.mu.Lock()
		held := q.chats[chat]
		if len(held) == 0 {
			delete(q.chats, chat)
			q.mu.Unlock()
			return
		}
		m := held[0]
		q.chats[chat] = held[1:]
		q.mu.Unlock()
		if q.calls != nil {
			q.calls <- struct{}{}
		}
		q.api.MakeRequest("sendMessage", echoParams(chat, m))
		if q.calls != nil {
			<-q.calls
		}
	}
}

// wait waits for the queues to empty.
func (q *echoQueues) wait() { q.working.Wait() }

// echoParams are the parameters the adapter sends with a reply (HTML, no
// link preview, a reply to the command), so the fake does the same work
// for either bot.
func echoParams(chat int64, m *tgbotapi.Message) tgbotapi.Params {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", chat)
	p["text"] = html.EscapeString(m.Text)
	p["parse_mode"] = tgbotapi.ModeHTML
	p.AddInterface("link_preview_options", map[string]bool{"is_disabled": true})
	p.AddInterface("reply_parameters", map[string]any{"message_id": m.MessageID, "allow_sending_without_reply": true})
	return p
}

// keptConnections is the echo's transport: rt with every response body
// read to its end before it is closed, and its dials counted. The library
// stops reading a getUpdates answer at the end of its JSON value, before
// the end of the chunked body, so each long answer's connection was closed
// and the next request dialled anew: a cost of the library the adapter no
// longer pays (it reads its polls itself, bot/telegram/poll.go), so the
// yardstick does not pay it either.
func keptConnections(rt http.RoundTripper, dials *atomic.Int64) http.RoundTripper {
	if t, ok := rt.(*http.Transport); ok {
		t = t.Clone()
		dial := t.DialContext
		if dial == nil {
			dial = (&net.Dialer{}).DialContext
		}
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return dial(ctx, network, addr)
		}
		rt = t
	}
	return drainingTransport{rt}
}

type drainingTransport struct{ http.RoundTripper }

func (t drainingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.RoundTripper.RoundTrip(r)
	if err == nil {
		resp.Body = drainOnClose{resp.Body}
	}
	return resp, err
}

type drainOnClose struct{ io.ReadCloser }

func (b drainOnClose) Close() error {
	_, _ = io.Copy(io.Discard, b.ReadCloser)
	return b.ReadCloser.Close()
}
