package discord_test

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/commands"
)

func TestRegistration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cmds := h.srv.Commands(h.srv.GuildID)
	byName := map[string]discordgo.ApplicationCommand{}
	for _, c := range cmds {
		byName[c.Name] = c
	}
	if global := h.srv.RawCommands(""); global != nil {
		t.Fatalf("commands registered globally too: %s", global)
	}

	t.Run("every visible command once, Dutch name, English localizations", func(t *testing.T) {
		want := 0
		for _, c := range commands.Commands {
			if c.Hidden {
				if _, ok := byName[c.Name]; ok {
					t.Errorf("hidden command %q registered", c.Name)
				}
				continue
			}
			want++
			got, ok := byName[c.Name]
			if !ok {
				t.Errorf("command %q not registered", c.Name)
				continue
			}
			if c.English != "" && c.English != c.Name {
				if got.NameLocalizations == nil || (*got.NameLocalizations)[discordgo.EnglishUS] != c.English || (*got.NameLocalizations)[discordgo.EnglishGB] != c.English {
					t.Errorf("%s: name localizations %v, want en-US and en-GB %q", c.Name, got.NameLocalizations, c.English)
				}
			}
			if got.DescriptionLocalizations == nil || (*got.DescriptionLocalizations)[discordgo.EnglishGB] != c.Description(commands.EN) {
				t.Errorf("%s: description localizations %v, want %q", c.Name, got.DescriptionLocalizations, c.Description(commands.EN))
			}
			if got.Description != c.Description(commands.NL) {
				t.Errorf("%s: description %q, want %q", c.Name, got.Description, c.Description(commands.NL))
			}
		}
		if len(cmds) != want {
			t.Errorf("%d commands registered, want %d", len(cmds), want)
		}
	})

	t.Run("schuif: autocomplete element, integer waarde 0-10, optional toelichting last", func(t *testing.T) {
		c := byName["schuif"]
		if len(c.Options) != 3 {
			t.Fatalf("schuif has %d options, want 3", len(c.Options))
		}
		el, val, why := c.Options[0], c.Options[1], c.Options[2]
		if el.Name != "element" || el.Type != discordgo.ApplicationCommandOptionString || !el.Autocomplete || !el.Required {
			t.Errorf("element option = %+v", el)
		}
		if val.Name != "waarde" || val.Type != discordgo.ApplicationCommandOptionInteger || val.MinValue == nil || *val.MinValue != 0 || val.MaxValue != 10 {
			t.Errorf("waarde option = %+v, want integer 0-10", val)
		}
		if val.NameLocalizations[discordgo.EnglishUS] != "value" {
			t.Errorf("waarde localizations = %v", val.NameLocalizations)
		}
		if why.Name != "toelichting" || why.Required {
			t.Errorf("last option = %+v, want optional toelichting", why)
		}
	})

	t.Run("the wire payload sends min_value 0 explicitly", func(t *testing.T) {
		var raw []map[string]any
		if err := json.Unmarshal(h.srv.RawCommands(h.srv.GuildID), &raw); err != nil {
			t.Fatal(err)
		}
		for _, c := range raw {
			if c["name"] != "schuif" {
				continue
			}
			waarde := c["options"].([]any)[1].(map[string]any)
			if v, ok := waarde["min_value"]; !ok || v != 0.0 {
				t.Fatalf("waarde min_value = %v (present %v), want 0", v, ok)
			}
			return
		}
		t.Fatal("schuif not in payload")
	})

	t.Run("hulpvraag: expertise choices", func(t *testing.T) {
		c := byName["hulpvraag"]
		exp := c.Options[0]
		if exp.Name != "expertise" || len(exp.Choices) != len(commands.Expertises) {
			t.Fatalf("expertise option = %+v", exp)
		}
		for i, ch := range exp.Choices {
			if ch.Value != commands.Expertises[i] {
				t.Errorf("choice %d = %v, want %s", i, ch.Value, commands.Expertises[i])
			}
		}
	})

	t.Run("admin commands need Manage Server by default; members' commands do not", func(t *testing.T) {
		for _, name := range []string{"koppel", commands.CmdStaffChat} {
			p := byName[name].DefaultMemberPermissions
			if p == nil || *p != discordgo.PermissionManageGuild {
				t.Errorf("%s default_member_permissions = %v, want Manage Server", name, p)
			}
		}
		if p := byName["voortgang"].DefaultMemberPermissions; p != nil {
			t.Errorf("voortgang default_member_permissions = %v, want none", *p)
		}
	})

	t.Run("only commands for anyone anywhere work in DMs", func(t *testing.T) {
		for name, wantDM := range map[string]bool{"hulp": true, "mijngegevens": true, "koppel": false, "voortgang": false} {
			c := byName[name]
			dm := false
			for _, ctx := range *c.Contexts {
				dm = dm || ctx == discordgo.InteractionContextBotDM
			}
			if dm != wantDM {
				t.Errorf("%s usable in DMs = %v, want %v", name, dm, wantDM)
			}
		}
	})

	t.Run("ApplicationCommands matches what was registered", func(t *testing.T) {
		if got, want := len(discord.ApplicationCommands(commands.Commands)), len(cmds); got != want {
			t.Fatalf("ApplicationCommands gives %d, registered %d", got, want)
		}
	})
}

// TestREADMEInvite keeps the invite link in the README in step with the
// permissions the bot needs.
func TestREADMEInvite(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("no README:", err)
	}
	want := "permissions=" + strconv.FormatInt(discord.InvitePermissions, 10)
	if !strings.Contains(string(readme), want) {
		t.Fatalf("README's invite link lacks %q", want)
	}
	if !strings.Contains(string(readme), "scope=bot+applications.commands") {
		t.Fatal("README's invite link lacks the scopes bot and applications.commands")
	}
}
