package telegram_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// linked makes chat the chat of a new collective, straight in storage.
func (h *harness) linked(chat telegramtest.Chat) *commands.Collective {
	h.t.Helper()
	ctx := context.Background()
	code, err := commands.NewCode()
	if err != nil {
		h.t.Fatal(err)
	}
	by := commands.UserRef{Platform: commands.Telegram, ID: "101", Name: "Anna"}
	c := &commands.Collective{Name: "Noord " + code, Code: code}
	if err := h.db.CreateCollective(ctx, "", c, by); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.db.LinkChat(ctx, "", telegramChat(chat), chat.Title, code, by); err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) entries(c *commands.Collective) []commands.Entry {
	h.t.Helper()
	es, err := h.db.Entries(context.Background(), c.ID, 100)
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}

// firstPoll is the first successful getUpdates after the first skip calls
// (a poll ended by shutdown may be recorded late, as a 409).
func firstPoll(t *testing.T, tg *telegramtest.Server, skip int) telegramtest.Call {
	t.Helper()
	for _, c := range tg.Calls("getUpdates")[skip:] {
		if c.Status == 200 {
			return c
		}
	}
	t.Fatal("no successful getUpdates after the restart")
	return telegramtest.Call{}
}

func TestCommandForAnotherBotIsIgnored(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say(noord, piet, "/hulp@AnderBot", 0)
	h.say(noord, piet, "/start@OtherBot hallo", 0)
	h.say(noord, piet, "gewoon een bericht", 0)
	h.say(noord, piet, "/start@OtherBot", 0)
	_, mine := h.tg.PushText(noord, piet, "/hulp@wijkbot")
	sent := h.tg.WaitSent(t, noord.ID, 1)
	h.rt.Wait()
	if got := len(h.tg.Sent(noord.ID)); got != 1 {
		t.Fatalf("bot sent %d messages, want 1 (only for /hulp@wijkbot)", got)
	}
	if sent[0].ReplyTo != mine {
		t.Fatalf("reply to message %d, want %d", sent[0].ReplyTo, mine)
	}
}

// The bot crashed after storing a command but before storing the offset:
// Telegram sends the update again to the restarted bot, which stores
// nothing twice and stays silent.
func TestRedeliveredUpdateIsStoredOnce(t *testing.T) {
	h := newHarness(t)
	coll := h.linked(noord)
	h.start()
	id, _ := h.tg.PushText(noord, piet, "/voortgang Eerste bewonersavond gehouden")
	h.tg.WaitSent(t, noord.ID, 1)
	h.stop()
	if n := len(h.entries(coll)); n != 1 {
		t.Fatalf("%d entries, want 1", n)
	}

	// The crash: the offset of before the update, and Telegram re-sends it.
	if err := h.db.SetState(context.Background(), "telegram:offset", strconv.Itoa(id)); err != nil {
		t.Fatal(err)
	}
	h.tg.Redeliver(id)
	polls := len(h.tg.Calls("getUpdates"))
	h.build()
	h.start()
	h.tg.WaitConfirmed(t, id)
	h.rt.Wait()
	if first := firstPoll(t, h.tg, polls); first.Params["offset"] != strconv.Itoa(id) {
		t.Fatalf("restarted bot polled from offset %q, want the stored %d", first.Params["offset"], id)
	}
	if n := len(h.entries(coll)); n != 1 {
		t.Fatalf("%d entries after re-delivery, want 1", n)
	}
	if got := len(h.tg.Sent(noord.ID)); got != 1 {
		t.Fatalf("bot replied %d times, want once", got)
	}
}

// Updates sent while the bot is down are handled after the restart, and
// the stored offset keeps the old ones from coming back.
func TestRestartResumesFromStoredOffset(t *testing.T) {
	h := newHarness(t)
	coll := h.linked(noord)
	h.start()
	h.say(noord, piet, "/voortgang voor de herstart", 1)
	h.stop()
	stored, err := h.db.State(context.Background(), "telegram:offset")
	if err != nil || stored == "" {
		t.Fatalf("offset after shutdown = %q, %v", stored, err)
	}
	h.tg.PushText(noord, mo, "/voortgang tijdens de herstart")
	polls := len(h.tg.Calls("getUpdates"))
	h.build()
	h.start()
	h.tg.WaitSent(t, noord.ID, 2)
	h.rt.Wait()
	if first := firstPoll(t, h.tg, polls); first.Params["offset"] != stored {
		t.Fatalf("restarted bot polled from offset %q, want %s", first.Params["offset"], stored)
	}
	if n := len(h.entries(coll)); n != 2 {
		t.Fatalf("%d entries, want 2", n)
	}
}

// Flood control on the reply: it arrives once, after the waits Telegram asked.
func TestReplyThroughThreeTooManyRequests(t *testing.T) {
	h := newHarness(t)
	coll := h.linked(noord)
	h.start()
	h.tg.FailNext("sendMessage", 3, telegramtest.TooManyRequests(1))
	h.say(noord, piet, "/voortgang ondanks de drukte", 1)
	h.rt.Wait()
	if got := len(h.tg.Sent(noord.ID)); got != 1 {
		t.Fatalf("reply delivered %d times, want once", got)
	}
	if got := len(h.tg.Calls("sendMessage")); got != 4 {
		t.Fatalf("%d sendMessage calls, want 4", got)
	}
	if n := len(h.entries(coll)); n != 1 {
		t.Fatalf("%d entries, want 1", n)
	}
}

func TestUserTextIsShownLiterally(t *testing.T) {
	h := newHarness(t)
	h.linked(noord)
	h.start()
	nasty := `<b>vet</b> & <i>"quotes"</i> 'enkel' 1 < 2 > 0 &amp; &lt;script&gt; 🏘️👩🏽‍🌾`
	h.say(noord, piet, "/voortgang "+nasty, 1)
	r := h.say(noord, piet, "/tijdlijn", 1)
	expect(t, r[0].Shown, nasty)
	if strings.Contains(r[0].Raw, "<b>") {
		t.Fatalf("user's tag went out unescaped: %q", r[0].Raw)
	}
}

func TestLongReplyIsSplit(t *testing.T) {
	h := newHarness(t)
	h.linked(noord)
	h.start()
	for i := range 4 {
		h.say(noord, piet, "/voortgang "+strconv.Itoa(i)+" "+strings.Repeat("lang verslag van de avond. ", 60), 1)
	}
	before := len(h.tg.Sent(noord.ID))
	h.tg.PushText(noord, piet, "/tijdlijn 10")
	parts := h.tg.WaitSent(t, noord.ID, before+2)[before:]
	if len(parts) < 2 {
		t.Fatalf("timeline of %d entries sent in %d message(s), want it split", 4, len(parts))
	}
	for _, p := range parts {
		if n := len([]rune(p.Shown)); n > 4096 {
			t.Fatalf("part of %d characters", n)
		}
	}
}

// A group that becomes a supergroup keeps its link under the new id.
func TestMigrationKeepsTheLink(t *testing.T) {
	h := newHarness(t)
	coll := h.linked(noord)
	h.start()
	super := telegramtest.Supergroup(-1002001, noord.Title)
	h.tg.PushMigrate(noord, super, piet)
	h.say(super, piet, "/voortgang na de upgrade", 1)
	c, err := h.db.Chat(context.Background(), telegramChat(super))
	if err != nil || c.Kind != commands.ChatCollective || c.CollectiveID != coll.ID {
		t.Fatalf("supergroup = %+v, %v", c, err)
	}
	if n := len(h.entries(coll)); n != 1 {
		t.Fatalf("%d entries, want 1", n)
	}
}

func TestRemovedFromGroupMarksChatInactive(t *testing.T) {
	h := newHarness(t)
	h.linked(noord)
	h.start()
	id := h.tg.PushMyChatMember(noord, piet, "member", "left")
	h.tg.WaitConfirmed(t, id)
	c, err := h.db.Chat(context.Background(), telegramChat(noord))
	if err != nil || c.Active {
		t.Fatalf("chat after removal = %+v, %v", c, err)
	}
	id = h.tg.PushMyChatMember(noord, piet, "left", "member")
	h.tg.WaitConfirmed(t, id)
	if c, _ := h.db.Chat(context.Background(), telegramChat(noord)); !c.Active {
		t.Fatal("chat not active again after the bot was added back")
	}
}

func TestSlowCommandShowsUploadAction(t *testing.T) {
	h := newHarness(t)
	h.linked(noord)
	h.start()
	h.say(noord, piet, "/mengpaneel", 1)
	if got := h.tg.Actions(noord.ID); len(got) == 0 || got[0] != "upload_photo" {
		t.Fatalf("chat actions %q, want upload_photo", got)
	}
}

func TestCommandMenus(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.tg.WaitCalls(t, "setMyCommands", 2)
	nl := h.tg.Menu(telegramtest.Scope{Type: "default"}, "")
	en := h.tg.Menu(telegramtest.Scope{Type: "default"}, "en")
	for _, want := range []string{"hulp", "koppel", "voortgang", "hulpvraag", "schuif"} {
		if !hasCommand(nl, want) {
			t.Errorf("Dutch menu lacks /%s", want)
		}
	}
	for _, want := range []string{"help", "link", "log", "ask", "set"} {
		if !hasCommand(en, want) {
			t.Errorf("English menu lacks /%s", want)
		}
	}
	for _, not := range []string{commands.CmdClaim, commands.CmdStaffChat, commands.CmdFeedback} {
		if hasCommand(nl, not) {
			t.Errorf("default menu shows /%s", not)
		}
	}
}

// A button whose data is no command (a stale or forged one) still gets an
// answer, so the spinner stops.
func TestStrangeButtonIsAnswered(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.tg.PushText(noord, piet, "hallo")
	msg, err := h.bot.SendButtons(context.Background(), chatID(noord), "Kies", []commands.Button{{Label: "Oud", Command: commands.CmdClaim, Args: []commands.Arg{{Option: "nummer", Value: "1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	mid, _ := strconv.Atoi(msg)
	_, q := h.tg.PushCallback(noord, piet, mid, "niet-een-commando")
	if a := h.tg.WaitAnswer(t, q); !a.ShowAlert || a.Text != "Deze knop werkt niet (meer)." {
		t.Fatalf("answer %+v, want the Dutch alert that the button does not work", a)
	}
	_, q = h.tg.PushCallback(noord, piet, mid, "/"+commands.CmdClaim+" 1")
	if a := h.tg.WaitAnswer(t, q); !a.ShowAlert || a.Text == "" {
		t.Fatalf("staff command pressed in a pioneer chat answered %+v, want an alert", a)
	}
}

// An admin posting anonymously "as the group" may link it.
func TestAnonymousAdminCanLink(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	code, _ := commands.NewCode()
	c := &commands.Collective{Name: "Zuid", Code: code}
	if err := h.db.CreateCollective(ctx, "", c, commands.UserRef{Platform: commands.Telegram, ID: "101", Name: "Anna"}); err != nil {
		t.Fatal(err)
	}
	h.start()
	id := h.tg.PushAnonymous(noord, "/koppel "+code)
	h.tg.WaitConfirmed(t, id)
	if got, _ := h.db.Chat(ctx, telegramChat(noord)); got.Kind != commands.ChatCollective {
		t.Fatalf("chat = %+v, want linked", got)
	}
}

// A deep link (t.me/WijkBot?start=noord) opens a private chat with
// "/start noord": the bot greets instead of complaining about the payload.
func TestStartWithDeepLinkPayload(t *testing.T) {
	h := newHarness(t)
	h.start()
	me := telegramtest.Private(piet)
	r := h.say(me, piet, "/start noord", 1)
	expect(t, r[0].Shown, "wijkbot", "/koppel")
}
