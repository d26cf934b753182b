package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/commands"
)

// Menu is the command list Telegram shows when typing "/" in a kind of
// chat, in one language, derived from the table. Hidden commands (buttons,
// confirmations) and bot-admin-only ones (/stafkanaal) are left out;
// typing them still works.
func Menu(t commands.Table, where commands.Where, lang commands.Lang) []tgbotapi.BotCommand {
	var list []tgbotapi.BotCommand
	for i := range t {
		c := &t[i]
		if c.Hidden || c.Who == commands.BotAdmin || c.Where&where == 0 {
			continue
		}
		list = append(list, tgbotapi.BotCommand{Command: c.LocalName(lang), Description: c.Description(lang)})
	}
	return list
}

// setCommands publishes the command menus: the collective commands for
// every chat (Dutch for everyone, and a menu for users whose Telegram is in another language,
// one per language of the catalogues), and the staff commands in each Telegram staff chat. Telegram can scope a
// menu to one chat only by its id, so a new staff chat gets its menu when
// /stafkanaal succeeds (Reply.CommandsChanged). Failures are logged: typed commands work regardless.
func (b *Bot) setCommands(ctx context.Context) {
	for _, lang := range commands.Languages() {
		b.setMenu(ctx, tgbotapi.NewBotCommandScopeDefault(), lang, Menu(b.in.Commands(), commands.InCollective, lang))
	}
	staff, err := b.in.StaffChats(ctx)
	if err != nil {
		b.log.Warn("listing staff chats for their command menu failed", "err", err)
		return
	}
	for _, c := range staff {
		if c.Ref.Platform != commands.Telegram {
			continue
		}
		if id, err := parseChatID(c.Ref.ID); err == nil {
			b.setStaffMenu(ctx, id)
		}
	}
}

// refreshStaffCommands gives a chat the staff menu once it is a staff chat
// (a reply with CommandsChanged says it is one now).
func (b *Bot) refreshStaffCommands(ctx context.Context, chatID int64) {
	b.setStaffMenu(ctx, chatID)
}

func (b *Bot) setStaffMenu(ctx context.Context, chatID int64) {
	for _, lang := range commands.Languages() {
		b.setMenu(ctx, tgbotapi.NewBotCommandScopeChat(chatID), lang, Menu(b.in.Commands(), commands.InStaff, lang))
	}
}

func (b *Bot) setMenu(ctx context.Context, scope tgbotapi.BotCommandScope, lang commands.Lang, list []tgbotapi.BotCommand) {
	cfg := tgbotapi.NewSetMyCommandsWithScope(scope, list...)
	// The default language's menu is everyone's fallback; each other
	// language's is shown to users whose Telegram is set to it.
	if lang != commands.Languages()[0] {
		cfg.LanguageCode = string(lang)
	}
	var none int64
	err := b.out.call(ctx, &none, true, false, func(api *tgbotapi.BotAPI, _ int64) error {
		_, err := api.Request(cfg)
		return err
	})
	if err != nil {
		b.log.Warn("setMyCommands failed", "scope", scope.Type, "lang", string(lang), "err", err)
	}
}
