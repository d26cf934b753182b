package commands

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Lang is a user-facing language: "nl" (the default) or "en".
type Lang string

// Supported languages.
const (
	NL Lang = "nl"
	EN Lang = "en"
)

// ParseLang maps a language tag ("en", "en-GB", "nl_NL") to a Lang that has
// a catalogue (messages.go); any other language reads the default, Dutch.
func ParseLang(s string) Lang {
	if len(s) >= 2 {
		if l := Lang(strings.ToLower(s[:2])); l != NL {
			if _, ok := catalogues[l]; ok {
				return l
			}
		}
	}
	return NL
}

// Platforms. A chat or user is identified by its platform and the platform's id.
const (
	Telegram = "telegram"
	Discord  = "discord"
	Console  = "console"
)

// ChatRef identifies one chat (a Telegram chat, a Discord channel, a console chat).
type ChatRef struct {
	Platform string
	ID       string
}

func (c ChatRef) String() string { return c.Platform + ":" + c.ID }

// UserRef identifies one person on one platform, with the name they show.
type UserRef struct {
	Platform string
	ID       string
	Name     string
	// Contact is how other people reach the person on their platform, as
	// the adapter knows it (a Telegram "@username"); "" when there is none.
	// Sparring introductions show it, nothing else does.
	Contact string
	// Anonymous says the sender is not one known person but a group
	// speaking as itself (a Telegram admin posting anonymously). The
	// adapter then gives ID to the group it speaks for, so two groups'
	// anonymous admins are two identities (records, rate limits,
	// wrong-code blocks); /vergeetmij refuses it, as nobody's own data
	// can be told apart from the group's.
	Anonymous bool
}

func (u UserRef) String() string { return u.Platform + ":" + u.ID }

// Request is one command invocation, platform-neutral. Adapters fill it in;
// the runtime checks EventID for re-delivery before a handler sees it.
type Request struct {
	// EventID identifies the platform event that carried the command, e.g.
	// "telegram:update:123" or "discord:interaction:987". A re-delivered event
	// has the same EventID and is stored once. Empty means "not deduplicated".
	EventID string

	Chat      ChatRef
	ChatTitle string // group or channel name, for staff overviews
	User      UserRef

	// IsChatAdmin says whether the platform considers the user an admin of
	// this chat (Telegram creator/administrator, Discord Manage Server).
	IsChatAdmin bool
	// IsBotAdmin says whether the user is listed in WIJKBOT_ADMINS.
	IsBotAdmin bool
	// Private says that only the user sees the reply: a one-to-one chat with
	// the bot, a Discord interaction (answered ephemerally), the console.
	// Personal data is only ever sent where this is true.
	Private bool
	// PrivateChat says the chat is the person's one-to-one chat with the
	// bot (a Telegram private chat, a Discord DM, the console's :prive):
	// a chat kind of its own, where experts work.
	PrivateChat bool

	// Command is the canonical (Dutch) command name, without slash.
	Command string
	// Args holds the raw option values by option name; the handler validates
	// and converts them according to the command table.
	Args map[string]string

	// ReplyToMessageID is the platform message id the command replied to, if
	// any (a Telegram reply to a check-in answers that check-in).
	ReplyToMessageID string

	// Lang is the language the user's client reports; the chat's own setting wins.
	Lang Lang
}

// Reply is what a handler returns: the answer in the chat the command came
// from, plus messages for other chats.
type Reply struct {
	Text    string
	Image   *File    // optional chart; Text is the accessible fallback
	Files   []File   // optional documents (exports, personal data)
	Buttons []Button // optional quick actions under the reply

	// Mentions mark the parts of Text that name people the platform can
	// mention (sparring introductions); see Mention.
	Mentions []Mention

	// Ephemeral replies (refusals, errors) are shown only to the invoker where
	// the platform can (Discord); elsewhere they are normal replies.
	Ephemeral bool

	// Secret replies (a login link) must never be shown to a group: where
	// the platform cannot show one member a reply in a group (Telegram), the
	// adapter sends Text to the invoker's private chat with the bot and
	// tells the group only where it went. A Secret reply is Ephemeral too.
	Secret bool

	// Outbox holds messages for other chats: a help request for the staff
	// chats, an answer for the collective's chats.
	Outbox []Message

	// Duplicate is set when the event was already processed; adapters then
	// stay silent instead of acknowledging twice.
	Duplicate bool

	// Slow hints that producing the reply takes long (charts, exports), so
	// adapters can defer or show a chat action. Set by the command table.
	Slow bool

	// CommandsChanged says the chat's commands changed (it became a staff
	// chat), so adapters that keep a command menu per chat refresh it.
	CommandsChanged bool

	// Code is the error code (EINVALID, EFORBIDDEN, ...) of a command that
	// was refused or failed, "rate_limited" when the runtime refused it for
	// coming too fast, "" when it succeeded. Never shown; the runtime counts
	// outcomes by it and notices wrong link codes.
	Code string
}

// Message is a message to a chat other than the one the command came from.
type Message struct {
	Chat    ChatRef
	Text    string
	Image   *File
	Files   []File
	Buttons []Button
	// Mentions mark the parts of Text that name people (see Mention).
	Mentions []Mention
	// Event, when set, asks a platform with native calendar events to
	// create this one in the space the chat belongs to (a Discord guild's
	// scheduled event), once per space. Best effort: the message counts as
	// delivered whether or not the event could be made.
	Event *CalendarEvent
	// Kind names what the message is ("helpvraag", "antwoord", "checkin",
	// "digest", ...) for logs and metrics; never shown.
	Kind string
}

// File is an attachment: a PNG chart, a CSV export, a JSON personal-data file.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Button is a quick action: pressing it runs Command with Args as the
// person who pressed it, in the chat the button is in. Handlers build
// buttons with the command's name and its declared options
// (button(l.Msg(MsgButtonClaim), CmdClaim, optRequestNr.Arg(12))), so a
// renamed command or option cannot silently lose a button. A button that
// leaves out a required text option asks the presser for it (Table.Asks).
type Button struct {
	Label   string
	Command string // the canonical (Dutch) command name
	Args    []Arg  // option values, in the command's option order
}

// Arg is one option value a button fills in.
type Arg struct {
	Option string // the option's (Dutch) name
	Value  string
}

func button(label, command string, args ...Arg) Button {
	return Button{Label: label, Command: command, Args: args}
}

// Line is the button's command as typed ("/oppakken 12"): what a platform
// carries back when it is pressed (Telegram callback data, a Discord
// custom_id) and what adapters without buttons show. A value of several
// words is quoted unless it is the last.
func (b Button) Line() string {
	var s strings.Builder
	s.WriteString("/" + b.Command)
	for i, a := range b.Args {
		s.WriteString(" ")
		if i < len(b.Args)-1 && strings.ContainsFunc(a.Value, unicode.IsSpace) {
			s.WriteString(`"` + a.Value + `"`)
		} else {
			s.WriteString(a.Value)
		}
	}
	return s.String()
}

// argMap is Args by option name, as Parse returns them.
func (b Button) argMap() map[string]string {
	m := make(map[string]string, len(b.Args))
	for _, a := range b.Args {
		m[a.Option] = a.Value
	}
	return m
}

// Clock returns the current time. Production uses time.Now; tests and the
// console move it.
type Clock func() time.Time

// Choice is one autocomplete suggestion: Name is shown, Value is filled in.
type Choice struct {
	Name  string
	Value string
}

// Mention marks Text[Start:End] as naming User, a person the platform may
// mention: Discord renders <@id> for a Discord user there, Telegram an
// @username or a tg://user link for a Telegram user; anything else (the
// console, the other platform's people) shows the text as it is. Mentions
// are structured data set by commands, so no typed text can make one.
type Mention struct {
	Start, End int
	User       UserRef
}

// mentionMark is the placeholder for person i while a text with mentions
// is formatted; NUL never survives in the other arguments (withMentions).
func mentionMark(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

// withMentions formats a text that names people: format gets the other
// arguments cleaned of NUL and a mark per person; the marks become the
// people's shown texts and their spans the mentions.
func withMentions(format func(mark func(i int) string, clean func(string) string) string, shown []string, people []UserRef) (string, []Mention) {
	raw := format(mentionMark, func(s string) string { return strings.ReplaceAll(s, "\x00", "") })
	var b strings.Builder
	var ms []Mention
	for {
		i := strings.IndexByte(raw, 0)
		if i < 0 {
			b.WriteString(raw)
			break
		}
		j := strings.IndexByte(raw[i+1:], 0)
		if j < 0 {
			b.WriteString(raw[:i])
			break
		}
		n, err := strconv.Atoi(raw[i+1 : i+1+j])
		if err != nil || n < 0 || n >= len(people) {
			b.WriteString(raw[:i])
			raw = raw[i+1:]
			continue
		}
		b.WriteString(raw[:i])
		start := b.Len()
		b.WriteString(shown[n])
		if people[n].ID != "" && !people[n].Anonymous {
			ms = append(ms, Mention{Start: start, End: b.Len(), User: people[n]})
		}
		raw = raw[i+1+j+1:]
	}
	return b.String(), ms
}

// RenderMentions writes text in a platform's format: escape for the text
// around the mentions, render for each mention (which gets the escaped text
// of its span and says whether it rendered it as a mention).
func RenderMentions(text string, ms []Mention, escape func(string) string, render func(m Mention, shown string) string) string {
	var b strings.Builder
	at := 0
	for _, m := range ms {
		if m.Start < at || m.End > len(text) || m.Start > m.End {
			continue
		}
		b.WriteString(escape(text[at:m.Start]))
		b.WriteString(render(m, text[m.Start:m.End]))
		at = m.End
	}
	b.WriteString(escape(text[at:]))
	return b.String()
}
