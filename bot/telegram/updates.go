package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/commands"
)

// adminTTL is how long a getChatMember answer is trusted: long enough to
// spare the API when a command is repeated, short enough that a demoted
// admin loses the right within a minute.
const adminTTL = time.Minute

type adminKey struct{ chat, user int64 }

type adminEntry struct {
	admin bool
	at    time.Time
}

// handleUpdate dispatches one update. Panics are contained so one bad
// update cannot stop the bot.
func (b *Bot) handleUpdate(ctx context.Context, u tgbotapi.Update) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("update handler panicked", "update", u.UpdateID, "panic", p)
		}
	}()
	switch {
	case u.Message != nil:
		b.handleMessage(ctx, u.UpdateID, u.Message)
	case u.CallbackQuery != nil:
		b.handleCallback(ctx, u.CallbackQuery)
	case u.MyChatMember != nil:
		b.handleMyChatMember(ctx, u.MyChatMember)
	}
}

func chatRef(id int64) commands.ChatRef {
	return commands.ChatRef{Platform: commands.Telegram, ID: strconv.FormatInt(id, 10)}
}

// displayName is how a user is named in timelines and staff messages.
func displayName(u *tgbotapi.User) string {
	name := strings.TrimSpace(strings.TrimSpace(u.FirstName) + " " + strings.TrimSpace(u.LastName))
	if name == "" && u.UserName != "" {
		name = "@" + u.UserName
	}
	if name == "" {
		name = strconv.FormatInt(u.ID, 10)
	}
	return name
}

func userRef(u *tgbotapi.User) commands.UserRef {
	ref := commands.UserRef{Platform: commands.Telegram, ID: strconv.FormatInt(u.ID, 10), Name: displayName(u)}
	if u.UserName != "" {
		ref.Contact = "@" + u.UserName // how others reach them (sparring introductions)
	}
	return ref
}

// anonymousRef is the identity of a group admin posting anonymously.
// Telegram sends every such message from one user, GroupAnonymousBot
// (1087968824), for every group; the group it speaks for is sender_chat.
// The id says so ("chat:<id>"), so it never equals a user's id nor, as a
// "private chat", the group's own chat id.
func anonymousRef(sender *tgbotapi.Chat) commands.UserRef {
	return commands.UserRef{Platform: commands.Telegram, ID: "chat:" + strconv.FormatInt(sender.ID, 10),
		Name: chatTitle(sender), Anonymous: true}
}

func chatTitle(c *tgbotapi.Chat) string {
	if c.Title != "" {
		return c.Title
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// handleMessage runs a text command. Everything else in a message (plain
// chat, service messages) is none of the bot's business, except a group
// becoming a supergroup.
func (b *Bot) handleMessage(ctx context.Context, updateID int, m *tgbotapi.Message) {
	switch {
	case m.MigrateToChatID != 0:
		b.migrated(ctx, m.Chat.ID, m.MigrateToChatID)
		return
	case m.MigrateFromChatID != 0:
		b.migrated(ctx, m.MigrateFromChatID, m.Chat.ID)
		return
	}
	if m.From == nil || m.Chat == nil {
		return
	}
	// An admin posting anonymously shows as the group itself.
	anonAdmin := m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID
	if m.From.IsBot && !anonAdmin {
		return // bots do not command bots (nor do we answer ourselves)
	}
	if !strings.HasPrefix(m.Text, "/") {
		// A reply to one of the bot's questions (asks.go) runs the
		// button that asked; any other chat is none of our business.
		if b.asks != nil && m.Text != "" && b.repliesToBot(m) {
			b.answerAsk(ctx, updateID, m)
		}
		return
	}
	cmd, perr := b.in.Commands().Command(m.Text, b.username)
	if errors.Is(perr, commands.ErrNotCommand) || errors.Is(perr, commands.ErrOtherBot) {
		return
	}
	text := m.Text
	req := b.messageRequest(updateID, m)
	if cmd != nil && cmd.Who == commands.ChatAdmin && !req.IsChatAdmin {
		req.IsChatAdmin = b.isChatAdmin(ctx, m.Chat, m.From.ID)
	}
	stop := func() {}
	if cmd != nil && cmd.Slow {
		stop = b.showProgress(ctx, m.Chat.ID, cmd.Documents)
	}
	reply, ok := b.in.HandleText(ctx, req, text, b.username)
	stop()
	if !ok || reply.Duplicate {
		return
	}
	b.answerMessage(m, reply)
}

// answerMessage queues the reply to the command in message m. A Secret
// reply (a login link) asked for in a group goes to the writer's private
// chat (queueSecret), however the command came: typed, or as the answer
// to one of the bot's questions (asks.go).
func (b *Bot) answerMessage(m *tgbotapi.Message, reply commands.Reply) {
	if reply.Secret && !m.Chat.IsPrivate() {
		// An admin posting anonymously shows as the group itself.
		anonAdmin := m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID
		b.queueSecret(m.Chat.ID, m.MessageID, m.From.ID, anonAdmin, reply)
		return
	}
	b.queueReply(m.Chat.ID, m.MessageID, reply)
}

// updateEvent is the event id of a message update, callbackEvent of a
// button pressed: the runtime stores each event once.
func updateEvent(updateID int) string     { return "telegram:update:" + strconv.Itoa(updateID) }
func callbackEvent(queryID string) string { return "telegram:callback:" + queryID }

// messageRequest is the request of message m: who wrote it where, and
// which of the bot's messages it replies to.
func (b *Bot) messageRequest(updateID int, m *tgbotapi.Message) commands.Request {
	req := commands.Request{
		EventID:   updateEvent(updateID),
		Chat:      chatRef(m.Chat.ID),
		ChatTitle: chatTitle(m.Chat),
		User:      userRef(m.From),
		Lang:      commands.ParseLang(m.From.LanguageCode),
		Private:   m.Chat.IsPrivate(),
		// A private chat is a chat kind of its own (experts work there).
		PrivateChat: m.Chat.IsPrivate(),
	}
	// An admin posting anonymously shows as the group itself.
	if m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID {
		req.User = anonymousRef(m.SenderChat)
		req.IsChatAdmin = true
	}
	if m.ReplyToMessage != nil {
		req.ReplyToMessageID = strconv.Itoa(m.ReplyToMessage.MessageID)
	}
	return req
}

// repliesToBot says whether m replies to a message of this bot.
func (b *Bot) repliesToBot(m *tgbotapi.Message) bool {
	r := m.ReplyToMessage
	return r != nil && r.From != nil && r.From.IsBot && r.From.ID == b.api.Self.ID
}

// handleCallback runs a button's command line as the user who pressed it
// and always answers the query, so the button's spinner stops. A refusal
// (already claimed, already resolved, not allowed) is shown as an alert to
// the presser only; a result is posted in the chat for everyone.
func (b *Bot) handleCallback(ctx context.Context, q *tgbotapi.CallbackQuery) {
	answered := false
	answer := func(text string, alert bool) {
		answered = true
		if r := []rune(text); len(r) > maxAlert {
			text = string(r[:maxAlert-1]) + "…"
		}
		b.answerCallback(ctx, q.ID, text, alert)
	}
	defer func() {
		if !answered {
			answer("", false)
		}
	}()
	if q.From == nil || q.Message == nil || q.Message.Chat == nil {
		answer("Deze knop werkt niet meer. / This button no longer works.", true)
		return
	}
	chat := q.Message.Chat
	req := commands.Request{
		EventID:   callbackEvent(q.ID),
		Chat:      chatRef(chat.ID),
		ChatTitle: chatTitle(chat),
		User:      userRef(q.From),
		Lang:      commands.ParseLang(q.From.LanguageCode),
		Private:   chat.IsPrivate(),
		// A private chat is a chat kind of its own (experts work there).
		PrivateChat: chat.IsPrivate(),
	}
	cmd, args, perr := b.in.Commands().Parse(q.Data, b.username)
	if cmd == nil || errors.Is(perr, commands.ErrNotCommand) || errors.Is(perr, commands.ErrOtherBot) {
		l := b.in.Lang(ctx, req.Chat)
		answer(l.Msg(commands.MsgButtonGone), true)
		return
	}
	if perr == nil {
		if opt := cmd.MissingText(args); opt != nil {
			// The button leaves out a text: ask the presser for it.
			answer(b.askFor(ctx, q, req, cmd, q.Data, opt), true)
			return
		}
	}
	if cmd.Who == commands.ChatAdmin {
		req.IsChatAdmin = b.isChatAdmin(ctx, chat, q.From.ID)
	}
	reply, _ := b.in.HandleText(ctx, req, q.Data, b.username)
	switch {
	case reply.Duplicate:
		l := b.in.Lang(ctx, req.Chat)
		answer(l.Msg(commands.MsgAlreadyDone), false)
	case reply.Secret:
		// Not as an alert, although only the presser sees one: an alert
		// is cut at 200 characters and its links cannot be opened. The
		// presser's private chat gets it, as for a typed command; the
		// group reads only where it went.
		answer("", false)
		if chat.IsPrivate() {
			b.queueReply(chat.ID, q.Message.MessageID, reply)
		} else {
			b.queueSecret(chat.ID, q.Message.MessageID, q.From.ID, false, reply)
		}
	case reply.Ephemeral:
		answer(reply.Text, true)
	default:
		answer("", false)
		b.queueReply(chat.ID, q.Message.MessageID, reply)
	}
}

func (b *Bot) answerCallback(ctx context.Context, id, text string, alert bool) {
	cfg := tgbotapi.NewCallback(id, text)
	cfg.ShowAlert = alert && text != ""
	var chat int64
	err := b.out.call(ctx, &chat, true, false, func(api *tgbotapi.BotAPI, _ int64) error {
		_, err := api.Request(cfg)
		return err
	})
	if err != nil {
		b.log.Warn("answerCallbackQuery failed", "err", err)
	}
}

// handleMyChatMember follows the bot's own membership: removed from a chat
// means no more check-ins there; added back means active again.
func (b *Bot) handleMyChatMember(ctx context.Context, m *tgbotapi.ChatMemberUpdated) {
	switch m.NewChatMember.Status {
	case "left", "kicked":
		b.setActive(ctx, m.Chat.ID, false)
		if m.Chat.IsPrivate() {
			// The person blocked the bot: an expert there is unreachable.
			b.in.ChatBlocked(ctx, chatRef(m.Chat.ID))
		}
	case "member", "administrator", "creator", "restricted":
		if old := m.OldChatMember.Status; old == "left" || old == "kicked" {
			b.setActive(ctx, m.Chat.ID, true)
		}
	}
}

func (b *Bot) setActive(ctx context.Context, chatID int64, active bool) {
	b.log.Info("chat membership changed", "chat", chatID, "active", active)
	if b.chats == nil {
		return
	}
	if err := b.chats.SetChatActive(ctx, chatRef(chatID), active); err != nil {
		b.log.Error("marking chat (in)active failed", "chat", chatID, "err", err)
	}
}

// migrated moves a chat's link to the supergroup Telegram turned it into.
// Both the old group's and the new supergroup's service message trigger
// it; the second move finds nothing to move.
func (b *Bot) migrated(ctx context.Context, from, to int64) {
	b.log.Info("group became a supergroup", "from", from, "to", to)
	if b.chats == nil {
		return
	}
	if err := b.chats.MoveChat(ctx, chatRef(from), chatRef(to)); err != nil {
		b.log.Error("moving chat failed", "from", from, "to", to, "err", err)
	}
}

// isChatAdmin asks Telegram whether the user administers the chat, cached
// for adminTTL. In a private chat the user is the admin of their own chat.
func (b *Bot) isChatAdmin(ctx context.Context, chat *tgbotapi.Chat, userID int64) bool {
	if chat.Type == "private" {
		return true
	}
	key := adminKey{chat.ID, userID}
	now := b.now()
	b.adminMu.Lock()
	e, ok := b.admins[key]
	b.adminMu.Unlock()
	if ok && now.Sub(e.at) < adminTTL {
		return e.admin
	}
	var member tgbotapi.ChatMember
	chatID := chat.ID
	err := b.out.call(ctx, &chatID, true, false, func(api *tgbotapi.BotAPI, id int64) error {
		var err error
		member, err = api.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: id, UserID: userID}})
		return err
	})
	if err != nil {
		b.log.Warn("getChatMember failed; treating the user as no admin", "chat", chat.ID, "err", err)
		return false
	}
	admin := member.Status == "creator" || member.Status == "administrator"
	b.adminMu.Lock()
	b.admins[key] = adminEntry{admin: admin, at: now}
	b.adminMu.Unlock()
	return admin
}

// showProgress shows a chat action while a slow command renders; Telegram
// shows one for five seconds, so it is repeated until stop is called.
func (b *Bot) showProgress(ctx context.Context, chatID int64, documents bool) (stop func()) {
	action := tgbotapi.ChatUploadPhoto
	if documents {
		action = tgbotapi.ChatUploadDocument
	}
	ctx, cancel := context.WithCancel(ctx)
	show := func() {
		err := b.out.once(ctx, chatID, func(api *tgbotapi.BotAPI, id int64) error {
			_, err := api.Request(tgbotapi.NewChatAction(id, action))
			return err
		})
		if err != nil && ctx.Err() == nil {
			b.log.Debug("sendChatAction failed", "err", err)
		}
	}
	// The first one before rendering starts, so even a quick render shows it.
	show()
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(4 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				show()
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
