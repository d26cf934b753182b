// Package telegram connects the bot to Telegram through the Bot API.
//
// It long-polls getUpdates itself (so it controls the offset and can stop
// gracefully), turns messages and button presses into commands for the
// runtime, and sends replies through a delivery layer that paces messages
// within Telegram's limits and retries only what was certainly not sent.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/workers"
)

// DefaultAPIURL is the Bot API server used when Config.APIURL is empty.
const DefaultAPIURL = "https://api.telegram.org"

// DefaultPollTimeout is how long one getUpdates call waits for updates.
const DefaultPollTimeout = 30 * time.Second

// offsetKey is where the next update offset is kept in State.
const offsetKey = "telegram:offset"

// State keeps the adapter's small bits of state across restarts (the update
// offset). storage.DB implements it.
type State interface {
	// State returns the value stored under key, "" when there is none.
	State(ctx context.Context, key string) (string, error)
	// SetState stores value under key.
	SetState(ctx context.Context, key, value string) error
}

// ChatKeeper is what the adapter needs from storage beyond commands.Store:
// following a group that became a supergroup and noticing removal from a
// chat. storage.DB implements it.
type ChatKeeper interface {
	// MoveChat gives a chat a new id, keeping its link.
	MoveChat(ctx context.Context, from, to commands.ChatRef) error
	// SetChatActive records whether the bot is still in the chat.
	SetChatActive(ctx context.Context, ref commands.ChatRef, active bool) error
}

// Config configures a Bot. Only Token is required.
type Config struct {
	Token string
	// APIURL is the Bot API server; calls go to {APIURL}/bot{Token}/{method}.
	APIURL string
	Logger *slog.Logger
	// State keeps the update offset across restarts (cmd hands in the
	// database); nil keeps it in memory only, and says so in the log.
	State State
	// Chats follows chat migrations and removals; nil means those events
	// are only logged.
	Chats ChatKeeper
	// Asks keeps the questions a button that lacks its text asks
	// (asks.go); nil leaves such buttons out.
	Asks Asks
	// PollTimeout is the long-polling timeout of getUpdates (whole seconds).
	PollTimeout time.Duration
	// SendTimeout bounds one API call other than getUpdates.
	SendTimeout time.Duration
	// HTTPClient is used for every call; its Timeout must exceed PollTimeout.
	// (Messages, which carry SendTimeout, go without it when it is the
	// longer: callClient.)
	// nil means DefaultHTTPClient(PollTimeout).
	HTTPClient *http.Client
	// Limits paces outgoing messages; zero fields take Telegram's limits.
	Limits Limits
	// Now is the clock for the chat-admin cache; nil means time.Now.
	Now func() time.Time
	// Sleep waits before a retry (429 retry_after, backoff); nil means a
	// timer that stops early when ctx is done. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Bot is the Telegram adapter. It implements bot.Sender, bot.ImageSender,
// bot.FileSender, bot.ButtonSender, bot.TextAsker and bot.ReplyReader.
type Bot struct {
	api      *tgbotapi.BotAPI
	endpoint string // the library's endpoint format: token, then method (getUpdates uses it, poll.go)
	client   *http.Client
	calls    *http.Client // for calls with their own deadline (callClient)
	in       bot.Inbound
	log      *slog.Logger
	state    State
	chats    ChatKeeper
	asks     Asks
	username string
	poll     time.Duration
	sendTO   time.Duration
	now      func() time.Time
	out      *outbox
	replies  *replies     // per-chat reply queues (queue.go)
	work     workers.Pool // runs the chats of a batch (run.go)

	adminMu sync.Mutex
	admins  map[adminKey]adminEntry

	memOffset int // offset when there is no State
	health    pollHealth
}

var (
	_ bot.Sender       = (*Bot)(nil)
	_ bot.ImageSender  = (*Bot)(nil)
	_ bot.FileSender   = (*Bot)(nil)
	_ bot.ButtonSender = (*Bot)(nil)
	_ bot.TextAsker    = (*Bot)(nil)
	_ bot.ReplyReader  = (*Bot)(nil)
	_ bot.Adapter      = (*Bot)(nil)
)

// New checks the token with getMe and registers the bot with in (the
// runtime) as the deliverer for Telegram chats.
// It fails when the token is refused or the server cannot be reached, so a
// typo in the configuration shows at start-up.
func New(cfg Config, in bot.Inbound) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no token")
	}
	if in == nil {
		return nil, errors.New("telegram: no runtime")
	}
	base := strings.TrimRight(cfg.APIURL, "/")
	if base == "" {
		base = DefaultAPIURL
	}
	poll := cfg.PollTimeout
	if poll <= 0 {
		poll = DefaultPollTimeout
	}
	poll = poll.Round(time.Second)
	if poll < time.Second {
		poll = time.Second
	}
	sendTO := cfg.SendTimeout
	if sendTO <= 0 {
		sendTO = 20 * time.Second
	}
	client, calls := cfg.HTTPClient, (*http.Client)(nil)
	if client == nil {
		client = DefaultHTTPClient(poll)
		// That Timeout (poll + 15 s) is there for the polls alone; every
		// other call carries its own deadline (SendTimeout), also when a
		// short poll makes the Timeout the shorter of the two.
		calls = withoutTimeout(client)
	} else {
		calls = callClient(client, sendTO)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger = logger.With("platform", commands.Telegram)
	b := &Bot{
		client: client,
		calls:  calls,
		in:     in,
		log:    logger,
		state:  cfg.State,
		chats:  cfg.Chats,
		asks:   cfg.Asks,
		poll:   poll,
		sendTO: sendTO,
		now:    cfg.Now,
		admins: map[adminKey]adminEntry{},
	}
	if b.state == nil {
		logger.Warn("no State: the update offset lives in memory only; a restart may repeat or skip updates")
	}
	if b.now == nil {
		b.now = time.Now
	}
	// The library formats the endpoint with the token and the method
	// (fmt.Sprintf), so a "%" in the configured address (an escaped path,
	// "/tg%25api") must reach it as "%%", never as a verb.
	endpoint := strings.ReplaceAll(base, "%", "%%") + "/bot%s/%s"
	ctx, cancel := context.WithTimeout(context.Background(), sendTO)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, &tracked{ctx: ctx, c: client})
	if err != nil {
		// The library's errors never contain the token, but the URL in a
		// *url.Error does: strip it.
		return nil, fmt.Errorf("telegram: getMe: %s", redact(err, cfg.Token))
	}
	// Every call copies api with its own client (see outbox.once); this
	// one, bound to New's context, must not be used after New.
	api.Client = &tracked{ctx: context.Background(), c: client}
	b.api = api
	b.endpoint = endpoint
	b.username = api.Self.UserName
	b.out = newOutbox(b, cfg.Limits, cfg.Sleep)
	b.replies = newReplies(logger)
	in.Register(b)
	return b, nil
}

// callClient is the client of the calls that carry their own deadline of
// sendTO (outbox.once) when the client is the configured one: client
// without its Timeout when that would never end a call first. (New's own
// default client goes without it for those calls always.) For a client with a Timeout, net/http gives every
// request a second deadline of its own (a context and a timer: 19 of a
// reply's 80 allocations in BenchmarkSendReply).
func callClient(client *http.Client, sendTO time.Duration) *http.Client {
	if client.Timeout == 0 || sendTO > client.Timeout {
		return client
	}
	return withoutTimeout(client)
}

// withoutTimeout is a copy of client without its Timeout.
func withoutTimeout(client *http.Client) *http.Client {
	direct := *client
	direct.Timeout = 0
	return &direct
}

// DefaultHTTPClient is the client New uses when Config.HTTPClient is nil:
// a timeout of poll (the long-polling timeout) plus 15 seconds, and
// connections to the Bot API kept for reuse (bot.APITransport): the
// replies to the chats of one getUpdates batch go out at once.
func DefaultHTTPClient(poll time.Duration) *http.Client {
	return &http.Client{Timeout: poll + 15*time.Second, Transport: bot.APITransport()}
}

// Platform returns commands.Telegram.
func (b *Bot) Platform() string { return commands.Telegram }

// ReadsReplies tells the runtime that a reply to a bot message carries the
// replied-to message id (updates.go fills Request.ReplyToMessageID).
func (b *Bot) ReadsReplies() bool { return true }

// Username is the bot's @username without the @ (from getMe).
func (b *Bot) Username() string { return b.username }

// DeepLink is the link that opens the bot's private chat and sends
// "/start <payload>" when the person presses Start (Telegram deep
// linking); "" when getMe gave no username. An expert's invite uses it.
func (b *Bot) DeepLink(payload string) string {
	if b.username == "" {
		return ""
	}
	return "https://t.me/" + b.username + "?start=" + url.QueryEscape(payload)
}

// redact removes the token from an error's text.
func redact(err error, token string) string {
	s := err.Error()
	if token != "" {
		s = strings.ReplaceAll(s, token, "<token>")
	}
	return s
}
