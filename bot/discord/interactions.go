package discord

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/commands"
)

// interactionTimeout bounds the work on one interaction; Discord accepts
// edits of a deferred reply for 15 minutes.
const interactionTimeout = 10 * time.Minute

// Discord's limits for modals.
const (
	maxModalTitle = 45
	maxModalLabel = 45
	maxModalText  = 4000
)

// onInteraction answers one interaction. discordgo calls it on a new
// goroutine for each event; the work moves to a kept one (b.work), whose
// stack has grown already for SQLite and the HTTP client.
func (b *Bot) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic.Interaction == nil || !b.track() {
		return
	}
	b.work.Go(func() {
		defer b.inflight.Done()
		b.interaction(ic.Interaction)
	})
}

// interaction answers one interaction.
func (b *Bot) interaction(i *discordgo.Interaction) {
	ctx, cancel := context.WithTimeout(context.Background(), interactionTimeout)
	defer cancel()
	start := time.Now()
	// A resumed gateway may deliver an interaction again: the runtime
	// decides that (bot.Inbound.Seen), also for commands that store
	// nothing, such as a second /mijngegevens.
	duplicate := false
	switch {
	case i.Type == discordgo.InteractionApplicationCommand:
		duplicate = b.onCommand(ctx, i)
	case i.Type == discordgo.InteractionApplicationCommandAutocomplete:
		b.onAutocomplete(ctx, i)
	case i.Type == discordgo.InteractionMessageComponent:
		duplicate = b.onButton(ctx, i)
	case i.Type == discordgo.InteractionModalSubmit:
		duplicate = b.onModal(ctx, i)
	}
	b.log.Debug("interaction", "id", i.ID, "type", int(i.Type), "duplicate", duplicate, "ms", time.Since(start).Milliseconds())
	if b.handled != nil {
		b.handled(i.ID, duplicate)
	}
}

// request is the platform-neutral request for an interaction, without command.
func (b *Bot) request(i *discordgo.Interaction) commands.Request {
	u, name, admin := i.User, "", false
	if i.Member != nil {
		u, name = i.Member.User, i.Member.Nick
		// Manage Server or Administrator makes a member a chat admin (/koppel).
		admin = i.Member.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
	}
	if u == nil {
		u = &discordgo.User{}
	}
	if name == "" {
		name = u.GlobalName
	}
	if name == "" {
		name = u.Username
	}
	return commands.Request{
		EventID:     "discord:interaction:" + i.ID,
		Chat:        commands.ChatRef{Platform: commands.Discord, ID: i.ChannelID},
		ChatTitle:   b.channelTitle(i.ChannelID),
		User:        commands.UserRef{Platform: commands.Discord, ID: u.ID, Name: name, Contact: contact(u)},
		IsChatAdmin: admin,
		// Personal replies (/mijngegevens) go out ephemeral: only the user sees them.
		Private: true,
		// An interaction without a guild comes from a DM with the bot.
		PrivateChat: i.GuildID == "",
		Lang:        commands.ParseLang(string(i.Locale)),
	}
}

// channelTitle is "#name" when the gateway told us the channel (Guilds intent).
func (b *Bot) channelTitle(id string) string {
	st := b.session.State
	ch, err := st.Channel(id)
	if err != nil {
		return ""
	}
	st.RLock() // the gateway may be updating the channel
	defer st.RUnlock()
	if ch.Name == "" {
		return ""
	}
	return "#" + ch.Name
}

func (b *Bot) onCommand(ctx context.Context, i *discordgo.Interaction) bool {
	data := i.ApplicationCommandData()
	req := b.request(i)
	req.Command = data.Name
	req.Args = optionArgs(data.Options)
	cmd := b.in.Commands().Lookup(data.Name)
	return b.answer(ctx, i, req.EventID, cmd != nil && cmd.Slow, func(ctx context.Context) commands.Reply {
		return b.in.Handle(ctx, req)
	})
}

// optionArgs turns typed option values into the raw strings the handler
// validates; integers arrive as JSON numbers.
func optionArgs(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]string {
	args := map[string]string{}
	for _, o := range opts {
		if o == nil || o.Value == nil {
			continue
		}
		args[o.Name] = valueString(o.Value)
	}
	return args
}

func valueString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		return fmt.Sprint(v)
	}
}

func (b *Bot) onAutocomplete(ctx context.Context, i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range data.Options {
		if o != nil && o.Focused {
			focused = o
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	cmd := b.in.Commands().Lookup(data.Name)
	if focused != nil && cmd != nil {
		req := b.request(i)
		req.EventID = "" // suggestions store nothing
		req.Command = cmd.Name
		req.Args = optionArgs(data.Options)
		opt := cmd.Option(focused.Name)
		partial := ""
		if focused.Value != nil {
			partial = valueString(focused.Value)
		}
		for _, c := range b.in.Complete(ctx, req, focused.Name, partial) {
			if len(choices) == maxChoices {
				break
			}
			ch := &discordgo.ApplicationCommandOptionChoice{Name: clipRunes(c.Name, 100), Value: clipRunes(c.Value, 100)}
			if opt != nil && opt.Type == commands.OptInt {
				n, err := strconv.ParseInt(c.Value, 10, 64)
				if err != nil {
					continue
				}
				ch.Value = n
			}
			choices = append(choices, ch)
		}
	}
	err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("autocomplete response failed", "id", i.ID, "err", err)
	}
}

// onButton runs a button's command line as the presser. A line that lacks
// only its final text (the Beantwoorden button's "/antwoord 12") opens a
// form asking for that text instead.
func (b *Bot) onButton(ctx context.Context, i *discordgo.Interaction) bool {
	line := i.MessageComponentData().CustomID
	req := b.request(i)
	cmd, args, err := b.in.Commands().Parse(line, b.botName())
	if err == nil {
		if opt := cmd.MissingText(args); opt != nil {
			b.openModal(ctx, i, req, line, opt)
			return false
		}
	}
	return b.answer(ctx, i, req.EventID, err == nil && cmd.Slow, func(ctx context.Context) commands.Reply {
		reply, ok := b.in.HandleText(ctx, req, line, b.botName())
		if !ok { // not a command line (for this bot): a button of another era
			l := b.in.Lang(ctx, req.Chat)
			return commands.Reply{Text: l.Msg(commands.MsgButtonGone), Ephemeral: true}
		}
		return reply
	})
}

func (b *Bot) openModal(ctx context.Context, i *discordgo.Interaction, req commands.Request, line string, opt *commands.Option) {
	lang := b.in.Lang(ctx, req.Chat)
	maxLen := opt.MaxLen
	if maxLen == 0 {
		maxLen = commands.DefaultMaxLen
	}
	err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: line,
			Title:    clipRunes(line, maxModalTitle),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{
					CustomID:  opt.Name,
					Label:     clipRunes(opt.Description(lang), maxModalLabel),
					Style:     discordgo.TextInputParagraph,
					Required:  true,
					MinLength: 1,
					MaxLength: min(maxLen, maxModalText),
				},
			}}},
		},
	}, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("modal response failed", "id", i.ID, "err", err)
	}
}

// onModal runs the modal's command line with the typed text filled in.
func (b *Bot) onModal(ctx context.Context, i *discordgo.Interaction) bool {
	data := i.ModalSubmitData()
	req := b.request(i)
	cmd, args, err := b.in.Commands().Parse(data.CustomID, b.botName())
	if err != nil {
		return b.answer(ctx, i, req.EventID, false, func(ctx context.Context) commands.Reply {
			return b.in.ParseErrorReply(ctx, req, err)
		})
	}
	for name, value := range textInputs(data.Components) {
		if cmd.Option(name) != nil {
			args[name] = value
		}
	}
	req.Command, req.Args = cmd.Name, args
	return b.answer(ctx, i, req.EventID, cmd.Slow, func(ctx context.Context) commands.Reply {
		return b.in.Handle(ctx, req)
	})
}

// textInputs collects a modal's text inputs by custom_id.
func textInputs(cs []discordgo.MessageComponent) map[string]string {
	out := map[string]string{}
	var walk func(cs []discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.TextInput:
				out[c.CustomID] = c.Value
			}
		}
	}
	walk(cs)
	return out
}

// clipRunes cuts s to at most n characters, marking a cut with "…".
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// contact is how other people find the user on Discord: the unique
// @username. (A <@id> mention would show as text, as every message's
// markdown is escaped; see Escape.)
func contact(u *discordgo.User) string {
	if u.Username == "" {
		return ""
	}
	return "@" + u.Username
}
