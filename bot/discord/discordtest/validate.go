package discordtest

import (
	"fmt"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// nameRE is Discord's rule for command and option names (lower case where
// a letter has a lower case).
var nameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// locales Discord accepts in localization maps.
var locales = map[discordgo.Locale]bool{}

func init() {
	for l := range discordgo.Locales {
		locales[l] = true
	}
}

func checkName(what, name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%s %q: must match %s", what, name, nameRE)
	}
	for _, r := range name {
		if unicode.ToLower(r) != r {
			return fmt.Errorf("%s %q: must be lower case", what, name)
		}
	}
	return nil
}

func checkDesc(what, desc string) error {
	if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
		return fmt.Errorf("%s: description must be 1-100 characters, is %d", what, n)
	}
	return nil
}

func checkLocalizations(what string, names, descs map[discordgo.Locale]string) error {
	for l, n := range names {
		if !locales[l] {
			return fmt.Errorf("%s: unknown locale %q", what, l)
		}
		if err := checkName(what+" name_localizations["+string(l)+"]", n); err != nil {
			return err
		}
	}
	for l, d := range descs {
		if !locales[l] {
			return fmt.Errorf("%s: unknown locale %q", what, l)
		}
		if err := checkDesc(what+" description_localizations["+string(l)+"]", d); err != nil {
			return err
		}
	}
	return nil
}

func deref(m *map[discordgo.Locale]string) map[discordgo.Locale]string {
	if m == nil {
		return nil
	}
	return *m
}

// validateCommands applies the rules Discord applies to a bulk overwrite
// of chat-input commands.
func validateCommands(cmds []discordgo.ApplicationCommand) error {
	if len(cmds) > 100 {
		return fmt.Errorf("at most 100 commands")
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		if c.Type != 0 && c.Type != discordgo.ChatApplicationCommand {
			continue
		}
		what := "command " + c.Name
		if err := checkName("command", c.Name); err != nil {
			return err
		}
		if seen[c.Name] {
			return fmt.Errorf("%s: duplicate name", what)
		}
		seen[c.Name] = true
		if err := checkDesc(what, c.Description); err != nil {
			return err
		}
		if err := checkLocalizations(what, deref(c.NameLocalizations), deref(c.DescriptionLocalizations)); err != nil {
			return err
		}
		if err := validateOptions(what, c.Options); err != nil {
			return err
		}
	}
	return nil
}

func validateOptions(what string, opts []*discordgo.ApplicationCommandOption) error {
	if len(opts) > 25 {
		return fmt.Errorf("%s: at most 25 options", what)
	}
	names := map[string]bool{}
	optional := false
	for _, o := range opts {
		w := what + " option " + o.Name
		if err := checkName("option", o.Name); err != nil {
			return err
		}
		if names[o.Name] {
			return fmt.Errorf("%s: duplicate name", w)
		}
		names[o.Name] = true
		if err := checkDesc(w, o.Description); err != nil {
			return err
		}
		if err := checkLocalizations(w, o.NameLocalizations, o.DescriptionLocalizations); err != nil {
			return err
		}
		if o.Required && optional {
			return fmt.Errorf("%s: required options must be placed before non-required options", w)
		}
		optional = optional || !o.Required
		if o.Type < discordgo.ApplicationCommandOptionString || o.Type > discordgo.ApplicationCommandOptionAttachment {
			return fmt.Errorf("%s: unsupported type %d", w, o.Type)
		}
		if len(o.Choices) > 25 {
			return fmt.Errorf("%s: at most 25 choices", w)
		}
		if o.Autocomplete && len(o.Choices) > 0 {
			return fmt.Errorf("%s: autocomplete may not be set with choices", w)
		}
		for _, ch := range o.Choices {
			if n := utf8.RuneCountInString(ch.Name); n < 1 || n > 100 {
				return fmt.Errorf("%s: choice names 1-100 characters", w)
			}
			switch o.Type {
			case discordgo.ApplicationCommandOptionString:
				if _, ok := ch.Value.(string); !ok {
					return fmt.Errorf("%s: choice %q needs a string value", w, ch.Name)
				}
			case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
				if _, ok := ch.Value.(float64); !ok {
					return fmt.Errorf("%s: choice %q needs a number value", w, ch.Name)
				}
			}
		}
		isNum := o.Type == discordgo.ApplicationCommandOptionInteger || o.Type == discordgo.ApplicationCommandOptionNumber
		if !isNum && (o.MinValue != nil || o.MaxValue != 0) {
			return fmt.Errorf("%s: min_value/max_value only for numbers", w)
		}
		if o.MinValue != nil && o.MaxValue != 0 && *o.MinValue > o.MaxValue {
			return fmt.Errorf("%s: min_value above max_value", w)
		}
		isStr := o.Type == discordgo.ApplicationCommandOptionString
		if !isStr && (o.MinLength != nil || o.MaxLength != 0) {
			return fmt.Errorf("%s: min_length/max_length only for strings", w)
		}
		if o.MaxLength < 0 || o.MaxLength > 6000 || o.MinLength != nil && (*o.MinLength < 0 || *o.MinLength > 6000) {
			return fmt.Errorf("%s: length limits 0-6000", w)
		}
	}
	return nil
}
