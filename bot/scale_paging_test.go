package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// A programme too big to list in a chat (issue 15): /overzicht and the
// staff digest reach a Telegram staff group and a Discord staff channel in
// messages within each platform's limit (Telegram 4,096 UTF-16 units,
// Discord 2,000 characters), in a few messages, in Dutch and in English,
// and say how many collectives they left out.
func TestLargeProgrammeWithinMessageLimits(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	quiet := slog.New(slog.DiscardHandler)
	now := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	h := &commands.Handler{Store: db, Now: db.Now, Location: time.UTC, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quiet}
	staffer := discordtest.Member{ID: "7001", Username: "sanne", GlobalName: "Sanne", Permissions: discordtest.PermSendMessages}
	anna := telegramtest.User{ID: 101, FirstName: "Anna"}
	rt := &bot.Runtime{Handler: h, Store: db, Logger: quiet,
		Admins: map[string]bool{"discord:" + staffer.ID: true, "telegram:101": true}}
	t.Cleanup(rt.Wait)

	tg, tgBot := startTelegramBot(t, rt)
	staffGroup := telegramtest.Supergroup(-1001000000001, "Staf")
	tg.SetMember(staffGroup.ID, anna.ID, "administrator")
	dc := discordtest.NewServer(t)
	dcBot, _ := dc.StartBot(t, rt)
	dc.WaitConnected(t)
	staffChannel := dc.AddChannel("staf")

	id, _ := tg.PushText(staffGroup, anna, "/"+commands.CmdStaffChat)
	tg.WaitConfirmed(t, id)
	dc.WaitReply(t, dc.Command(t, staffChannel, staffer, commands.CmdStaffChat, nil))

	// 300 collectives with long names, each linked, half of them left
	// without an answer to this week's check-in.
	member := commands.UserRef{Platform: commands.Console, ID: "9", Name: "Lid"}
	for i := range 300 {
		c := &commands.Collective{Name: fmt.Sprintf("Bewonerscoöperatie Wijkeconomie Noordoost %03d", i), Code: fmt.Sprintf("W%07d", i)}
		if err := db.CreateCollective(ctx, "", c, member); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LinkChat(ctx, "", commands.ChatRef{Platform: commands.Console, ID: c.Code}, c.Name, c.Code, member); err != nil {
			t.Fatal(err)
		}
		r, _, err := db.ClaimRound(ctx, c.ID, now.Add(-5*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoundPosted(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := db.AddCheckinAnswer(ctx, "", r.ID, "Goed bezig", member); err != nil {
				t.Fatal(err)
			}
		}
	}
	tgRef := commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(staffGroup.ID)}
	dcRef := commands.ChatRef{Platform: commands.Discord, ID: staffChannel}

	telegramParts := func(t *testing.T, what string, sent []telegramtest.Sent, leftOut string) {
		t.Helper()
		if len(sent) == 0 || len(sent) > 2 {
			t.Fatalf("%s on Telegram in %d messages, want 1 or 2", what, len(sent))
		}
		all := ""
		for _, s := range sent {
			if n := len(utf16.Encode([]rune(s.Shown))); n > 4096 {
				t.Errorf("%s on Telegram: a message of %d UTF-16 units, over 4,096", what, n)
			}
			all += s.Shown + "\n"
		}
		if !strings.Contains(all, leftOut) {
			t.Errorf("%s on Telegram does not say what it left out (%q)", what, leftOut)
		}
	}
	discordParts := func(t *testing.T, what string, contents []string, leftOut string) {
		t.Helper()
		if len(contents) == 0 || len(contents) > 7 {
			t.Fatalf("%s on Discord in %d messages, want 1 to 7", what, len(contents))
		}
		for _, c := range contents {
			if n := utf8.RuneCountInString(c); n > 2000 {
				t.Errorf("%s on Discord: a message of %d characters, over 2,000", what, n)
			}
		}
		if all := strings.Join(contents, "\n"); !strings.Contains(all, leftOut) {
			t.Errorf("%s on Discord does not say what it left out (%q): %d messages, the last:\n%s", what, leftOut, len(contents), contents[len(contents)-1])
		}
	}

	for _, tc := range []struct {
		lang                     commands.Lang
		overviewMore, digestMore string
	}{
		{commands.NL, "andere collectieven", "… en nog "},
		{commands.EN, "other collectives", "… and "},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			for _, ref := range []commands.ChatRef{tgRef, dcRef} {
				if err := db.SetChatLang(ctx, "", ref, tc.lang); err != nil {
					t.Fatal(err)
				}
			}

			before := len(tg.Sent(staffGroup.ID))
			tg.PushText(staffGroup, anna, "/overzicht")
			telegramParts(t, "/overzicht", tg.WaitSent(t, staffGroup.ID, before+1)[before:], tc.overviewMore)

			// The reply and its follow-ups, once the last has arrived (it
			// names what was left out) or 10 s have passed.
			iid := dc.Command(t, staffChannel, staffer, "overzicht", nil)
			dc.WaitReply(t, iid)
			var contents []string
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				in := dc.Interaction(iid)
				contents = []string{in.Original.Content}
				for _, f := range in.Followups {
					contents = append(contents, f.Content)
				}
				if strings.Contains(strings.Join(contents, "\n"), tc.overviewMore) || time.Now().After(deadline) {
					break
				}
			}
			discordParts(t, "/overzicht", contents, tc.overviewMore)

			// The digest as the scheduler delivers it: the message for each
			// staff chat, through the adapter's SendText.
			d, err := h.LoadDigest(ctx, now.AddDate(0, 0, -7), now)
			if err != nil {
				t.Fatal(err)
			}
			chat, err := db.Chat(ctx, tgRef)
			if err != nil {
				t.Fatal(err)
			}
			before = len(tg.Sent(staffGroup.ID))
			if _, err := tgBot.SendText(ctx, tgRef.ID, h.DigestMessage(d, *chat).Text); err != nil {
				t.Fatal(err)
			}
			telegramParts(t, "the digest", tg.Sent(staffGroup.ID)[before:], tc.digestMore)

			if chat, err = db.Chat(ctx, dcRef); err != nil {
				t.Fatal(err)
			}
			posted := len(dc.Messages(staffChannel))
			if _, err := dcBot.SendText(ctx, dcRef.ID, h.DigestMessage(d, *chat).Text); err != nil {
				t.Fatal(err)
			}
			contents = nil
			for _, m := range dc.Messages(staffChannel)[posted:] {
				contents = append(contents, m.Content)
			}
			discordParts(t, "the digest", contents, tc.digestMore)
		})
	}
}
