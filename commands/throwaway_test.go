package commands_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/console"
	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/commands"
)

// TestAddingACommandIsOneEntry adds a throwaway command (name, option,
// handler) to a copy of the table and shows that everything that lists,
// registers, parses or checks commands picks it up with no other edit:
// Telegram's menu, Discord's registration, the console, /hulp and the
// permission matrix. The package table is left as it was.
func TestAddingACommandIsOneEntry(t *testing.T) {
	// The entry's descriptions are catalogue texts; the test adds two for
	// the length of the test (the catalogue files hold the real ones).
	wordDesc := commands.AddText(t, map[commands.Lang]string{commands.NL: "Wat de bot roept", commands.EN: "What the bot shouts"})
	shoutDesc := commands.AddText(t, map[commands.Lang]string{commands.NL: "Laat de bot iets roepen", commands.EN: "Make the bot shout something"})
	word := commands.TextOpt{Option: commands.Option{Name: "woord", NameEN: "word",
		Desc: wordDesc, Type: commands.OptText, Required: true, MaxLen: 40}}
	table := append(commands.Table(nil), commands.Commands...)
	table = append(table, commands.Command{
		Name: "roep", English: "shout", Where: commands.Anywhere, Who: commands.ChatAdmin,
		Desc:    shoutDesc,
		Options: commands.Opts(word),
		Run: func(h *commands.Handler, ctx context.Context, c *commands.Call) (commands.Reply, error) {
			return commands.Reply{Text: "📣 " + strings.ToUpper(c.Text(word))}, nil
		},
	})
	if commands.Commands.Lookup("roep") != nil {
		t.Fatal("the package table has /roep; the test must only touch its copy")
	}

	t.Run("Telegram menu", func(t *testing.T) {
		for _, tc := range []struct {
			lang       commands.Lang
			name, desc string
		}{{commands.NL, "roep", "Laat de bot iets roepen"}, {commands.EN, "shout", "Make the bot shout something"}} {
			found := false
			for _, c := range telegram.Menu(table, commands.InCollective, tc.lang) {
				found = found || (c.Command == tc.name && c.Description == tc.desc)
			}
			if !found {
				t.Errorf("Telegram menu (%s) lacks /%s", tc.lang, tc.name)
			}
		}
		for _, c := range telegram.Menu(commands.Commands, commands.InCollective, commands.NL) {
			if c.Command == "roep" {
				t.Error("the real menu lists /roep")
			}
		}
	})

	t.Run("Discord registration", func(t *testing.T) {
		var found bool
		for _, ac := range discord.ApplicationCommands(table) {
			if ac.Name != "roep" {
				continue
			}
			found = true
			if len(ac.Options) != 1 || ac.Options[0].Name != "woord" || !ac.Options[0].Required {
				t.Errorf("/roep options = %+v, want the required woord", ac.Options)
			}
			if ac.NameLocalizations == nil || !strings.Contains(strings.Join(slicesOf(*ac.NameLocalizations), ","), "shout") {
				t.Errorf("/roep has no English name shout: %+v", ac.NameLocalizations)
			}
			if ac.DefaultMemberPermissions == nil {
				t.Error("/roep is for chat admins, but Discord shows it to every member")
			}
		}
		if !found {
			t.Error("Discord registration lacks /roep")
		}
	})

	t.Run("console", func(t *testing.T) {
		f := newFixture(t)
		f.h.Commands = table
		var out strings.Builder
		c := &console.Console{In: strings.NewReader(":chat los\n/roep hallo\n/shout again\n"), Out: &out,
			Runtime: &bot.Runtime{Handler: f.h, Store: f.db}}
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "console", out.String(), "📣 HALLO", "📣 AGAIN")
	})

	t.Run("/hulp", func(t *testing.T) {
		f := newFixture(t)
		f.h.Commands = table
		mustContain(t, "/hulp", f.ok(looseChat, anna, "/hulp").Text, "/roep <woord> — Laat de bot iets roepen")
		// Piet is no admin of the chat: not listed for him, and refused.
		mustNotContain(t, "/hulp for a member", f.ok(looseChat, piet, "/hulp").Text, "/roep")
		if r := f.run(looseChat, piet, "/roep hoi"); r.Code != commands.EFORBIDDEN {
			t.Errorf("/roep by a member: code %q, want %q", r.Code, commands.EFORBIDDEN)
		}
	})

	t.Run("permission matrix", func(t *testing.T) {
		rows := maps.Clone(permissions)
		rows["roep"] = permRow{line: "/roep hallo", allow: []caller{chatAdmin, botAdminLoose, botAdminStaff, anonymousAdmin}}
		permissionMatrix(t, table, rows, "roep")
	})
}

func slicesOf(m map[discordgo.Locale]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
