package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// Discord's limits for message components.
const (
	maxCustomID      = 100
	maxLabel         = 80
	maxButtonsPerRow = 5
	maxRows          = 5
	maxFiles         = 10
)

// noMentions lets no message ping anyone: not @everyone, roles or users,
// whatever a user typed.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// allowed lets a message ping exactly the users it mentions (the
// structured mentions of commands.Mention), and nobody else whatever a user
// typed.
func allowed(users []string) *discordgo.MessageAllowedMentions {
	m := noMentions()
	m.Users = users
	return m
}

// renderMentions escapes text and writes <@id> for each mention of a
// Discord user, returning those users' ids; other people's spans (someone
// on Telegram) stay their escaped text.
func renderMentions(text string, mentions []commands.Mention) (string, []string) {
	var users []string
	content := commands.RenderMentions(text, mentions, Escape, func(m commands.Mention, shown string) string {
		if m.User.Platform != commands.Discord || !snowflake(m.User.ID) {
			return Escape(shown)
		}
		if !slices.Contains(users, m.User.ID) {
			users = append(users, m.User.ID)
		}
		return "<@" + m.User.ID + ">"
	})
	return clipRunes(content, maxContent), users
}

// snowflake says whether id is a Discord id (digits only), so a mention
// can never carry anything else.
func snowflake(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// SendMentions posts text that names people (a sparring introduction):
// the Discord users among them are mentioned (<@id>) and may be pinged;
// nothing else in the text can ping anyone.
func (b *Bot) SendMentions(ctx context.Context, chatID, text string, mentions []commands.Mention) (string, error) {
	return b.send(ctx, chatID, text, mentions, nil, nil)
}

// SendText posts text to a channel, escaped, split over several messages
// when longer than Discord allows. It returns the id of the first message.
func (b *Bot) SendText(ctx context.Context, chatID, text string) (string, error) {
	return b.send(ctx, chatID, text, nil, nil, nil)
}

// SendImage posts an image with a caption.
func (b *Bot) SendImage(ctx context.Context, chatID, caption string, img commands.File) (string, error) {
	return b.send(ctx, chatID, caption, nil, []commands.File{img}, nil)
}

// SendFile posts a document with a caption.
func (b *Bot) SendFile(ctx context.Context, chatID, caption string, f commands.File) (string, error) {
	return b.send(ctx, chatID, caption, nil, []commands.File{f}, nil)
}

// SendButtons posts text with buttons; pressing one runs its command line
// as the presser, or opens a form for the text it leaves out (Table.Asks).
func (b *Bot) SendButtons(ctx context.Context, chatID, text string, buttons []commands.Button) (string, error) {
	return b.send(ctx, chatID, text, nil, nil, buttons)
}

// AsksForText tells the runtime that a button leaving out a required text
// opens a form for it here (onButton), so such buttons are shown.
func (b *Bot) AsksForText() bool { return true }

// send posts one message (more when the text is long); files and buttons go
// with the last piece, so the buttons sit under the end of the text.
func (b *Bot) send(ctx context.Context, chatID, text string, mentions []commands.Mention, files []commands.File, buttons []commands.Button) (string, error) {
	first := ""
	for _, p := range b.layout(text, mentions, files, buttons) {
		if p.empty() {
			continue
		}
		var msg *discordgo.Message
		err := b.orWithoutFiles(ctx, chatID, p, func(p outMsg) error {
			m := &discordgo.MessageSend{Content: p.content, Files: p.files, Components: p.components, AllowedMentions: allowed(p.users)}
			var err error
			msg, err = b.session.ChannelMessageSendComplex(chatID, m, discordgo.WithContext(ctx))
			return err
		})
		if err != nil {
			if cannotMessage(err) {
				return first, fmt.Errorf("discord: send to channel %s: %w: %w", chatID, bot.ErrBlocked, err)
			}
			return first, fmt.Errorf("discord: send to channel %s: %w", chatID, err)
		}
		if first == "" {
			first = msg.ID
		}
	}
	return first, nil
}

func discordFiles(files []commands.File) []*discordgo.File {
	var out []*discordgo.File
	for _, f := range files {
		if len(out) == maxFiles {
			break
		}
		out = append(out, &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(f.Data)})
	}
	return out
}

// components lays buttons out in rows. A button's custom_id is its command
// line; one longer than Discord allows, or beyond the last row, is
// returned in leftOut, for the text to show as a command to type.
func components(buttons []commands.Button) (rows []discordgo.MessageComponent, leftOut []commands.Button) {
	var row []discordgo.MessageComponent
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	for _, btn := range buttons {
		line := btn.Line()
		if len(line) > maxCustomID || btn.Command == "" {
			leftOut = append(leftOut, btn)
			continue
		}
		if len(row) == maxButtonsPerRow {
			flush()
		}
		if len(rows) == maxRows {
			leftOut = append(leftOut, btn)
			continue
		}
		style := discordgo.SecondaryButton
		if len(rows) == 0 && len(row) == 0 {
			style = discordgo.PrimaryButton
		}
		row = append(row, discordgo.Button{Label: clipLabel(btn.Label), Style: style, CustomID: line})
	}
	flush()
	return rows, leftOut
}

// clipLabel keeps a label within Discord's limit; Discord rejects an
// empty one.
func clipLabel(s string) string {
	if s == "" {
		return "…"
	}
	return clipRunes(s, maxLabel)
}

// cannotMessage says Discord refused a message to a user for good: they
// blocked the bot or allow no DMs (error 50007).
func cannotMessage(err error) bool {
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Message != nil && rest.Message.Code == discordgo.ErrCodeCannotSendMessagesToThisUser
}

var _ bot.MentionSender = (*Bot)(nil)
