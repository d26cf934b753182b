package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/wijkbv/wijkbot/commands"
)

// Runtime connects adapters to the command handler.
type Runtime struct {
	Handler *commands.Handler
	Store   commands.Store
	// Admins holds the bot administrators as "platform:userid".
	Admins map[string]bool
	Logger *slog.Logger
	// Observer, when set, is told the outcome of every command and delivery
	// (ops.Metrics counts them).
	Observer Observer
	// Limits, when set, bounds commands per person and chat and wrong link
	// codes; nil limits nothing.
	Limits *Limits

	mu       sync.RWMutex
	senders  map[string]Sender
	inflight sync.WaitGroup
}

// Observer is told what happened, for metrics. Its methods must be quick
// and safe for concurrent use.
type Observer interface {
	// CommandHandled reports a command's outcome: "ok", an error code
	// (commands.EINVALID, ...), "duplicate" or "rate_limited".
	CommandHandled(command, outcome string)
	// Delivered reports a message to another chat: "ok" or "error".
	Delivered(platform, outcome string)
	// RateLimited reports a platform's "too many requests" answer (429).
	RateLimited(platform string)
}

// ObserveRateLimited lets an adapter report a 429 from its platform.
func (r *Runtime) ObserveRateLimited(platform string) {
	if r.Observer != nil {
		r.Observer.RateLimited(platform)
	}
}

func (r *Runtime) observeCommand(command, outcome string) {
	if r.Observer != nil {
		r.Observer.CommandHandled(command, outcome)
	}
}

// ParseAdmins reads WIJKBOT_ADMINS ("telegram:1234,discord:5678").
func ParseAdmins(s string) (map[string]bool, error) {
	admins := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		platform, id, ok := strings.Cut(part, ":")
		if !ok || id == "" || (platform != commands.Telegram && platform != commands.Discord && platform != commands.Console) {
			return nil, fmt.Errorf("WIJKBOT_ADMINS: %q is not platform:userid (platform telegram, discord or console)", part)
		}
		admins[platform+":"+id] = true
	}
	return admins, nil
}

// Register makes an adapter the deliverer for its platform's chats.
func (r *Runtime) Register(s Sender) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.senders == nil {
		r.senders = map[string]Sender{}
	}
	r.senders[s.Platform()] = s
}

func (r *Runtime) sender(platform string) Sender {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.senders[platform]
}

// readsReplies says whether the platform's adapter passes on which message
// a command replied to (ReplyReader).
func (r *Runtime) readsReplies(platform string) bool {
	rr, ok := r.sender(platform).(ReplyReader)
	return ok && rr.ReadsReplies()
}

func (r *Runtime) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

// Handle runs one request: a re-delivered event gets Reply{Duplicate: true}
// without running anything; messages for other chats are delivered in the
// background (Wait waits for them).
func (r *Runtime) Handle(ctx context.Context, req commands.Request) commands.Reply {
	if r.Seen(ctx, req.EventID) {
		r.observeCommand(req.Command, "duplicate")
		return commands.Reply{Duplicate: true}
	}
	if r.Admins[req.User.String()] {
		req.IsBotAdmin = true
	}
	if reply, limited := r.limit(ctx, req); limited {
		return reply
	}
	reply := r.Handler.Handle(ctx, req)
	if r.guarded(req) && (reply.Code == commands.ENOTFOUND || reply.Code == commands.EINVALID) {
		r.Limits.LinkFailed(req.Chat, req.User)
	}
	r.observeCommand(req.Command, outcome(reply))
	r.deliverOutbox(reply.Outbox)
	return reply
}

// Seen reports whether the event was handled before; the handler decides
// (commands.Handler.Seen). A failed check counts as not seen: the write
// itself still refuses a second store (commands.ErrDuplicate).
func (r *Runtime) Seen(ctx context.Context, eventID string) bool {
	seen, err := r.Handler.Seen(ctx, eventID)
	if err != nil {
		r.logger().Error("event check failed", "event", eventID, "err", err)
		return false
	}
	return seen
}

// CheckEvents looks up a batch of events before they are handled (the
// handler decides: commands.Handler.CheckEvents). A failed look-up is
// logged; Seen then asks for each event.
func (r *Runtime) CheckEvents(ctx context.Context, eventIDs []string) {
	if err := r.Handler.CheckEvents(ctx, eventIDs); err != nil {
		r.logger().Error("event check failed", "events", len(eventIDs), "err", err)
	}
}

// writeExpecter is a store whose group commit can wait for writes an
// adapter says are coming (storage.DB).
type writeExpecter interface {
	ExpectWrites(events []string)
	Settle(event string)
}

// ExpectWrites tells the store, if it can use it, that the events' writes
// are about to come (storage.DB.ExpectWrites).
func (r *Runtime) ExpectWrites(eventIDs []string) {
	if e, ok := r.Store.(writeExpecter); ok {
		e.ExpectWrites(eventIDs)
	}
}

// Settled tells the store that an event's handling has ended.
func (r *Runtime) Settled(eventID string) {
	if e, ok := r.Store.(writeExpecter); ok {
		e.Settle(eventID)
	}
}

// Lang is the language of a chat, for the texts an adapter writes itself.
func (r *Runtime) Lang(ctx context.Context, chat commands.ChatRef) commands.Lang {
	return r.Handler.Lang(ctx, chat)
}

// Complete suggests values for an option being typed (Discord autocomplete).
func (r *Runtime) Complete(ctx context.Context, req commands.Request, option, partial string) []commands.Choice {
	req.IsBotAdmin = req.IsBotAdmin || r.Admins[req.User.String()]
	return r.Handler.Complete(ctx, req, option, partial)
}

// ParseErrorReply explains a command line that does not parse.
func (r *Runtime) ParseErrorReply(ctx context.Context, req commands.Request, err error) commands.Reply {
	return r.Handler.ParseErrorReply(ctx, req, err)
}

// StaffChats lists the staff chats (Telegram scopes its staff menu to each).
func (r *Runtime) StaffChats(ctx context.Context) ([]commands.Chat, error) {
	return r.Handler.Store.StaffChats(ctx)
}

// Commands is the command table the handler runs; adapters derive their
// menus, registration and parsing from it.
func (r *Runtime) Commands() commands.Table { return r.Handler.Table() }

// guarded says whether the request carries a secret whose wrong guesses
// Limits counts: a link code, an expert's invite code (also after /start).
func (r *Runtime) guarded(req commands.Request) bool {
	cmd := r.Commands().Lookup(req.Command)
	return cmd != nil && cmd.GuardedBy(req.Args)
}

// outcome names a reply's result for the Observer.
func outcome(reply commands.Reply) string {
	switch {
	case reply.Duplicate:
		return "duplicate"
	case reply.Code != "":
		return reply.Code
	}
	return "ok"
}

// limit applies r.Limits: a refusal is a polite ephemeral reply in the
// chat's language. Bot admins are never limited.
func (r *Runtime) limit(ctx context.Context, req commands.Request) (commands.Reply, bool) {
	if r.Limits == nil || req.IsBotAdmin || r.Admins[req.User.String()] {
		return commands.Reply{}, false
	}
	refuse := func(text string) (commands.Reply, bool) {
		r.observeCommand(req.Command, "rate_limited")
		return commands.Reply{Text: text, Ephemeral: true, Code: "rate_limited"}, true
	}
	if r.guarded(req) {
		if blocked, wait := r.Limits.LinkBlocked(req.Chat, req.User); blocked {
			return refuse(linkRefused(r.Handler.Lang(ctx, req.Chat), wait))
		}
	}
	if ok, wait := r.Limits.Allow(req.Chat, req.User); !ok {
		return refuse(slowDown(r.Handler.Lang(ctx, req.Chat), wait))
	}
	return commands.Reply{}, false
}

// HandleText parses a typed command line and runs it. ok is false when the
// line is not for this bot (no command, or addressed to another bot).
func (r *Runtime) HandleText(ctx context.Context, req commands.Request, line, botName string) (reply commands.Reply, ok bool) {
	cmd, args, err := r.Commands().Parse(line, botName)
	if errors.Is(err, commands.ErrNotCommand) || errors.Is(err, commands.ErrOtherBot) {
		return commands.Reply{}, false
	}
	if err != nil {
		// A line that does not parse costs a command too, or a flood of
		// typos would bypass the limits.
		if cmd != nil {
			req.Command = cmd.Name
		}
		if reply, limited := r.limit(ctx, req); limited {
			return reply, true
		}
		r.observeCommand(req.Command, commands.EINVALID)
		return r.Handler.ParseErrorReply(ctx, req, err), true
	}
	req.Command, req.Args = cmd.Name, args
	return r.Handle(ctx, req), true
}

// ChatBlocked is told by an adapter that a chat refuses the bot's messages
// for good (the person blocked the bot in their private chat), before any
// delivery failed there. The handler decides what that means (an expert
// gets no more offers; staff hear it once) and its messages are delivered.
func (r *Runtime) ChatBlocked(ctx context.Context, chat commands.ChatRef) {
	if r.Handler != nil {
		r.deliverOutbox(r.Handler.Undeliverable(ctx, chat))
	}
}

// deliverOutbox sends messages for other chats in order, in the background,
// so the invoker's reply (and Discord's 3-second deadline) does not wait.
func (r *Runtime) deliverOutbox(msgs []commands.Message) {
	if len(msgs) == 0 {
		return
	}
	r.inflight.Add(1)
	go func() {
		defer r.inflight.Done()
		ctx := context.Background() // the invoker's request may be over; delivery is not
		for i := 0; i < len(msgs); i++ {
			m := msgs[i]
			if _, err := r.Deliver(ctx, m); err != nil {
				r.logger().Error("delivery failed", "kind", m.Kind, "chat", m.Chat.String(), "err", err)
				if errors.Is(err, ErrBlocked) && r.Handler != nil {
					// An expert who blocked the bot gets no more offers;
					// the staff are told (once) what the handler says.
					msgs = append(msgs, r.Handler.Undeliverable(ctx, m.Chat)...)
				}
			}
		}
	}()
}

// Wait blocks until background deliveries have finished (tests, shutdown).
func (r *Runtime) Wait() { r.inflight.Wait() }

// Deliver sends one message through the adapter of its chat's platform,
// using the adapter's optional abilities where it has them and plain text
// where it has not. With buttons and an image, the text goes with the
// buttons and the image follows without caption; without buttons the text
// is the image's caption. It returns the messages sent, also on an error
// part-way.
func (r *Runtime) Deliver(ctx context.Context, m commands.Message) ([]Sent, error) {
	sent, err := r.deliver(ctx, m)
	if r.Observer != nil {
		if err != nil {
			r.Observer.Delivered(m.Chat.Platform, "error")
		} else {
			r.Observer.Delivered(m.Chat.Platform, "ok")
		}
	}
	return sent, err
}

func (r *Runtime) deliver(ctx context.Context, m commands.Message) ([]Sent, error) {
	s := r.sender(m.Chat.Platform)
	if s == nil {
		return nil, fmt.Errorf("no adapter for platform %q", m.Chat.Platform)
	}
	var sent []Sent
	record := func(id string, err error) error {
		if err == nil {
			sent = append(sent, Sent{Chat: m.Chat, MessageID: id})
		}
		return err
	}
	text, files, buttons := m.Text, m.Files, m.Buttons
	if ta, ok := s.(TextAsker); !ok || !ta.AsksForText() {
		buttons = r.Commands().Direct(buttons)
	}
	if len(buttons) > 0 {
		if bs, ok := s.(ButtonSender); ok {
			if err := record(bs.SendButtons(ctx, m.Chat.ID, text, buttons)); err != nil {
				return sent, err
			}
			text = ""
		} else {
			text += ButtonFallback(buttons)
		}
	}
	if m.Image != nil {
		if is, ok := s.(ImageSender); ok {
			if err := record(is.SendImage(ctx, m.Chat.ID, text, *m.Image)); err != nil {
				return sent, err
			}
			text = ""
		} else {
			// Without images the image goes as a file (or its name), like
			// any attachment, rather than vanishing without a trace.
			files = append([]commands.File{*m.Image}, m.Files...)
		}
	}
	if ms, ok := s.(MentionSender); ok && text != "" && text == m.Text && len(m.Mentions) > 0 {
		if err := record(ms.SendMentions(ctx, m.Chat.ID, text, m.Mentions)); err != nil {
			return sent, err
		}
		text = ""
	}
	if text != "" {
		if err := record(s.SendText(ctx, m.Chat.ID, text)); err != nil {
			return sent, err
		}
	}
	for _, f := range files {
		fs, ok := s.(FileSender)
		if !ok {
			if err := record(s.SendText(ctx, m.Chat.ID, "("+f.Name+")")); err != nil {
				return sent, err
			}
			continue
		}
		if err := record(fs.SendFile(ctx, m.Chat.ID, "", f)); err != nil {
			return sent, err
		}
	}
	if ec, ok := s.(EventCreator); ok && m.Event != nil {
		if err := ec.CreateEvent(ctx, m.Chat.ID, *m.Event); err != nil {
			// A missing permission is the guild's choice; the invitation
			// itself went out.
			r.logger().Warn("native event not created", "chat", m.Chat.String(), "event", m.Event.Key, "err", err)
		}
	}
	return sent, nil
}

// ButtonFallback renders buttons as typed commands for adapters without buttons.
func ButtonFallback(buttons []commands.Button) string {
	return ButtonHints(nil, buttons)
}

// ButtonHints is ButtonFallback that also names the text a button leaves
// out (t.Asks), so "[Beantwoorden] /antwoord 3 <tekst>" shows what to
// type. A nil t names nothing.
func ButtonHints(t commands.Table, buttons []commands.Button) string {
	var b strings.Builder
	for _, btn := range buttons {
		fmt.Fprintf(&b, "\n  [%s] %s", btn.Label, btn.Line())
		if opt := t.Asks(btn); opt != nil {
			fmt.Fprintf(&b, " <%s>", opt.Name)
		}
	}
	return b.String()
}
