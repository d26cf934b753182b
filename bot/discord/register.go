package discord

import (
	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/commands"
)

// Discord's limits for application commands.
const (
	maxDescription = 100
	maxChoices     = 25
)

// manageServer is the permission that makes a member a chat admin; it is
// also what admin commands require by default.
const manageServer = int64(discordgo.PermissionManageGuild)

// ApplicationCommands derives the slash commands from the command table:
// the Dutch name is the command's name and the English one its en-US/en-GB
// localization; hidden commands and options are left out; required options
// come first, as Discord demands.
func ApplicationCommands(t commands.Table) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for i := range t {
		c := &t[i]
		if c.Hidden {
			continue
		}
		ac := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     c.Name,
			NameLocalizations:        english(c.Name, c.English),
			Description:              clipDesc(c.Description(commands.NL), c.Name),
			DescriptionLocalizations: localized(c.Description),
			Options:                  []*discordgo.ApplicationCommandOption{},
		}
		if c.Who >= commands.ChatAdmin {
			// Hidden from ordinary members by default; server admins may
			// change that, so the handler checks permissions too.
			p := manageServer
			ac.DefaultMemberPermissions = &p
		}
		// A command is offered where its table entry lets it run: in the
		// guild for group chats, in a DM with the bot for private chats
		// (experts work there), never both for admins' commands.
		var contexts []discordgo.InteractionContextType
		if c.Where&(commands.InUnlinked|commands.InCollective|commands.InStaff) != 0 {
			contexts = append(contexts, discordgo.InteractionContextGuild)
		}
		if c.Where&(commands.InPrivate|commands.InExpert) != 0 && c.Who == commands.Member {
			contexts = append(contexts, discordgo.InteractionContextBotDM)
		}
		ac.Contexts = &contexts
		for _, required := range []bool{true, false} {
			for j := range c.Options {
				o := &c.Options[j]
				if o.Hidden || o.Required != required {
					continue
				}
				ac.Options = append(ac.Options, option(o))
			}
		}
		out = append(out, ac)
	}
	return out
}

func option(o *commands.Option) *discordgo.ApplicationCommandOption {
	ao := &discordgo.ApplicationCommandOption{
		Type:                     discordgo.ApplicationCommandOptionString,
		Name:                     o.Name,
		NameLocalizations:        deref(english(o.Name, o.NameEN)),
		Description:              clipDesc(o.Description(commands.NL), o.Name),
		DescriptionLocalizations: deref(localized(o.Description)),
		Required:                 o.Required,
		Autocomplete:             o.Autocomplete,
	}
	switch o.Type {
	case commands.OptText:
		ao.MaxLength = o.MaxLen
		if ao.MaxLength == 0 {
			ao.MaxLength = commands.DefaultMaxLen
		}
	case commands.OptInt:
		ao.Type = discordgo.ApplicationCommandOptionInteger
		lo := float64(o.Min) // a pointer, so that a minimum of 0 is sent
		ao.MinValue = &lo
		ao.MaxValue = float64(o.Max)
	case commands.OptChoice:
		for _, v := range o.Choices {
			if len(ao.Choices) == maxChoices {
				break
			}
			ao.Choices = append(ao.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		}
	case commands.OptDate:
		n := len("2006-01-02")
		ao.MinLength, ao.MaxLength = &n, n
	}
	return ao
}

// english is the en-US and en-GB localization of a name or description, or
// nil when there is no English text or it equals the Dutch one.
func english(nl, en string) *map[discordgo.Locale]string {
	if en == "" || en == nl {
		return nil
	}
	return &map[discordgo.Locale]string{discordgo.EnglishUS: en, discordgo.EnglishGB: en}
}

// localized is a description in every other language of the catalogues,
// under each Discord locale of that language, or nil when all equal the
// Dutch one (the command's own description).
func localized(desc func(commands.Lang) string) *map[discordgo.Locale]string {
	nl := desc(commands.NL)
	m := map[discordgo.Locale]string{}
	for _, l := range commands.Languages() {
		d := clipDesc(desc(l), "")
		if l == commands.NL || d == "" || d == nl {
			continue
		}
		for _, loc := range locales(l) {
			m[loc] = d
		}
	}
	if len(m) == 0 {
		return nil
	}
	return &m
}

// locales are the Discord locales that read language l: Discord splits
// some languages by region; for the others the tag is the locale.
func locales(l commands.Lang) []discordgo.Locale {
	switch l {
	case commands.EN:
		return []discordgo.Locale{discordgo.EnglishUS, discordgo.EnglishGB}
	case "es":
		return []discordgo.Locale{discordgo.SpanishES}
	case "pt":
		return []discordgo.Locale{discordgo.PortugueseBR}
	case "sv":
		return []discordgo.Locale{discordgo.Swedish}
	case "zh":
		return []discordgo.Locale{discordgo.ChineseCN, discordgo.ChineseTW}
	}
	return []discordgo.Locale{discordgo.Locale(l)}
}

func deref(m *map[discordgo.Locale]string) map[discordgo.Locale]string {
	if m == nil {
		return nil
	}
	return *m
}

// clipDesc keeps a description within Discord's 100 characters; Discord
// rejects an empty one, so fallback stands in.
func clipDesc(s, fallback string) string {
	if s == "" {
		s = fallback
	}
	return clipRunes(s, maxDescription)
}
