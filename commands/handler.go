package commands

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Handler runs commands against a Store. It knows no platform and no SQL.
type Handler struct {
	Store Store
	Now   Clock
	// Location is the programme time zone (WIJKBOT_TIMEZONE): dates typed by
	// users and times shown to them are in it.
	Location *time.Location
	// DefaultLang is the language of chats that did not choose one (WIJKBOT_LANG).
	DefaultLang Lang
	// DefaultSchedule is the check-in schedule of collectives without their
	// own (WIJKBOT_CHECKIN_SCHEDULE).
	DefaultSchedule string
	// Charts draws the mengpaneel chart sent with /mengpaneel; nil means
	// text only (the text lists every element either way).
	Charts ChartRenderer
	// Exporter writes the files of /export (package export); nil refuses
	// /export as an internal error.
	Exporter Exporter
	Logger   *slog.Logger
	// WebURL is the public base URL of the web pages (WIJKBOT_WEB_URL),
	// used in /dashboard's login links; "" when the pages are off.
	WebURL string
	// Commands is the command table; nil means the package's Commands.
	// Tests hand in a copy with a command added.
	Commands Table
	// DeepLink returns a link that opens the bot's private chat with the
	// invite code filled in (Telegram: https://t.me/<bot>?start=<code>);
	// nil or "" when no platform offers one.
	DeepLink func(code string) string

	recent *recentEvents // events handled by this process (Seen); see events
}

// Table is the command table this handler runs. Adapters and the runtime
// derive menus, registration and parsing from it. A nil Handler has the
// package's table (a runtime that only delivers).
func (h *Handler) Table() Table {
	if h == nil || h.Commands == nil {
		return Commands
	}
	return h.Commands
}

// Call is one command being run: the request with everything resolved that
// every handler needs. Handlers read options through it with the option
// declared in the table (c.args.Text(optQuestion)), never by a string key.
type Call struct {
	Request
	cmd   *Command
	chat  *Chat
	lang  Lang
	args  args
	table Table
}

// call is the short name the handler files use.
type call = Call

// Text returns a text or choice option's value, "" when not given.
func (c *Call) Text(o TextOpt) string { return c.args.Text(o) }

// Int returns a whole-number option's value, 0 when not given.
func (c *Call) Int(o IntOpt) int { return c.args.Int(o) }

// ChatLang is the language the reply is written in.
func (c *Call) ChatLang() Lang { return c.lang }

// args are validated option values, keyed by option name.
type args struct {
	text map[string]string
	ints map[string]int
	date map[string]time.Time
}

func (a args) has(name string) bool {
	_, t := a.text[name]
	_, i := a.ints[name]
	_, d := a.date[name]
	return t || i || d
}

// Text returns a text or choice option's value, "" when not given.
func (a args) Text(o TextOpt) string { return a.text[o.Name] }

// TextOK is Text that also says whether the option was given.
func (a args) TextOK(o TextOpt) (string, bool) { v, ok := a.text[o.Name]; return v, ok }

// Int returns a whole-number option's value, 0 when not given.
func (a args) Int(o IntOpt) int { return a.ints[o.Name] }

// IntOK is Int that also says whether the option was given.
func (a args) IntOK(o IntOpt) (int, bool) { v, ok := a.ints[o.Name]; return v, ok }

// Date returns a date option's date, if one was given.
func (a args) Date(o DateOpt) (time.Time, bool) { v, ok := a.date[o.Name]; return v, ok }

// Word returns the word (one of the option's Choices) given instead of a date.
func (a args) Word(o DateOpt) string { return a.text[o.Name] }

func (h *Handler) now() time.Time {
	if h.Now == nil {
		return time.Now()
	}
	return h.Now()
}

func (h *Handler) loc() *time.Location {
	if h.Location == nil {
		return time.UTC
	}
	return h.Location
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger == nil {
		return slog.Default()
	}
	return h.Logger
}

// chatLang is the language of a chat: its own choice, else the default.
func (h *Handler) chatLang(chat *Chat) Lang {
	if chat != nil && chat.Lang != "" {
		return chat.Lang
	}
	if h.DefaultLang != "" {
		return h.DefaultLang
	}
	return NL
}

// Handle runs one command and always returns a reply: refusals and errors
// become an ephemeral reply in the chat's language; internal errors are
// logged (without message contents) and shown as a generic apology.
func (h *Handler) Handle(ctx context.Context, req Request) Reply {
	chat, err := h.Store.Chat(ctx, req.Chat)
	if err != nil {
		return h.fail(req, NL, err)
	}
	if req.PrivateChat {
		if err := h.privateChat(ctx, chat, req.User); err != nil {
			return h.fail(req, h.chatLang(chat), err)
		}
	}
	lang := h.chatLang(chat)
	// A re-delivered event is answered as such before any check: the state
	// it changed has moved on, and checking again would refuse it ("#3 is
	// al afgerond") instead of staying silent. Seen decides (bot.Runtime
	// asks it before its rate limits); claimEvent also records the event in
	// memory, so of two deliveries racing in one process one runs. Across
	// processes the write itself catches the second (ErrDuplicate, see fail).
	if seen, err := h.claimEvent(ctx, req.EventID); err != nil {
		return h.fail(req, lang, err)
	} else if seen {
		return Reply{Duplicate: true}
	}
	table := h.Table()
	cmd := table.Lookup(req.Command)
	if cmd == nil || cmd.Run == nil {
		return h.fail(req, lang, unknownCommand(lang, req.Command))
	}
	c := &Call{Request: req, cmd: cmd, chat: chat, lang: lang, table: table}
	if err := h.authorize(c); err != nil {
		return h.fail(req, lang, err)
	}
	if c.args, err = validate(cmd, req.Args, lang, h.loc()); err != nil {
		return h.fail(req, lang, err)
	}
	reply, err := cmd.Run(h, ctx, c)
	if err != nil {
		return h.fail(req, lang, err)
	}
	reply.Slow = reply.Slow || cmd.Slow
	return reply
}

func (h *Handler) fail(req Request, lang Lang, err error) Reply {
	if errors.Is(err, ErrDuplicate) {
		return Reply{Duplicate: true}
	}
	if ErrorCode(err) == EINTERNAL {
		h.logger().Error("command failed", "command", req.Command, "chat", req.Chat.String(), "event", req.EventID, "err", err)
	}
	return Reply{Text: ErrorMessage(lang, err), Ephemeral: true, Code: ErrorCode(err)}
}

// Lang returns the language of the chat: its own choice, else the default.
// The runtime uses it for the replies it writes itself (rate limits).
func (h *Handler) Lang(ctx context.Context, ref ChatRef) Lang {
	chat, err := h.Store.Chat(ctx, ref)
	if err != nil {
		return h.chatLang(nil)
	}
	return h.chatLang(chat)
}

// ParseErrorReply explains a line that Parse could not read.
func (h *Handler) ParseErrorReply(ctx context.Context, req Request, err error) Reply {
	chat, cerr := h.Store.Chat(ctx, req.Chat)
	if cerr != nil {
		return h.fail(req, NL, cerr)
	}
	if req.PrivateChat {
		h.notePrivateOwner(ctx, chat, req.User) // a mistyped command is theirs too
	}
	lang := h.chatLang(chat)
	var unknown *UnknownCommandError
	var extra *ExtraArgsError
	var quote *UnclosedQuoteError
	switch {
	case errors.As(err, &unknown):
		req.Command = unknown.Name
		return h.fail(req, lang, unknownCommand(lang, unknown.Name))
	case errors.As(err, &extra):
		return h.fail(req, lang, Errorf(EINVALID, "%s", lang.Msg(MsgParseTooManyWords, clip(extra.Extra, 40), extra.Command.Usage(lang))))
	case errors.As(err, &quote):
		return h.fail(req, lang, Errorf(EINVALID, "%s", lang.Msg(MsgParseOpenQuote, quote.Command.Usage(lang))))
	}
	return h.fail(req, lang, err)
}

// authorize checks where and by whom the command may run.
func (h *Handler) authorize(c *call) error {
	l, name := c.lang, "/"+c.cmd.Name
	if l == EN && c.cmd.English != "" {
		name = "/" + c.cmd.English
	}
	here := whereOf(c.chat)
	if c.cmd.Where&here == 0 {
		switch {
		case c.cmd.Where&^(InPrivate|InExpert) == 0:
			return privateOnly(l, name, c.cmd, here)
		case here == InPrivate && c.cmd.Where&InExpert != 0:
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyExperts, name))
		case here == InPrivate || here == InExpert:
			if c.cmd.Where&InCollective != 0 {
				return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyCollectiveGroup, name))
			}
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgNotInPrivateChat, name))
		case here == InUnlinked && c.cmd.Where&InCollective != 0:
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgChatNotLinked))
		case c.cmd.Where&^InExpert == InStaff:
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyInStaff, name))
		case here == InStaff:
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyInCollective, name))
		default:
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgNotInLinkedChat, name))
		}
	}
	switch c.cmd.Who {
	case ChatAdmin:
		if !c.IsChatAdmin && !c.IsBotAdmin {
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyChatAdmin, name))
		}
	case BotAdmin:
		if !c.IsBotAdmin {
			return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyBotAdmin, name))
		}
	}
	return nil
}

// privateOnly refuses a command of private chats elsewhere.
func privateOnly(l Lang, name string, cmd *Command, here Where) error {
	if cmd.Where == InExpert && here == InPrivate {
		return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyExpertsInvite, name))
	}
	return Errorf(EFORBIDDEN, "%s", l.Msg(MsgOnlyPrivateChat, name))
}

// unknownCommand refuses a command name that is not in the table, whether
// an adapter passed it (Handle) or a typed line named it (ParseErrorReply).
func unknownCommand(l Lang, name string) error {
	return Errorf(EINVALID, "%s", l.Msg(MsgUnknownCommand, name))
}

// clip shortens s to at most n characters for quoting back to a user.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// optName is an option's name in the chat's language.
func optName(o *Option, l Lang) string {
	if l == EN && o.NameEN != "" {
		return o.NameEN
	}
	return o.Name
}
