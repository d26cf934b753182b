package telegram

import (
	"context"
	"errors"
	"fmt"
	"github.com/wijkbv/wijkbot/commands"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"
)

// Limits paces outgoing messages. Telegram asks bots to stay under about 30
// messages a second overall, one a second in a chat and 20 a minute in a
// group; going over gets 429 answers and eventually a longer ban.
//
// The overall and group limits are sliding windows (see window): at most
// GlobalBurst messages in any GlobalBurst/Global, and GroupBurst in any
// GroupBurst/Group (20 in any minute). The per-chat limit is a token bucket.
type Limits struct {
	Global      rate.Limit // messages per second over all chats; default 30
	GlobalBurst int        // default 30
	Chat        rate.Limit // messages per second in one chat; default 1
	ChatBurst   int        // default 3 (a short burst, such as a split reply, is tolerated)
	Group       rate.Limit // messages per second in one group; default 20/min
	GroupBurst  int        // default 20
	// InFlight bounds the API calls under way at once, over all chats;
	// default DefaultInFlight (see there). getUpdates is not counted: it
	// never waits behind replies.
	InFlight int
}

// DefaultInFlight is how many API calls the adapter has under way at once
// by default. The replies to one getUpdates batch come in a burst (up to
// 100 chats); sent all at once they opened up to 100 connections and
// crowded out the poll for the next batch and the commands' own work,
// while Telegram accepts only about 30 messages a second: 8 calls under
// way, at 50 ms each, are 160 a second. (Only with round trips of more
// than a quarter of a second would 8 fall below Telegram's 30; set
// Limits.InFlight higher for such a link.) Measured with the fake Bot API on
// 2 cores (wijkbench -only throughput -in-flight N): about 12,200
// commands a second with 1,000 at once, 15,500 with 4 to 12, 15,000 with
// 16, 13,900 with 32 (README, "Prestaties / Performance").
const DefaultInFlight = 8

func (l Limits) withDefaults() Limits {
	if l.Global == 0 {
		l.Global = 30
	}
	if l.GlobalBurst <= 0 {
		l.GlobalBurst = 30
	}
	if l.Chat == 0 {
		l.Chat = 1
	}
	if l.ChatBurst <= 0 {
		l.ChatBurst = 3
	}
	if l.Group == 0 {
		l.Group = rate.Every(3 * time.Second)
	}
	if l.GroupBurst <= 0 {
		l.GroupBurst = 20
	}
	if l.InFlight <= 0 {
		l.InFlight = DefaultInFlight
	}
	return l
}

// maxAttempts bounds the tries of one API call, so a long outage ends in a
// logged failure instead of a goroutine stuck forever.
const maxAttempts = 6

// maxRetryAfter caps one wait for a 429: a longer ban is better reported
// than waited out inside a command.
const maxRetryAfter = 5 * time.Minute

// tracked is the HTTP client of one API call. It binds the call to a context
// (the library's requests have none) and records whether the request was
// completely written, which decides whether a failed send may be retried.
type tracked struct {
	ctx   context.Context
	c     *http.Client
	wrote atomic.Bool
}

// Do implements tgbotapi.HTTPClient.
func (t *tracked) Do(req *http.Request) (*http.Response, error) {
	method := path.Base(req.URL.Path)
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			t.wrote.Store(true)
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(t.ctx, trace))
	resp, err := t.c.Do(req)
	if err != nil {
		// A *url.Error quotes the URL, which contains the token: keep only
		// the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &netError{method: method, err: err, wrote: t.wrote.Load()}
	}
	if resp.StatusCode >= 500 && !isJSON(resp.Header.Get("Content-Type")) {
		// A proxy in front of the Bot API (nginx's "502 Bad Gateway" page)
		// answers in HTML, which the library would report as a JSON error.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, &statusError{method: method, status: resp.StatusCode}
	}
	return resp, nil
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// netError is a failed HTTP exchange: no answer from the server.
type netError struct {
	method string
	err    error
	wrote  bool // the whole request reached the connection
}

func (e *netError) Error() string { return e.method + ": " + e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// statusError is a 5xx answer that is not the Bot API's JSON.
type statusError struct {
	method string
	status int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.method, e.status, http.StatusText(e.status))
}

// verdict is what to do after a failed call.
type verdict struct {
	retry   bool
	wait    time.Duration // before the next try; 0 means the backoff
	migrate int64         // the chat became this supergroup: retry there
}

// tooMany says whether err is Telegram's 429 Too Many Requests.
func tooMany(err error) bool {
	var apiErr *tgbotapi.Error
	return errors.As(err, &apiErr) && (apiErr.Code == http.StatusTooManyRequests || apiErr.RetryAfter > 0)
}

// judge decides whether a failed call may be tried again.
//
// The rule that keeps a message from arriving twice: retry only when the
// server certainly did not act on the request. A 429 answer and a 5xx answer
// are the server saying it did not do it; a connection that failed before
// the request was fully written cannot have been acted on. A timeout or
// reset after the request was written is ambiguous: Telegram may have
// delivered the message. Such a send is not retried (idempotent calls such
// as getChatMember are): a missing reply is logged and the user can ask
// again, while a duplicate answer or help request in a group cannot be
// taken back.
func judge(err error, idempotent bool) verdict {
	var apiErr *tgbotapi.Error
	var ne *netError
	var se *statusError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &ne):
		return verdict{}
	case errors.As(err, &apiErr):
		switch {
		case apiErr.RetryAfter > 0 || apiErr.Code == http.StatusTooManyRequests:
			wait := time.Duration(apiErr.RetryAfter) * time.Second
			if wait <= 0 {
				wait = time.Second
			}
			return verdict{retry: wait <= maxRetryAfter, wait: wait}
		case apiErr.MigrateToChatID != 0:
			return verdict{retry: true, migrate: apiErr.MigrateToChatID}
		case apiErr.Code >= 500:
			return verdict{retry: true}
		}
		return verdict{}
	case errors.As(err, &se):
		return verdict{retry: true}
	case errors.As(err, &ne):
		return verdict{retry: idempotent || !ne.wrote}
	}
	// A garbled answer (not JSON) with a 2xx status: the server acted.
	return verdict{retry: idempotent}
}

// outbox sends API calls with pacing and retries. Messages to one chat go
// out one at a time and in order.
type outbox struct {
	b      *Bot
	limits Limits
	global *window // nil when unlimited
	sleep  func(ctx context.Context, d time.Duration) error
	// calls holds a token for each API call under way (Limits.InFlight).
	calls chan struct{}

	mu    sync.Mutex
	lanes map[int64]*lane
}

// lane is one chat's queue: a lock (a channel, so waiting respects ctx) and
// its pacing.
type lane struct {
	lock chan struct{}
	lim  *rate.Limiter
	grp  *window // nil for private chats and when unlimited
}

func newOutbox(b *Bot, l Limits, sleep func(ctx context.Context, d time.Duration) error) *outbox {
	l = l.withDefaults()
	if sleep == nil {
		sleep = sleepCtx
	}
	return &outbox{
		b:      b,
		limits: l,
		global: windowOf(l.Global, l.GlobalBurst),
		sleep:  sleep,
		calls:  make(chan struct{}, l.InFlight),
		lanes:  map[int64]*lane{},
	}
}

// windowOf is the sliding window of burst calls per burst/limit; nil for
// an unlimited rate.
func windowOf(limit rate.Limit, burst int) *window {
	if limit == rate.Inf || limit <= 0 {
		return nil
	}
	return newWindow(burst, time.Duration(float64(burst)/float64(limit)*float64(time.Second)))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (o *outbox) lane(chatID int64) *lane {
	o.mu.Lock()
	defer o.mu.Unlock()
	l := o.lanes[chatID]
	if l == nil {
		l = &lane{lock: make(chan struct{}, 1), lim: rate.NewLimiter(o.limits.Chat, o.limits.ChatBurst)}
		if chatID < 0 { // groups, supergroups and channels have negative ids
			l.grp = windowOf(o.limits.Group, o.limits.GroupBurst)
		}
		o.lanes[chatID] = l
	}
	return l
}

// hold takes the chat's lane until release is called, so the parts of one
// reply are not interleaved with another message to the same chat.
func (o *outbox) hold(ctx context.Context, chatID int64) (release func(), err error) {
	l := o.lane(chatID)
	select {
	case l.lock <- struct{}{}:
		return func() { <-l.lock }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// message sends one message to a chat whose lane the caller holds, paced
// and retried. send gets the chat id to use: after a migration it is the
// supergroup's.
func (o *outbox) message(ctx context.Context, chatID int64, send func(api *tgbotapi.BotAPI, chatID int64) (sent, error)) (sent, error) {
	var msg sent
	err := o.call(ctx, &chatID, false, true, func(api *tgbotapi.BotAPI, chatID int64) error {
		var err error
		msg, err = send(api, chatID)
		return err
	})
	return msg, err
}

// call runs one API call with retries. paced calls wait for the chat's and
// the global rate limits before each try.
func (o *outbox) call(ctx context.Context, chatID *int64, idempotent, paced bool, fn func(api *tgbotapi.BotAPI, chatID int64) error) error {
	backoff := 500 * time.Millisecond
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		release := func() {}
		if paced {
			if release, err = o.pace(ctx, *chatID); err != nil {
				return err
			}
		}
		err = func() error {
			defer release() // also when fn panics: a lost slot would stall all sending
			select {
			case o.calls <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			defer func() { <-o.calls }()
			return o.once(ctx, *chatID, fn)
		}()
		if err == nil {
			return nil
		}
		v := judge(err, idempotent)
		if tooMany(err) {
			o.b.in.ObserveRateLimited(commands.Telegram)
		}
		if !v.retry || attempt == maxAttempts || ctx.Err() != nil {
			break
		}
		if v.migrate != 0 {
			o.b.migrated(ctx, *chatID, v.migrate)
			*chatID = v.migrate
			continue
		}
		wait := v.wait
		if wait == 0 {
			wait = backoff
			backoff *= 2
		}
		o.b.log.Warn("telegram call failed, retrying", "chat", *chatID, "attempt", attempt, "wait", wait, "err", err)
		if err := o.sleep(ctx, wait); err != nil {
			return err
		}
	}
	return err
}

// pace waits until the limits allow a message to the chat; call release
// when its answer is in, so the windows count it from then.
func (o *outbox) pace(ctx context.Context, chatID int64) (release func(), err error) {
	l := o.lane(chatID)
	if err := l.lim.Wait(ctx); err != nil {
		return nil, err
	}
	var rels []func()
	release = func() {
		for _, r := range rels {
			r()
		}
	}
	for _, w := range []*window{l.grp, o.global} {
		if w == nil {
			continue
		}
		r, err := w.acquire(ctx)
		if err != nil {
			release()
			return nil, err
		}
		rels = append(rels, r)
	}
	return release, nil
}

// once makes one try with its own deadline and tracking client. The
// library's BotAPI is copied per call so the client (and its context) is
// this call's alone; the copy shares the token and endpoint.
func (o *outbox) once(ctx context.Context, chatID int64, fn func(api *tgbotapi.BotAPI, chatID int64) error) error {
	ctx, cancel := context.WithTimeout(ctx, o.b.sendTO)
	defer cancel()
	api := *o.b.api
	api.Client = &tracked{ctx: ctx, c: o.b.calls}
	return fn(&api, chatID)
}

// isForbidden says the bot may no longer write in the chat (removed,
// blocked by the user).
func isForbidden(err error) bool {
	var apiErr *tgbotapi.Error
	return errors.As(err, &apiErr) && (apiErr.Code == http.StatusForbidden ||
		strings.HasPrefix(apiErr.Message, "Forbidden"))
}
