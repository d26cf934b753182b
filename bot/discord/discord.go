// Package discord connects the bot to Discord through discordgo: slash
// commands registered from the command table, interactions (commands,
// autocomplete, buttons, modals) answered within Discord's deadline, and
// messages posted to channels.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/workers"
)

// DefaultAPIURL is where Discord's REST API lives.
const DefaultAPIURL = "https://discord.com"

// InvitePermissions are the permissions the bot asks for in its invite
// link: View Channels, Send Messages, Embed Links, Attach Files and Use
// Application Commands.
const InvitePermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionEmbedLinks | discordgo.PermissionAttachFiles | discordgo.PermissionUseApplicationCommands

// Config configures a Bot.
type Config struct {
	// Token is the raw bot token (WIJKBOT_DISCORD_TOKEN), without "Bot ".
	Token string
	// APIURL replaces https://discord.com for every REST call
	// (WIJKBOT_DISCORD_API_URL); the gateway address comes from its answer.
	APIURL string
	// GuildID registers the commands in this guild only (WIJKBOT_DISCORD_GUILD),
	// which takes effect at once; empty registers them globally.
	GuildID string
	Logger  *slog.Logger
}

// Bot is the Discord adapter. It implements bot.Sender, bot.ImageSender,
// bot.FileSender, bot.ButtonSender and bot.TextAsker for Discord channels.
type Bot struct {
	cfg     Config
	in      bot.Inbound
	session *discordgo.Session
	log     *slog.Logger

	// deferAfter is how long a command may run before the interaction is
	// deferred, to stay inside Discord's 3-second deadline.
	deferAfter time.Duration
	// handled, when set (tests), is called after each interaction is done.
	handled func(interactionID string, duplicate bool)

	// work runs interactions on kept goroutines (internal/workers).
	work workers.Pool

	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	events   map[string]bool // guild/key of the native events made (events.go)
}

var (
	_ bot.Sender       = (*Bot)(nil)
	_ bot.ImageSender  = (*Bot)(nil)
	_ bot.FileSender   = (*Bot)(nil)
	_ bot.ButtonSender = (*Bot)(nil)
	_ bot.TextAsker    = (*Bot)(nil)
	_ bot.Adapter      = (*Bot)(nil)
)

// New prepares a Bot and registers it with in (the runtime) as the sender for Discord
// chats. Nothing connects until Run.
func New(cfg Config, in bot.Inbound) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("discord: no token")
	}
	if in == nil {
		return nil, errors.New("discord: no runtime")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	base, err := url.Parse(cfg.APIURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: API URL %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	// discordgo's endpoint variables are fixed at start-up; a transport that
	// rewrites the host reaches a proxy (or the test fake) without touching them.
	// Connections are kept for reuse (bot.APITransport): interactions come
	// in bursts, each answered by a callback at once.
	tr := bot.APITransport()
	tr.MaxConnsPerHost = maxConnsPerHost
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: &rewrite{base: base, next: tr}}
	// Interactions arrive without any intent; Guilds brings channel names.
	s.Dialer = gatewayDialer() // a burst of interactions fits its receive buffer
	s.Identify.Intents = discordgo.IntentsGuilds
	s.LogLevel = discordgo.LogError

	b := &Bot{cfg: cfg, in: in, session: s, log: cfg.Logger.With("platform", commands.Discord), deferAfter: 2 * time.Second}
	s.AddHandler(b.onInteraction)
	// discordgo waits out a 429 itself; it tells us through this event.
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.RateLimit) { in.ObserveRateLimited(commands.Discord) })
	in.Register(b)
	return b, nil
}

// Platform returns commands.Discord.
func (b *Bot) Platform() string { return commands.Discord }

// Run connects to the gateway, registers the application commands and
// serves interactions until ctx is done; then it closes the connection and
// waits for interactions still being answered.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.session.Open(); err != nil {
		return fmt.Errorf("discord: connect: %w", err)
	}
	defer b.shutdown()
	appID, _ := b.self()
	if appID == "" {
		return errors.New("discord: READY carried no application id")
	}
	cmds := ApplicationCommands(b.in.Commands())
	if _, err := b.session.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, cmds, discordgo.WithContext(ctx)); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while registering
		}
		return fmt.Errorf("discord: register commands: %w", err)
	}
	b.log.Info("discord connected", "commands", len(cmds), "guild", b.cfg.GuildID)
	<-ctx.Done()
	return nil
}

func (b *Bot) shutdown() {
	if err := b.session.Close(); err != nil {
		b.log.Warn("discord close", "err", err)
	}
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.inflight.Wait()
	b.work.Close() // its kept goroutines end now, not a minute later
}

// track counts an interaction being answered, so shutdown can wait for it;
// false means the bot is shutting down.
func (b *Bot) track() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.inflight.Add(1)
	return true
}

// self is what READY said about the bot: its application id (for
// registering commands) and its username (for "/cmd@name" in command
// lines); "" until READY.
func (b *Bot) self() (appID, username string) {
	st := b.session.State
	st.RLock()
	defer st.RUnlock()
	if st.Ready.Application != nil {
		appID = st.Ready.Application.ID
	}
	if st.Ready.User != nil {
		username = st.Ready.User.Username
	}
	return appID, username
}

// botName is the bot's username, for "/cmd@name" in command lines.
func (b *Bot) botName() string {
	_, name := b.self()
	return name
}

// maxConnsPerHost bounds the connections to Discord's REST API. Discord
// speaks HTTP/2, where Go multiplexes the calls over one connection and
// this only bounds how many are dialled at once. Over HTTP/1.1 (a REST
// proxy, the test fake) a burst of 200 interaction callbacks dialled 200
// connections, which cost more CPU than the callbacks themselves; now the
// calls beyond 32 wait for one of them to be free.
const maxConnsPerHost = 32

// rewrite sends every request for discord.com to base instead.
type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (rw *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" {
		return rw.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme = rw.base.Scheme
	r.URL.Host = rw.base.Host
	r.URL.Path = joinPath(rw.base.Path, req.URL.Path)
	r.URL.RawPath = ""
	r.Host = rw.base.Host
	return rw.next.RoundTrip(r)
}

func joinPath(prefix, p string) string {
	for len(prefix) > 0 && prefix[len(prefix)-1] == '/' {
		prefix = prefix[:len(prefix)-1]
	}
	return prefix + p
}

// gatewayReadBuffer is the kernel's receive buffer for the gateway
// connection. Interactions come in bursts, and discordgo reads the gateway
// on one goroutine that decodes each event before reading the next. With
// the default buffer (128 KiB to start with, grown only as the reader keeps
// up) a burst of 200 interactions filled it: the kernel advertised a zero
// window and stopped the sender, or dropped queued segments to make room,
// which came again only after the 200 ms retransmission timeout (wijkbench
// latency: TCPToZeroWindowAdv and PruneCalled in /proc/net/netstat, and
// runs whose received_p99 was 215 ms). 1 MiB holds several hundred events.
const gatewayReadBuffer = 1 << 20

// gatewayDialer is websocket.DefaultDialer with gatewayReadBuffer set on
// its TCP connection (TLS, for wss://, goes on top of it).
func gatewayDialer() *websocket.Dialer {
	d := *websocket.DefaultDialer
	nd := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := nd.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if tc, ok := c.(*net.TCPConn); ok {
			// A smaller buffer than asked for (the system's cap) still works.
			_ = tc.SetReadBuffer(gatewayReadBuffer)
		}
		return c, nil
	}
	return &d
}
