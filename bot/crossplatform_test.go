package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// TestCrossPlatform is one process with both adapters on one runtime, as
// "wijkbot run" with both tokens: the pioneers' group is on Telegram, the
// staff channel on Discord. A help request travels from Telegram to the
// Discord staff channel; a staff member takes it with the button there and
// answers with /antwoord; the answer arrives in the Telegram group, and
// the group's /hulpvragen shows it answered.
func TestCrossPlatform(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	quiet := slog.New(slog.DiscardHandler)
	staffer := discordtest.Member{ID: "7001", Username: "sanne", GlobalName: "Sanne", Permissions: discordtest.PermSendMessages}
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: db, Location: time.UTC, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quiet},
		Store:   db,
		Admins:  map[string]bool{"discord:" + staffer.ID: true},
		Logger:  quiet,
	}
	t.Cleanup(rt.Wait)

	// Telegram: the pioneers' group.
	tg := startTelegram(t, rt)
	piet := telegramtest.User{ID: 201, FirstName: "Piet", LastName: "Pionier"}
	noord := telegramtest.Group(-2001, "Bewoners Noord")
	tg.SetMember(noord.ID, piet.ID, "administrator")

	// Discord: the staff channel, in the same runtime.
	dc := discordtest.NewServer(t)
	dc.StartBot(t, rt)
	dc.WaitConnected(t)
	staffChannel := dc.AddChannel("staf")

	say := func(text string, want int) []telegramtest.Sent {
		t.Helper()
		before := len(tg.Sent(noord.ID))
		tg.PushText(noord, piet, text)
		return tg.WaitSent(t, noord.ID, before+want)[before:]
	}
	command := func(name string, args map[string]string) discordtest.Message {
		t.Helper()
		return dc.WaitReply(t, dc.Command(t, staffChannel, staffer, name, args))
	}

	var code string
	t.Run("staff on Discord set up a collective", func(t *testing.T) {
		if r := command(commands.CmdStaffChat, nil); !strings.Contains(r.Content, commands.CmdStaffChat) {
			t.Fatalf("/stafkanaal: %q", r.Content)
		}
		command("collectief", map[string]string{"naam": "Noord"})
		coll, err := db.CollectiveByName(ctx, "Noord")
		if err != nil {
			t.Fatal(err)
		}
		code = coll.Code
	})

	t.Run("the Telegram group links with the code", func(t *testing.T) {
		r := say("/koppel "+code, 1)
		if !strings.Contains(r[0].Shown, "Welkom") {
			t.Fatalf("/koppel: %q", r[0].Shown)
		}
	})

	var post discordtest.Message
	t.Run("a help request from Telegram lands in the Discord staff channel", func(t *testing.T) {
		r := say("/hulpvraag juridisch Hoe werkt erfpacht bij ons pand?", 1)
		if !strings.Contains(r[0].Shown, "#1") {
			t.Fatalf("confirmation %q does not name #1", r[0].Shown)
		}
		msgs := dc.WaitMessages(t, staffChannel, 1)
		post = msgs[len(msgs)-1]
		for _, want := range []string{"#1", "Noord", "erfpacht"} {
			if !strings.Contains(post.Content, want) {
				t.Fatalf("staff post %q does not contain %q", post.Content, want)
			}
		}
		if len(post.Buttons) == 0 {
			t.Fatalf("staff post has no buttons: %+v", post)
		}
	})

	t.Run("staff take it with the button and answer with /antwoord", func(t *testing.T) {
		claim := ""
		for _, b := range post.Buttons {
			if strings.HasPrefix(b.Label, "Oppakken") {
				claim = b.CustomID
			}
		}
		if claim == "" {
			t.Fatalf("no Oppakken button among %+v", post.Buttons)
		}
		dc.WaitCallback(t, dc.Press(t, staffer, post, claim))
		if r, err := db.Request(ctx, 1); err != nil || r.Status != commands.StatusClaimed || r.ClaimedBy != "Sanne" {
			t.Fatalf("after the button #1 = %+v, %v; want claimed by Sanne", r, err)
		}
		before := len(tg.Sent(noord.ID))
		r := command("antwoord", map[string]string{"nummer": "1", "tekst": "Vraag het voorkeursrecht aan bij de gemeente."})
		if !strings.Contains(r.Content, "#1") {
			t.Fatalf("/antwoord reply %q does not name #1", r.Content)
		}
		rt.Wait()
		sent := tg.WaitSent(t, noord.ID, before+1)[before:]
		got := ""
		for _, s := range sent {
			got += s.Shown + "\n"
		}
		if !strings.Contains(got, "voorkeursrecht") || !strings.Contains(got, "#1") {
			t.Fatalf("the Telegram group got %q, want the answer to #1", got)
		}
	})

	t.Run("the group sees its request answered", func(t *testing.T) {
		r := say("/hulpvragen", 1)
		if !strings.Contains(r[0].Shown, "#1") || !strings.Contains(r[0].Shown, "Sanne") {
			t.Fatalf("/hulpvragen = %q, want #1 answered by Sanne", r[0].Shown)
		}
	})
}
