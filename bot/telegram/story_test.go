package telegram_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

func telegramChat(c telegramtest.Chat) commands.ChatRef {
	return commands.ChatRef{Platform: commands.Telegram, ID: chatID(c)}
}

// The whole mission in Telegram: the staff in one group, pioneers in
// another; a help request travels to the staff and its answer back.
func TestStory(t *testing.T) {
	h := newHarness(t)
	h.tg.SetMember(noord.ID, piet.ID, "administrator")
	h.start()
	ctx := context.Background()

	t.Run("a bot admin designates the staff chat", func(t *testing.T) {
		r := h.say(staff, anna, "/"+commands.CmdStaffChat, 1)
		c, err := h.db.Chat(ctx, telegramChat(staff))
		if err != nil || c.Kind != commands.ChatStaff {
			t.Fatalf("staff chat = %+v, %v; reply %q", c, err, r[0].Shown)
		}
		// The staff chat gets the staff commands in its menu.
		h.tg.WaitCalls(t, "setMyCommands", 4)
		if !hasCommand(h.tg.Menu(telegramtest.Scope{Type: "chat", ChatID: staff.ID}, ""), commands.CmdClaim) {
			t.Fatalf("staff menu lacks /oppakken: %v", h.tg.Menu(telegramtest.Scope{Type: "chat", ChatID: staff.ID}, ""))
		}
	})

	var code string
	t.Run("the staff create a collective", func(t *testing.T) {
		r := h.say(staff, bram, "/collectief Bewonersbedrijf <Noord> & Co", 1)
		coll, err := h.db.CollectiveByName(ctx, "Bewonersbedrijf <Noord> & Co")
		if err != nil {
			t.Fatal(err)
		}
		code = coll.Code
		expect(t, r[0].Shown, code, "Bewonersbedrijf <Noord> & Co")
	})

	t.Run("a member who is no group admin cannot link", func(t *testing.T) {
		r := h.say(noord, mo, "/koppel "+code, 1)
		expect(t, r[0].Shown, "beheerder")
		if c, _ := h.db.Chat(ctx, telegramChat(noord)); c.Kind != "" {
			t.Fatalf("chat linked by a non-admin: %+v", c)
		}
	})

	t.Run("a group admin links the group", func(t *testing.T) {
		h.say(noord, piet, "/koppel@WijkBot "+code, 1)
		c, err := h.db.Chat(ctx, telegramChat(noord))
		if err != nil || c.Kind != commands.ChatCollective {
			t.Fatalf("chat = %+v, %v", c, err)
		}
	})

	t.Run("progress and a milestone show in the timeline", func(t *testing.T) {
		h.say(noord, mo, "/voortgang Gesprek met de corporatie over het pand #vastgoed", 1)
		h.say(noord, piet, "/mijlpaal Pand gekocht!", 1)
		r := h.say(noord, mo, "/tijdlijn", 1)
		got := r[0].Shown
		expect(t, got, "Pand gekocht!", "Gesprek met de corporatie", "Piet Pionier", "@mo_noord")
		if strings.Index(got, "Pand gekocht!") > strings.Index(got, "Gesprek met de corporatie") {
			t.Fatalf("timeline not newest first: %q", got)
		}
	})

	var request telegramtest.Sent
	t.Run("a help request lands in the staff chat with buttons", func(t *testing.T) {
		before := len(h.tg.Sent(staff.ID))
		r := h.say(noord, piet, "/hulpvraag juridisch Hoe werkt erfpacht bij <ons> pand?", 1)
		expect(t, r[0].Shown, "#1")
		request = h.tg.WaitSent(t, staff.ID, before+1)[before]
		expect(t, request.Shown, "#1", "juridisch", "Hoe werkt erfpacht bij <ons> pand?", "Bewonersbedrijf <Noord> & Co")
		if len(request.Buttons) == 0 {
			t.Fatal("help request in the staff chat has no buttons")
		}
	})

	t.Run("a button claims the request", func(t *testing.T) {
		before, staffBefore := len(h.tg.Sent(noord.ID)), len(h.tg.Sent(staff.ID))
		_, q := h.tg.Press(request, bram, "Oppakken")
		if a := h.tg.WaitAnswer(t, q); a.ShowAlert {
			t.Fatalf("claiming answered with an alert: %q", a.Text)
		}
		// The claim is posted in the staff chat, for the whole team to see.
		r := h.tg.WaitSent(t, staff.ID, staffBefore+1)[staffBefore]
		expect(t, r.Shown, "#1")
		if r.ReplyTo != request.MessageID {
			t.Fatalf("claim posted as reply to %d, want %d", r.ReplyTo, request.MessageID)
		}
		// The collective hears who took it.
		told := h.tg.WaitSent(t, noord.ID, before+1)[before]
		expect(t, told.Shown, "#1", "Bram")
		got, err := h.db.Request(ctx, 1)
		if err != nil || got.Status != commands.StatusClaimed {
			t.Fatalf("request = %+v, %v", got, err)
		}
	})

	t.Run("someone else pressing claim gets a clear refusal, not a second claim", func(t *testing.T) {
		sentBefore := len(h.tg.AllSent())
		_, q := h.tg.Press(request, anna, "Oppakken")
		a := h.tg.WaitAnswer(t, q)
		if !a.ShowAlert || !strings.Contains(a.Text, "al opgepakt") {
			t.Fatalf("second claim answered %+v", a)
		}
		h.rt.Wait()
		if got := len(h.tg.AllSent()); got != sentBefore {
			t.Fatalf("a refused press sent %d messages", got-sentBefore)
		}
	})

	t.Run("the answer is delivered in the pioneer group", func(t *testing.T) {
		before := len(h.tg.Sent(noord.ID))
		h.say(staff, bram, "/antwoord 1 Erfpacht betekent: de grond blijft van de gemeente. Bel me & we kijken \"samen\".", 1)
		got := h.tg.WaitSent(t, noord.ID, before+1)[before]
		expect(t, got.Shown, "#1", "Erfpacht betekent: de grond blijft van de gemeente. Bel me & we kijken \"samen\".")
	})

	t.Run("a button resolves the request, once", func(t *testing.T) {
		before := len(h.tg.Sent(noord.ID))
		_, q := h.tg.Press(request, bram, "Afronden")
		if a := h.tg.WaitAnswer(t, q); a.ShowAlert {
			t.Fatalf("resolving answered with an alert: %q", a.Text)
		}
		asked := h.tg.WaitSent(t, noord.ID, before+1)[before]
		expect(t, asked.Shown, "#1")
		if got, _ := h.db.Request(ctx, 1); got.Status != commands.StatusResolved {
			t.Fatalf("status %q, want resolved", got.Status)
		}
		_, q = h.tg.Press(request, bram, "Afronden")
		if a := h.tg.WaitAnswer(t, q); !a.ShowAlert || !strings.Contains(a.Text, "al afgerond") {
			t.Fatalf("second resolve answered %+v", a)
		}
		// The pioneers say whether it helped.
		if len(asked.Buttons) > 0 {
			fbBefore := len(h.tg.Sent(noord.ID))
			_, q = h.tg.Press(asked, piet, asked.Buttons[0][0].Text)
			h.tg.WaitAnswer(t, q)
			thanks := h.tg.WaitSent(t, noord.ID, fbBefore+1)[fbBefore]
			expect(t, thanks.Shown, "#1")
			if got, _ := h.db.Request(ctx, 1); got.Feedback != "ja" {
				t.Fatalf("feedback %q, want ja", got.Feedback)
			}
		}
	})

	t.Run("the collective sees the request resolved", func(t *testing.T) {
		r := h.say(noord, mo, "/hulpvragen", 1)
		expect(t, r[0].Shown, "#1", "afgerond")
	})

	t.Run("a chart Telegram refuses still leaves the panel's text, with a note", func(t *testing.T) {
		h.say(noord, piet, "/schuif eigenaarschap 5 eerste bewonersavond", 1)
		h.tg.FailNext("sendPhoto", 1, telegramtest.Failure{Status: 400, Description: "Bad Request: PHOTO_INVALID_DIMENSIONS"})
		r := h.say(noord, mo, "/mengpaneel", 1)
		if r[0].Method != "sendMessage" {
			t.Fatalf("sent by %s, want the text by sendMessage", r[0].Method)
		}
		expect(t, r[0].Shown, "Bewonersbedrijf <Noord> & Co", "kon niet worden verstuurd")
	})
}

func hasCommand(menu []telegramtest.Command, name string) bool {
	for _, c := range menu {
		if c.Command == name {
			return true
		}
	}
	return false
}
