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

// ButtonSender is an optional ability: send text with quick-action buttons.
type ButtonSender interface {
	SendButtons(ctx context.Context, chatID, text string, buttons []commands.Button) (messageID string, err error)
}

// TextAsker is an optional ability: a pressed button that leaves out a
// required text (commands.Table.Asks, such as Beantwoorden) asks the
// presser for it (a Discord form). The runtime leaves such buttons out for
// adapters without it.
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

// Sent is one message that was delivered.
type Sent struct {
	Chat      commands.ChatRef
	MessageID string
}
