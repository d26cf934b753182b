package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// outMsg is one Discord message of a reply: long replies take several.
type outMsg struct {
	content    string
	files      []*discordgo.File
	components []discordgo.MessageComponent
	users      []string // the users this message mentions (allowed_mentions)
}

func (m outMsg) empty() bool {
	return m.content == "" && len(m.files) == 0 && len(m.components) == 0
}

// layout cuts text into Discord messages, escaped; files and buttons go
// with the last one, so the buttons sit under the end of the text. Buttons
// Discord cannot carry are added to the text as commands to type, so no
// action silently disappears. The last message may be empty.
func (b *Bot) layout(text string, mentions []commands.Mention, files []commands.File, buttons []commands.Button) []outMsg {
	rows, leftOut := components(buttons)
	if len(leftOut) > 0 {
		b.log.Warn("buttons shown as text: too long or too many for Discord", "count", len(leftOut))
		text += bot.ButtonFallback(leftOut)
	}
	pieces := chunks(text)
	out := make([]outMsg, len(pieces))
	for k, p := range pieces {
		out[k].content = Escape(p)
	}
	if len(mentions) > 0 && len(pieces) == 1 && len(leftOut) == 0 {
		out[0].content, out[0].users = renderMentions(text, mentions)
	}
	last := &out[len(out)-1]
	last.files = discordFiles(files)
	last.components = rows
	return out
}

// messages lays a reply out as Discord messages. The chart image goes with
// the text, which stays its accessible description.
func (b *Bot) messages(r commands.Reply) []outMsg {
	var files []commands.File
	if r.Image != nil {
		files = append(files, *r.Image)
	}
	out := b.layout(r.Text, r.Mentions, append(files, r.Files...), r.Buttons)
	if last := &out[len(out)-1]; last.empty() {
		last.content = "✓" // Discord refuses an empty message
	}
	return out
}

// orWithoutFiles posts m; when Discord refuses its attachments as too
// large, it posts the text again without them and with a note, so the
// answer still arrives and the user knows what is missing.
func (b *Bot) orWithoutFiles(ctx context.Context, channelID string, m outMsg, post func(outMsg) error) error {
	err := post(m)
	var rest *discordgo.RESTError
	if err == nil || len(m.files) == 0 || !errors.As(err, &rest) || rest.Response == nil ||
		rest.Response.StatusCode != http.StatusRequestEntityTooLarge {
		return err
	}
	b.log.Warn("attachments refused as too large; sending the text alone", "files", len(m.files))
	l := b.in.Lang(ctx, commands.ChatRef{Platform: commands.Discord, ID: channelID})
	note := l.Msg(commands.MsgDiscordFileTooLarge)
	m.content = clipRunes(strings.TrimSpace(m.content+"\n\n"+Escape(note)), maxContent)
	m.files = nil
	return post(m)
}

// ephemeral says whether only the invoker may see r. A Secret reply (a
// login link) is one whether or not its handler also marked it Ephemeral:
// in a channel an ephemeral reply is Discord's private one.
func ephemeral(r commands.Reply) bool { return r.Ephemeral || r.Secret }

func flags(r commands.Reply) discordgo.MessageFlags {
	if ephemeral(r) {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// States of an interaction being answered (answer).
const (
	stateRunning   = iota // the command runs
	stateAnswering        // it ended in time: answered with the reply itself
	stateDeferred         // it took longer than deferAfter: deferred, then edited
)

// answer runs a command for an interaction and answers within Discord's
// 3-second deadline: slow commands are deferred at once ("bot is
// thinking…"), others when they take longer than deferAfter; a deferred
// reply is then filled in by editing it. A re-delivered interaction gets no
// answer: its first delivery answered. It reports whether it was a re-delivery.
func (b *Bot) answer(ctx context.Context, i *discordgo.Interaction, eventID string, slow bool, run func(context.Context) commands.Reply) bool {
	if slow || b.deferAfter <= 0 {
		// Deferring acknowledges the interaction, so look for a re-delivery first.
		if b.in.Seen(ctx, eventID) {
			return true
		}
		if alreadyAcknowledged(b.deferReply(ctx, i)) {
			return true // answered before, by this process or an earlier one
		}
		r := run(ctx)
		if r.Duplicate {
			return true
		}
		b.finishDeferred(ctx, i, r)
		return false
	}
	// The command runs on this goroutine (a kept one: onInteraction); a
	// timer defers the interaction when it takes longer than deferAfter.
	// Before, the command ran on a second goroutine while this one waited
	// for it or the timer: a hand-over and a second stack to grow for every
	// interaction (wijkbench latency p99 median 39.3 -> 33.6 ms without it).
	var state atomic.Int32 // stateRunning, then stateAnswering or stateDeferred
	deferred := make(chan struct{})
	timer := time.AfterFunc(b.deferAfter, func() {
		if state.CompareAndSwap(stateRunning, stateDeferred) {
			defer close(deferred)
			b.deferReply(ctx, i)
		}
	})
	r := run(ctx)
	if state.CompareAndSwap(stateRunning, stateAnswering) {
		timer.Stop()
		if r.Duplicate {
			return true
		}
		b.respond(ctx, i, r)
		return false
	}
	<-deferred // the deferral went out first
	if r.Duplicate {
		return true
	}
	b.finishDeferred(ctx, i, r)
	return false
}

func (b *Bot) deferReply(ctx context.Context, i *discordgo.Interaction) error {
	err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	}, discordgo.WithContext(ctx))
	if err != nil && !alreadyAcknowledged(err) {
		b.log.Warn("defer failed", "id", i.ID, "err", err)
	}
	return err
}

// alreadyAcknowledged says whether Discord refused a callback because the
// interaction was answered before: a re-delivery.
func alreadyAcknowledged(err error) bool {
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Message != nil && rest.Message.Code == discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged
}

// respond answers at once (type 4); further pieces of a long reply follow.
func (b *Bot) respond(ctx context.Context, i *discordgo.Interaction, r commands.Reply) {
	msgs := b.messages(r)
	err := b.orWithoutFiles(ctx, i.ChannelID, msgs[0], func(m outMsg) error {
		return b.session.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content: m.content, Files: m.files, Components: m.components,
				AllowedMentions: allowed(m.users), Flags: flags(r),
			},
		}, discordgo.WithContext(ctx))
	})
	if err != nil {
		b.log.Error("interaction response failed", "id", i.ID, "err", err)
		return
	}
	b.followups(ctx, i, r, msgs[1:])
}

// finishDeferred fills in a deferred reply. The deferral was public, so an
// ephemeral reply (a refusal, an error) replaces it with a message only the
// invoker sees.
func (b *Bot) finishDeferred(ctx context.Context, i *discordgo.Interaction, r commands.Reply) {
	msgs := b.messages(r)
	if ephemeral(r) {
		if err := b.session.InteractionResponseDelete(i, discordgo.WithContext(ctx)); err != nil {
			b.log.Warn("deleting deferred reply failed", "id", i.ID, "err", err)
		}
		b.followups(ctx, i, r, msgs)
		return
	}
	err := b.orWithoutFiles(ctx, i.ChannelID, msgs[0], func(m outMsg) error {
		edit := &discordgo.WebhookEdit{Content: &m.content, Files: m.files, AllowedMentions: allowed(m.users)}
		if len(m.components) > 0 {
			edit.Components = &m.components
		}
		_, err := b.session.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		b.log.Error("editing deferred reply failed", "id", i.ID, "err", err)
		return
	}
	b.followups(ctx, i, r, msgs[1:])
}

func (b *Bot) followups(ctx context.Context, i *discordgo.Interaction, r commands.Reply, msgs []outMsg) {
	for _, m := range msgs {
		err := b.orWithoutFiles(ctx, i.ChannelID, m, func(m outMsg) error {
			_, err := b.session.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
				Content: m.content, Files: m.files, Components: m.components,
				AllowedMentions: allowed(m.users), Flags: flags(r),
			}, discordgo.WithContext(ctx))
			return err
		})
		if err != nil {
			b.log.Error("follow-up failed", "id", i.ID, "err", err)
			return
		}
	}
}
