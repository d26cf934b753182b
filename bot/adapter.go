// Package bot is the runtime between the platform adapters and the commands:
// it turns incoming events into handled requests exactly once, delivers
// replies and messages for other chats through whichever adapter owns each
// chat, and runs the scheduler.
package bot

import (
	"context"
	"errors"

	"github.com/wijkbv/wijkbot/commands"
)

// ErrBlocked is wrapped in a send error when the chat refuses the bot's
// messages for good: the person blocked the bot in their private chat
// (Telegram 403 "bot was blocked by the user", Discord 50007), or the bot
// was removed from a group. The runtime tells the handler, which stops
// offering help requests to an expert there (commands.Handler.Undeliverable).
var ErrBlocked = errors.New("the chat refuses the bot's messages")

// Inbound is the contract adapters call: an event in, a reply out, and the
// few facts an adapter needs to present the bot. *Runtime implements it;
// adapters hold nothing else of the runtime, the store or the handler.
type Inbound interface {
	// Register makes the adapter the deliverer for its platform's chats.
	Register(s Sender)
	// Handle runs a request whose command and options the platform parsed
	// (a Discord slash command or form). A re-delivery gets Reply.Duplicate.
	Handle(ctx context.Context, req commands.Request) commands.Reply
	// HandleText parses a typed line (or a button's line) and runs it; ok
	// is false when the line is not for this bot.
	HandleText(ctx context.Context, req commands.Request, line, botName string) (reply commands.Reply, ok bool)
	// Seen reports whether an event was handled before, for an adapter
	// that must acknowledge an event before running it (Discord's defer).
	Seen(ctx context.Context, eventID string) bool
	// CheckEvents looks up a batch of events at once before they are
	// handled one by one (a Telegram getUpdates answer), so that Seen and
	// Handle need not ask the store for each.
	CheckEvents(ctx context.Context, eventIDs []string)
	// ExpectWrites says the events are about to be handled at once (the
	// first of each chat in a Telegram batch), so the store may commit
	// their writes together; Settled says one's handling has ended.
	ExpectWrites(eventIDs []string)
	Settled(eventID string)
	// ParseErrorReply explains a line that does not parse.
	ParseErrorReply(ctx context.Context, req commands.Request, err error) commands.Reply
	// Complete suggests values for an option being typed.
	Complete(ctx context.Context, req commands.Request, option, partial string) []commands.Choice
	// Commands is the command table: menus, registration and parsing.
	Commands() commands.Table
	// Lang is a chat's language, for texts the adapter writes itself.
	Lang(ctx context.Context, chat commands.ChatRef) commands.Lang
	// StaffChats lists the staff chats.
	StaffChats(ctx context.Context) ([]commands.Chat, error)
	// ObserveRateLimited reports a platform's "too many requests" answer.
	ObserveRateLimited(platform string)
	// ChatBlocked reports that a private chat refuses the bot for good
	// (the person blocked it).
	ChatBlocked(ctx context.Context, chat commands.ChatRef)
}

var _ Inbound = (*Runtime)(nil)

// Adapter is one platform connection as cmd runs it.
type Adapter interface {
	Sender
	// Run connects and handles events until ctx is done or the connection
	// fails for good.
	Run(ctx context.Context) error
	// Health is nil while the adapter can reach its platform.
	Health() error
}

// Sender is the one thing every adapter must do: put text in one of its
// chats. It returns the platform's id of the sent message.
type Sender interface {
	// Platform returns the platform name (commands.Telegram, ...).
	Platform() string
	// SendText posts plain text (the adapter escapes it for its format).
	SendText(ctx context.Context, chatID, text string) (messageID string, err error)
}

// ImageSender is an optional ability: send an image with a caption.
type ImageSender interface {
	SendImage(ctx context.Context, chatID, caption string, img commands.File) (messageID string, err error)
}

// FileSender is an optional ability: send a document with a caption.
type FileSender interface {
	SendFile(ctx context.Context, chatID, caption string, f commands.File) (messageID string, err error)
}

// MentionSender is an optional ability: send text that names people
// (commands.Mention) the platform can mention. Without it the text goes as
// plain text, naming them (the console).
type MentionSender interface {
	SendMentions(ctx context.Context, chatID, text string, mentions []commands.Mention) (messageID string, err error)
}

// ButtonSender is an optional ability: send text with quick-action buttons.
type ButtonSender interface {
	SendButtons(ctx context.Context, chatID, text string, buttons []commands.Button) (messageID string, err error)
}

// TextAsker is an optional ability: a pressed button that leaves out a
// required text (commands.Table.Asks, such as Beantwoorden) asks the
// presser for it (a Discord form, a Telegram ForceReply question) or shows
// what to type (the console). The runtime leaves such buttons out for
// adapters without it, or whose AsksForText is false.
type TextAsker interface {
	AsksForText() bool
}

// ReplyReader is an optional ability: when a command replies to one of the
// bot's messages, the adapter passes that message's id on in
// Request.ReplyToMessageID, so replying to a check-in with /checkin answers
// that round (and the check-in says so).
type ReplyReader interface {
	ReadsReplies() bool
}

// EventCreator is an optional ability: create a native calendar event (a
// Discord guild's scheduled event) in the space the chat belongs to, once
// per space and event key. It is best effort: the runtime logs an error
// and the delivery stands.
type EventCreator interface {
	CreateEvent(ctx context.Context, chatID string, ev commands.CalendarEvent) error
}

// Sent is one message that was delivered.
type Sent struct {
	Chat      commands.ChatRef
	MessageID string
}
