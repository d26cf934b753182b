package discord

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

var _ bot.EventCreator = (*Bot)(nil)

// CreateEvent creates a meeting as the guild's own scheduled event (an
// "external" event: a place, a start and an end), once per guild and
// event key in this process: a meeting is announced in several channels of
// one guild at once. It needs the bot's Manage Events (Create Events)
// permission; without it Discord answers 403 and the runtime logs it, the
// invitation having gone out as a message either way. A DM has no guild
// and gets no event.
func (b *Bot) CreateEvent(ctx context.Context, chatID string, ev commands.CalendarEvent) error {
	ch, err := b.session.State.Channel(chatID)
	if err != nil {
		if ch, err = b.session.Channel(chatID, discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("channel %s: %w", chatID, err)
		}
	}
	b.session.State.RLock()
	guild := ch.GuildID
	b.session.State.RUnlock()
	if guild == "" {
		return nil
	}
	key := guild + "/" + ev.Key
	b.mu.Lock()
	if b.events == nil {
		b.events = map[string]bool{}
	}
	done := b.events[key]
	b.events[key] = true
	b.mu.Unlock()
	if done {
		return nil
	}
	start, end := ev.Start.UTC(), ev.Start.Add(ev.Duration).UTC()
	if ev.Duration <= 0 {
		end = start.Add(time.Hour)
	}
	place := ev.Place
	if place == "" {
		place = "—" // an external event needs a location
	}
	_, err = b.session.GuildScheduledEventCreate(guild, &discordgo.GuildScheduledEventParams{
		Name:               clipRunes(ev.Title, 100),
		ScheduledStartTime: &start,
		ScheduledEndTime:   &end,
		PrivacyLevel:       discordgo.GuildScheduledEventPrivacyLevelGuildOnly,
		EntityType:         discordgo.GuildScheduledEventEntityTypeExternal,
		EntityMetadata:     &discordgo.GuildScheduledEventEntityMetadata{Location: clipRunes(place, 100)},
	}, discordgo.WithContext(ctx))
	if err != nil {
		var rest *discordgo.RESTError
		if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == 403 {
			return fmt.Errorf("guild %s: no permission to create events (Manage Events): %w", guild, err)
		}
		// Try again with the next channel of this guild or the next meeting.
		b.mu.Lock()
		delete(b.events, key)
		b.mu.Unlock()
		return fmt.Errorf("guild %s: create event: %w", guild, err)
	}
	return nil
}
