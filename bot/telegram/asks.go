package telegram

import (
	"context"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/commands"
)

// A button whose command still lacks its required text (commands.Table.Asks:
// Beantwoorden is "/antwoord 3" without the answer) cannot carry that text
// in its callback data. Pressing it makes the bot ask the presser with a
// ForceReply message that names what to type; the presser's reply to that
// message runs the button's line with the text filled in. The question is
// kept in Asks, so a reply after a restart still counts, and only the
// presser's reply does (the ForceReply is selective: it mentions them).

// askTTL is how long a question can be answered: a staff member who
// pressed Beantwoorden may look things up for a few days first.
const askTTL = 7 * 24 * time.Hour

// maxPlaceholder is ForceReply's input_field_placeholder limit (characters).
const maxPlaceholder = 64

// Asks keeps the questions the adapter asked with ForceReply until they are
// answered, across restarts; only the adapter's own state, no rules.
// storage.DB implements it.
type Asks interface {
	// SaveAsk records that the bot's message messageID in chat asks user
	// for the text that completes line (a button's command line).
	SaveAsk(ctx context.Context, chat commands.ChatRef, messageID string, user commands.UserRef, line string, expires time.Time) error
	// Ask returns who may answer the question message messageID in chat
	// and the line their text completes; found is false when there is no
	// such question (answered, expired, never asked).
	Ask(ctx context.Context, chat commands.ChatRef, messageID string) (user commands.UserRef, line string, found bool, err error)
	// DeleteAsk forgets an answered question.
	DeleteAsk(ctx context.Context, chat commands.ChatRef, messageID string) error
}

// AsksForText tells the runtime whether a button that leaves out its
// command's text is shown here: only with Config.Asks to remember the
// question; without it such buttons stay out.
func (b *Bot) AsksForText() bool { return b.asks != nil }

// buttons is what of r's buttons can be shown: all of them when the bot
// can ask for a missing text, else those that run as they are.
func (b *Bot) buttons(buttons []commands.Button) []commands.Button {
	if b.AsksForText() {
		return buttons
	}
	return b.in.Commands().Direct(buttons)
}

// askFor answers the press of a button that lacks opt: it posts the
// question under the button's message, mentioning the presser, and keeps
// it. It reports a text for the callback's answer ("" when all went well).
func (b *Bot) askFor(ctx context.Context, q *tgbotapi.CallbackQuery, req commands.Request, cmd *commands.Command, line string, opt *commands.Option) (alert string) {
	l := b.in.Lang(ctx, req.Chat)
	if b.asks == nil { // a button of a configuration that could ask
		return l.Msg(commands.MsgTelegramAskFailed, line)
	}
	chatID, msgID := q.Message.Chat.ID, q.Message.MessageID
	shownLine := line
	if name := cmd.LocalName(l); name != cmd.Name {
		shownLine = "/" + name + strings.TrimPrefix(line, "/"+cmd.Name)
	}
	desc, label := opt.Description(l), buttonLabel(q.Message, line)
	if desc == "" {
		desc = label
	}
	// A text_mention names the presser, so the selective ForceReply opens
	// the reply field for them (and for nobody else) whatever their
	// username; the name is escaped, the id a number.
	mention := fmt.Sprintf(`<a href="tg://user?id=%d">%s</a>`, q.From.ID, html.EscapeString(displayName(q.From)))
	text := mention + " " + html.EscapeString(l.Msg(commands.MsgTelegramAsk, label, shownLine, desc))
	placeholder := clip(desc+" · "+shownLine, maxPlaceholder)
	out := outgoing{method: "sendMessage", html: text, replyTo: msgID,
		forceReply: &tgbotapi.ForceReply{ForceReply: true, InputFieldPlaceholder: placeholder, Selective: true}}
	release, err := b.out.hold(ctx, chatID)
	if err != nil {
		return l.Msg(commands.MsgTelegramAskFailed, shownLine)
	}
	msg, err := b.send(ctx, chatID, func(api *tgbotapi.BotAPI, id int64) (sent, error) {
		out.chatID = id
		return out.send(api, b.endpoint)
	})
	release()
	if err != nil {
		b.log.Error("asking for a button's text failed", "chat", chatID, "err", err)
		return l.Msg(commands.MsgTelegramAskFailed, shownLine)
	}
	// The question is asked in the chat the message landed in (a group
	// that became a supergroup on the way has a new id).
	asked := chatRef(chatID)
	if msg.Chat.ID != 0 {
		asked = chatRef(msg.Chat.ID)
	}
	if err := b.asks.SaveAsk(ctx, asked, strconv.Itoa(msg.MessageID), req.User, line, b.now().Add(askTTL)); err != nil {
		b.log.Error("keeping a question failed", "chat", chatID, "err", err)
		return l.Msg(commands.MsgTelegramAskFailed, shownLine)
	}
	return ""
}

// buttonLabel is the label of the button with data line under m, or the
// line itself when it is not found.
func buttonLabel(m *tgbotapi.Message, line string) string {
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, btn := range row {
				if btn.CallbackData != nil && *btn.CallbackData == line {
					return btn.Text
				}
			}
		}
	}
	return line
}

// answerAsk runs the reply to one of the bot's questions: the question's
// line with the reply's text filled in, as its asker. A reply to another
// message of the bot is plain chat and left alone.
func (b *Bot) answerAsk(ctx context.Context, updateID int, m *tgbotapi.Message) {
	chat := chatRef(m.Chat.ID)
	question := strconv.Itoa(m.ReplyToMessage.MessageID)
	asker, line, found, err := b.asks.Ask(ctx, chat, question)
	if err != nil {
		b.log.Error("reading a question failed", "chat", m.Chat.ID, "err", err)
		return
	}
	if !found {
		return
	}
	req := b.messageRequest(updateID, m)
	l := b.in.Lang(ctx, chat)
	if req.User.String() != asker.String() {
		b.queueReply(m.Chat.ID, m.MessageID, commands.Reply{Text: l.Msg(commands.MsgTelegramAskNotYours)})
		return
	}
	cmd, args, perr := b.in.Commands().Parse(line, b.username)
	var opt *commands.Option
	if perr == nil {
		opt = cmd.MissingText(args)
	}
	if opt == nil { // the table changed since the question was asked
		if err := b.asks.DeleteAsk(ctx, chat, question); err != nil {
			b.log.Error("forgetting a question failed", "chat", m.Chat.ID, "err", err)
		}
		b.queueReply(m.Chat.ID, m.MessageID, commands.Reply{Text: l.Msg(commands.MsgTelegramAskGone)})
		return
	}
	args[opt.Name] = m.Text
	req.Command, req.Args = cmd.Name, args
	if cmd.Who == commands.ChatAdmin && !req.IsChatAdmin {
		req.IsChatAdmin = b.isChatAdmin(ctx, m.Chat, m.From.ID)
	}
	stop := func() {}
	if cmd.Slow {
		stop = b.showProgress(ctx, m.Chat.ID, cmd.Documents)
	}
	reply := b.in.Handle(ctx, req)
	stop()
	if reply.Duplicate {
		return
	}
	// Answered: a second reply is plain chat again. A refused text (too
	// long, not allowed) leaves the question open for a better reply.
	if reply.Code == "" {
		if err := b.asks.DeleteAsk(ctx, chat, question); err != nil {
			b.log.Error("forgetting a question failed", "chat", m.Chat.ID, "err", err)
		}
	}
	b.answerMessage(m, reply)
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
