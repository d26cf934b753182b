package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// reply sends text from a user as a reply to message replyTo and waits
// until the bot has sent want more messages to that chat.
func (h *harness) reply(chat telegramtest.Chat, from telegramtest.User, replyTo int, text string, want int) []telegramtest.Sent {
	h.t.Helper()
	before := len(h.tg.Sent(chat.ID))
	id, _ := h.tg.PushReply(chat, from, text, replyTo)
	if want == 0 {
		h.tg.WaitConfirmed(h.t, id)
		h.rt.Wait()
		return nil
	}
	return h.tg.WaitSent(h.t, chat.ID, before+want)[before:]
}

// Beantwoorden leaves out the answer's text (commands.Table.Asks). On
// Telegram pressing it asks the presser with a selective ForceReply; their
// reply, also after a restart, answers the request; nobody else's does.
func TestAnswerButtonAsksForTheText(t *testing.T) {
	h := newHarness(t)
	h.tg.SetMember(noord.ID, piet.ID, "administrator")
	h.start()
	ctx := context.Background()

	h.say(staff, anna, "/"+commands.CmdStaffChat, 1)
	h.say(staff, bram, "/collectief Noord", 1)
	coll, err := h.db.CollectiveByName(ctx, "Noord")
	if err != nil {
		t.Fatal(err)
	}
	h.say(noord, piet, "/koppel "+coll.Code, 1)
	staffBefore := len(h.tg.Sent(staff.ID))
	h.say(noord, piet, "/hulpvraag juridisch Hoe werkt erfpacht?", 1)
	post := h.tg.WaitSent(t, staff.ID, staffBefore+1)[staffBefore]
	expect(t, post.Shown, "#1", "erfpacht")

	var question telegramtest.Sent
	t.Run("pressing Beantwoorden asks the presser for the answer", func(t *testing.T) {
		before := len(h.tg.Sent(staff.ID))
		_, q := h.tg.Press(post, bram, "Beantwoorden")
		if a := h.tg.WaitAnswer(t, q); a.ShowAlert {
			t.Fatalf("pressing Beantwoorden answered with an alert: %q", a.Text)
		}
		question = h.tg.WaitSent(t, staff.ID, before+1)[before]
		fr := question.ForceReply
		if fr == nil {
			t.Fatalf("the question %q asks for no reply", question.Shown)
		}
		if !fr.Opens(bram) || fr.Opens(anna) {
			t.Fatalf("ForceReply opens for %v (selective %v), want Bram (%d) only", fr.For, fr.Selective, bram.ID)
		}
		line := "/" + commands.CmdAnswer + " 1"
		expect(t, question.Shown, "Bram", "Beantwoorden", line, "Het antwoord", "antwoord op dit bericht")
		expect(t, fr.Placeholder, "Het antwoord")
		if question.ReplyTo != post.MessageID {
			t.Fatalf("question replies to %d, want the request's post %d", question.ReplyTo, post.MessageID)
		}
		if got, _ := h.db.Request(ctx, 1); got.Status != commands.StatusOpen {
			t.Fatalf("pressing alone changed the request: %q", got.Status)
		}
	})

	t.Run("someone else's reply answers nothing", func(t *testing.T) {
		before := len(h.tg.Sent(noord.ID))
		r := h.reply(staff, anna, question.MessageID, "Ik weet het ook!", 1)
		expect(t, r[0].Shown, "alleen diens antwoord telt")
		h.rt.Wait()
		if got := len(h.tg.Sent(noord.ID)); got != before {
			t.Fatalf("Anna's reply sent %d messages to the collective", got-before)
		}
		if got, _ := h.db.Request(ctx, 1); got.Status != commands.StatusOpen {
			t.Fatalf("Anna's reply changed the request: %q", got.Status)
		}
	})

	t.Run("plain chat in reply to another bot message is left alone", func(t *testing.T) {
		sent := len(h.tg.AllSent())
		h.reply(staff, bram, post.MessageID, "Leuke vraag", 0)
		if got := len(h.tg.AllSent()); got != sent {
			t.Fatalf("a reply to the post itself made the bot send %d messages", got-sent)
		}
	})

	// The question outlives the process.
	h.stop()
	h.build()
	h.start()

	answer := `Erfpacht: de grond blijft van de gemeente. Bel me & we kijken "samen".`
	t.Run("the presser's reply answers the request, after a restart", func(t *testing.T) {
		before := len(h.tg.Sent(noord.ID))
		r := h.reply(staff, bram, question.MessageID, answer, 1)
		if r[0].ReplyTo == 0 {
			t.Fatalf("confirmation %q is not a reply to Bram's answer", r[0].Shown)
		}
		got := h.tg.WaitSent(t, noord.ID, before+1)[before]
		expect(t, got.Shown, "#1", answer)
		req, err := h.db.Request(ctx, 1)
		if err != nil || req.Status != commands.StatusAnswered {
			t.Fatalf("request = %+v, %v; want answered", req, err)
		}
		if len(req.Answers) != 1 || req.Answers[0].Text != answer {
			t.Fatalf("answers %+v, want the reply's text once", req.Answers)
		}
	})

	t.Run("a second reply to the answered question is plain chat", func(t *testing.T) {
		sent := len(h.tg.AllSent())
		h.reply(staff, bram, question.MessageID, "Nog een aanvulling", 0)
		if got := len(h.tg.AllSent()); got != sent {
			t.Fatalf("a reply to an answered question sent %d messages", got-sent)
		}
		if req, _ := h.db.Request(ctx, 1); len(req.Answers) != 1 {
			t.Fatalf("%d answers, want 1", len(req.Answers))
		}
	})
}

// A refused text (too long) leaves the question open: the presser can
// reply again with a better one.
func TestRefusedReplyKeepsTheQuestion(t *testing.T) {
	h := newHarness(t)
	h.tg.SetMember(noord.ID, piet.ID, "administrator")
	h.start()
	ctx := context.Background()
	h.say(staff, anna, "/"+commands.CmdStaffChat, 1)
	h.say(staff, bram, "/collectief Noord", 1)
	coll, err := h.db.CollectiveByName(ctx, "Noord")
	if err != nil {
		t.Fatal(err)
	}
	h.say(noord, piet, "/koppel "+coll.Code, 1)
	staffBefore := len(h.tg.Sent(staff.ID))
	h.say(noord, piet, "/hulpvraag juridisch Hoe werkt erfpacht?", 1)
	post := h.tg.WaitSent(t, staff.ID, staffBefore+1)[staffBefore]
	before := len(h.tg.Sent(staff.ID))
	_, q := h.tg.Press(post, bram, "Beantwoorden")
	h.tg.WaitAnswer(t, q)
	question := h.tg.WaitSent(t, staff.ID, before+1)[before]

	r := h.reply(staff, bram, question.MessageID, strings.Repeat("x", commands.DefaultMaxLen+1), 1)
	expect(t, r[0].Shown, fmt.Sprint(commands.DefaultMaxLen))
	if req, _ := h.db.Request(ctx, 1); len(req.Answers) != 0 {
		t.Fatalf("a refused text was stored: %+v", req.Answers)
	}
	noordBefore := len(h.tg.Sent(noord.ID))
	h.reply(staff, bram, question.MessageID, "Korter: bel de gemeente.", 1)
	expect(t, h.tg.WaitSent(t, noord.ID, noordBefore+1)[noordBefore].Shown, "Korter: bel de gemeente.")
}
