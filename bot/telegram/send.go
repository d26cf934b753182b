package telegram

import (
	"context"
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// Telegram's size limits, counted in UTF-16 code units after HTML parsing.
const (
	maxText         = 4096
	maxCaption      = 1024
	maxCallbackData = 64  // bytes
	maxAlert        = 200 // answerCallbackQuery text
)

// SendText posts text, split into several messages when it is longer than
// Telegram allows. It returns the id of the first message.
func (b *Bot) SendText(ctx context.Context, chatID, text string) (string, error) {
	id, err := parseChatID(chatID)
	if err != nil {
		return "", err
	}
	return b.sendText(ctx, id, 0, text, nil)
}

// SendMentions posts text that names people (a sparring introduction): a
// Telegram user with a username shows as @username, one without as a
// tg://user link on their escaped name; nothing typed can make a link.
func (b *Bot) SendMentions(ctx context.Context, chatID, text string, mentions []commands.Mention) (string, error) {
	id, err := parseChatID(chatID)
	if err != nil {
		return "", err
	}
	return b.sendMentions(ctx, id, 0, text, mentions, nil)
}

// mentionsHTML escapes text and links each Telegram user it mentions who
// has no username; one with a username is named by it already ("@ana"),
// which Telegram links itself.
func mentionsHTML(text string, mentions []commands.Mention) string {
	return commands.RenderMentions(text, mentions, html.EscapeString, func(m commands.Mention, shown string) string {
		id, err := strconv.ParseInt(m.User.ID, 10, 64)
		if m.User.Platform != commands.Telegram || m.User.Contact != "" || err != nil || id <= 0 {
			return html.EscapeString(shown)
		}
		return fmt.Sprintf(`<a href="tg://user?id=%d">%s</a>`, id, html.EscapeString(shown))
	})
}

// SendButtons posts text with an inline keyboard under its last part. Each
// button's callback data is its command line; a button whose command does
// not fit Telegram's 64 bytes is shown as a typed command instead.
func (b *Bot) SendButtons(ctx context.Context, chatID, text string, buttons []commands.Button) (string, error) {
	id, err := parseChatID(chatID)
	if err != nil {
		return "", err
	}
	return b.sendText(ctx, id, 0, text, buttons)
}

// SendImage posts a photo from bytes; a caption too long for a photo
// follows as text.
func (b *Bot) SendImage(ctx context.Context, chatID, caption string, img commands.File) (string, error) {
	id, err := parseChatID(chatID)
	if err != nil {
		return "", err
	}
	return b.sendFile(ctx, id, 0, caption, img, true)
}

// SendFile posts a document from bytes; a caption too long for a document
// follows as text.
func (b *Bot) SendFile(ctx context.Context, chatID, caption string, f commands.File) (string, error) {
	id, err := parseChatID(chatID)
	if err != nil {
		return "", err
	}
	return b.sendFile(ctx, id, 0, caption, f, false)
}

func parseChatID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("telegram: chat id %q is not a number", s)
	}
	return id, nil
}

// sendReply answers a command in its chat, the first message as a reply to
// the command's message (replyTo 0 for none).
func (b *Bot) sendReply(ctx context.Context, chatID int64, replyTo int, r commands.Reply) {
	text := r.Text
	fail := func(what string, err error) {
		if err != nil {
			b.log.Error("reply not delivered", "chat", chatID, "what", what, "err", err)
		}
	}
	sent := func(id string) {
		if id != "" {
			replyTo = 0
		}
	}
	// A button that lacks its text asks for it when pressed (asks.go).
	if buttons := b.buttons(r.Buttons); len(buttons) > 0 {
		id, err := b.sendMentions(ctx, chatID, replyTo, text, r.Mentions, buttons)
		fail("buttons", err)
		sent(id)
		text = ""
	}
	if r.Image != nil {
		caption := text
		id, err := b.sendFile(ctx, chatID, replyTo, caption, *r.Image, true)
		fail("image", err)
		sent(id)
		text = ""
		if id == "" && err != nil {
			// The upload was refused: the caption still goes, as text,
			// so the answer is not lost, with a word about the image.
			text = strings.TrimSpace(caption + "\n\n" + b.uploadFailed(ctx, chatID, r.Image.Name))
		}
	}
	if strings.TrimSpace(text) != "" {
		var mentions []commands.Mention
		if text == r.Text {
			mentions = r.Mentions
		}
		id, err := b.sendMentions(ctx, chatID, replyTo, text, mentions, nil)
		fail("text", err)
		sent(id)
	}
	for _, f := range r.Files {
		id, err := b.sendFile(ctx, chatID, replyTo, "", f, false)
		fail("file", err)
		sent(id)
		if id == "" && err != nil {
			_, err := b.sendText(ctx, chatID, replyTo, b.uploadFailed(ctx, chatID, f.Name), nil)
			fail("file note", err)
		}
	}
}

// uploadFailed tells the chat that a file of the reply did not arrive.
func (b *Bot) uploadFailed(ctx context.Context, chatID int64, name string) string {
	l := b.in.Lang(ctx, chatRef(chatID))
	if name != "" {
		name = " " + name
	}
	return l.Msg(commands.MsgTelegramFileFailed, name)
}

// sendText sends text in parts of at most maxText, holding the chat's lane
// so the parts stay together and in order.
func (b *Bot) sendText(ctx context.Context, chatID int64, replyTo int, text string, buttons []commands.Button) (string, error) {
	return b.sendMentions(ctx, chatID, replyTo, text, nil, buttons)
}

// sendMentions is sendText for a text that names people (mentions): a
// text that fits one message renders them (mentionsHTML); a longer one
// goes as plain text.
func (b *Bot) sendMentions(ctx context.Context, chatID int64, replyTo int, text string, mentions []commands.Mention, buttons []commands.Button) (string, error) {
	keyboard, fallback := inlineKeyboard(buttons)
	parts := split(text+fallback, maxText)
	if len(parts) == 0 {
		if keyboard == nil {
			return "", nil
		}
		parts = []string{"⬇️"} // a keyboard needs a message to hang under
	}
	release, err := b.out.hold(ctx, chatID)
	if err != nil {
		return "", err
	}
	defer release()
	first := ""
	for i, part := range parts {
		out := outgoing{method: "sendMessage", html: html.EscapeString(part)}
		if len(parts) == 1 && len(mentions) > 0 {
			out.html = mentionsHTML(text, mentions) + html.EscapeString(fallback)
		}
		if i == 0 {
			out.replyTo = replyTo
		}
		if i == len(parts)-1 {
			out.keyboard = keyboard
		}
		msg, err := b.send(ctx, chatID, func(api *tgbotapi.BotAPI, id int64) (sent, error) {
			out.chatID = id
			return out.send(api, b.endpoint)
		})
		if err != nil {
			return first, err
		}
		if first == "" {
			first = strconv.Itoa(msg.MessageID)
		}
	}
	return first, nil
}

// sendFile uploads a photo or document from bytes with an HTML caption.
func (b *Bot) sendFile(ctx context.Context, chatID int64, replyTo int, caption string, f commands.File, photo bool) (string, error) {
	caption = strings.TrimSpace(caption)
	rest := ""
	if utf16Len(caption) > maxCaption {
		caption, rest = "", caption
	}
	release, err := b.out.hold(ctx, chatID)
	if err != nil {
		return "", err
	}
	name := f.Name
	if name == "" {
		name = "bestand"
	}
	out := outgoing{method: "sendDocument", replyTo: replyTo, file: &tgbotapi.FileBytes{Name: name, Bytes: f.Data}}
	if photo {
		out.method = "sendPhoto"
	}
	if caption != "" {
		out.html = html.EscapeString(caption)
	}
	msg, err := b.send(ctx, chatID, func(api *tgbotapi.BotAPI, id int64) (sent, error) {
		out.chatID = id
		return out.send(api, b.endpoint)
	})
	release()
	if err != nil {
		return "", err
	}
	if rest != "" {
		if _, err := b.sendText(ctx, chatID, 0, rest, nil); err != nil {
			return strconv.Itoa(msg.MessageID), err
		}
	}
	return strconv.Itoa(msg.MessageID), nil
}

// send is one message through the outbox; a chat the bot was removed from
// is marked inactive so the scheduler stops writing to it.
func (b *Bot) send(ctx context.Context, chatID int64, fn func(api *tgbotapi.BotAPI, chatID int64) (sent, error)) (sent, error) {
	msg, err := b.out.message(ctx, chatID, fn)
	if err != nil && isForbidden(err) {
		b.setActive(ctx, chatID, false)
		return msg, fmt.Errorf("%w: %w", bot.ErrBlocked, err)
	}
	return msg, err
}

// inlineKeyboard builds the keyboard for buttons; those whose command is
// too long for callback data come back as typed-command fallback text.
func inlineKeyboard(buttons []commands.Button) (*tgbotapi.InlineKeyboardMarkup, string) {
	var row []tgbotapi.InlineKeyboardButton
	var long []commands.Button
	for _, btn := range buttons {
		line := btn.Line()
		if len(line) > maxCallbackData || btn.Command == "" {
			long = append(long, btn)
			continue
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(btn.Label, line))
	}
	fallback := ""
	if len(long) > 0 {
		fallback = bot.ButtonFallback(long)
	}
	if len(row) == 0 {
		return nil, fallback
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for len(row) > 3 { // more than three side by side get too narrow on a phone
		rows, row = append(rows, row[:2]), row[2:]
	}
	rows = append(rows, row)
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb, fallback
}

// utf16Len is the length Telegram counts: UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// split cuts text into parts of at most max UTF-16 units, at line ends
// where it can, else at a space, else anywhere between two characters.
// Parts are trimmed; blank parts are dropped (Telegram refuses empty text).
func split(text string, max int) []string {
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		n := utf16Len(line)
		if curLen+n > max {
			flush()
		}
		for n > max {
			head, tail := cutLine(line, max)
			cur.WriteString(head)
			flush()
			line, n = tail, utf16Len(tail)
		}
		cur.WriteString(line)
		curLen += n
	}
	flush()
	return parts
}

// cutLine splits a line longer than max units at the last space that keeps
// the head within max (if that space is past the middle), else right at max.
func cutLine(line string, max int) (head, tail string) {
	n, cut, space := 0, 0, -1
	for i, r := range line {
		w := utf16.RuneLen(r)
		if n+w > max {
			cut = i
			break
		}
		if unicode.IsSpace(r) && n > max/2 {
			space = i
		}
		n += w
	}
	if space > 0 {
		return line[:space], line[space:]
	}
	return line[:cut], line[cut:]
}

var _ bot.MentionSender = (*Bot)(nil)
