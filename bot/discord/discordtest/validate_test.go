package discordtest

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func opt(name string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: "d", Required: required}
}

var validateTests = []struct {
	name string
	cmd  discordgo.ApplicationCommand
	err  string // "" for valid
}{
	{"valid", discordgo.ApplicationCommand{Name: "schuif", Description: "Zet een schuif", Options: []*discordgo.ApplicationCommandOption{opt("element", true), opt("toelichting", false)}}, ""},
	{"upper case name", discordgo.ApplicationCommand{Name: "Schuif", Description: "d"}, "lower case"},
	{"space in name", discordgo.ApplicationCommand{Name: "mijn gegevens", Description: "d"}, "must match"},
	{"empty description", discordgo.ApplicationCommand{Name: "hulp"}, "description"},
	{"long description", discordgo.ApplicationCommand{Name: "hulp", Description: strings.Repeat("x", 101)}, "description"},
	{"required after optional", discordgo.ApplicationCommand{Name: "schuif", Description: "d", Options: []*discordgo.ApplicationCommandOption{opt("toelichting", false), opt("element", true)}}, "required options must be placed before"},
	{"bad locale", discordgo.ApplicationCommand{Name: "hulp", Description: "d", NameLocalizations: &map[discordgo.Locale]string{"en": "help"}}, "unknown locale"},
	{"upper case localization", discordgo.ApplicationCommand{Name: "hulp", Description: "d", NameLocalizations: &map[discordgo.Locale]string{discordgo.EnglishUS: "Help"}}, "lower case"},
	{"autocomplete with choices", discordgo.ApplicationCommand{Name: "x", Description: "d", Options: []*discordgo.ApplicationCommandOption{{
		Type: discordgo.ApplicationCommandOptionString, Name: "a", Description: "d", Autocomplete: true,
		Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}}}}, "autocomplete"},
	{"min_value on a string", discordgo.ApplicationCommand{Name: "x", Description: "d", Options: []*discordgo.ApplicationCommandOption{{
		Type: discordgo.ApplicationCommandOptionString, Name: "a", Description: "d", MaxValue: 10}}}, "only for numbers"},
}

func TestValidateCommands(t *testing.T) {
	for _, tt := range validateTests {
		err := validateCommands([]discordgo.ApplicationCommand{tt.cmd})
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v, want valid", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.err)
		}
	}
	dup := discordgo.ApplicationCommand{Name: "hulp", Description: "d"}
	if err := validateCommands([]discordgo.ApplicationCommand{dup, dup}); err == nil {
		t.Error("duplicate command names accepted")
	}
}
