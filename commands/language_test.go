package commands_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/console"
	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/commands"
)

// TestAThirdLanguageIsOneCatalogue adds a throwaway language "xx" (the
// English catalogue with "xx:" before every text, description and date
// name, as a translator's messages_xx.go would hold) and shows that the
// language list, /hulp, Telegram's menus, Discord's localizations, the
// handlers' dates and the console's clock all use it with no other edit.
func TestAThirdLanguageIsOneCatalogue(t *testing.T) {
	const xx commands.Lang = "xx"
	commands.AddLanguage(t, xx, commands.EN, "xx:")

	if got := commands.Languages(); !slices.Contains(got, xx) || got[0] != commands.NL {
		t.Fatalf("Languages() = %v, want Dutch first and xx among them", got)
	}
	if got := commands.ParseLang("xx-YY"); got != xx {
		t.Errorf("ParseLang(xx-YY) = %q, want xx", got)
	}

	t.Run("/hulp", func(t *testing.T) {
		f := newFixture(t)
		f.setup()
		if err := f.db.SetChatLang(f.ctx, "xx-lang", noordChat, xx); err != nil {
			t.Fatal(err)
		}
		hulp := commands.Commands.Lookup("hulp")
		mustContain(t, "/hulp in xx", f.ok(noordChat, anna, "/hulp").Text, "xx:"+hulp.Description(commands.EN))
	})

	t.Run("dates in replies", func(t *testing.T) {
		f := newFixture(t)
		f.setup()
		if err := f.db.SetChatLang(f.ctx, "xx-lang", noordChat, xx); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "/pauze in xx", f.ok(noordChat, anna, "/pauze 2026-12-24").Text, "24 xx:Dec 2026")
	})

	t.Run("console clock", func(t *testing.T) {
		f := newFixture(t)
		var out strings.Builder
		clock := &bot.Clock{}
		clock.Freeze(start)
		c := &console.Console{In: strings.NewReader(":klok\n"), Out: &out, Clock: clock, Lang: xx,
			Location: time.UTC, Runtime: &bot.Runtime{Handler: f.h, Store: f.db}}
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "console", out.String(), "xx:Friday 27 xx:November 2026 10:00")
	})

	t.Run("Telegram menu", func(t *testing.T) {
		menu := telegram.Menu(commands.Commands, commands.InCollective, xx)
		if len(menu) == 0 {
			t.Fatal("no menu for xx")
		}
		for _, c := range menu {
			if !strings.HasPrefix(c.Description, "xx:") {
				t.Errorf("xx menu: /%s — %q is not the xx description", c.Command, c.Description)
			}
		}
	})

	t.Run("Discord localizations", func(t *testing.T) {
		for _, ac := range discord.ApplicationCommands(commands.Commands) {
			if ac.DescriptionLocalizations == nil || !strings.HasPrefix((*ac.DescriptionLocalizations)["xx"], "xx:") {
				t.Errorf("/%s: no xx description: %v", ac.Name, ac.DescriptionLocalizations)
			}
			for _, o := range ac.Options {
				if !strings.HasPrefix(o.DescriptionLocalizations["xx"], "xx:") {
					t.Errorf("/%s %s: no xx description: %v", ac.Name, o.Name, o.DescriptionLocalizations)
				}
			}
		}
	})
}

// TestDescriptionsInEveryLanguage: every command and every option a
// platform shows has a description in every language, within Discord's 1–100 characters (and
// so within Telegram's 256).
func TestDescriptionsInEveryLanguage(t *testing.T) {
	for _, l := range commands.Languages() {
		for i := range commands.Commands {
			c := &commands.Commands[i]
			if n := len([]rune(c.Description(l))); n < 1 || n > 100 {
				t.Errorf("/%s (%s): description of %d characters, want 1–100: %q", c.Name, l, n, c.Description(l))
			}
			for _, o := range c.Options {
				if o.Hidden || c.Hidden { // a hidden command's options are filled by buttons
					continue
				}
				if n := len([]rune(o.Description(l))); n < 1 || n > 100 {
					t.Errorf("/%s %s (%s): description of %d characters, want 1–100: %q", c.Name, o.Name, l, n, o.Description(l))
				}
			}
		}
	}
}
