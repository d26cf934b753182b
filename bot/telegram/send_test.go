package telegram_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

func chatID(c telegramtest.Chat) string { return strconv.FormatInt(c.ID, 10) }

// A user's text full of HTML's special characters, quotes and emoji is
// shown exactly as typed: the bot escapes everything it sends as HTML.
func TestSendTextShowsUserTextLiterally(t *testing.T) {
	h := newHarness(t)
	h.tg.PushText(noord, piet, "hallo") // the chat exists for the fake
	nasty := `<b>Noord</b> & "Zuid" 'west' <script>alert(1)</script> &amp; 😀🏘️ a<b c>d`
	if _, err := h.bot.SendText(context.Background(), chatID(noord), nasty); err != nil {
		t.Fatal(err)
	}
	sent := h.tg.Sent(noord.ID)
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sent))
	}
	if got, want := sent[0].Shown, nasty; got != want {
		t.Fatalf("shown %q, want %q", got, want)
	}
	if sent[0].ParseMode != "HTML" {
		t.Fatalf("parse mode %q, want HTML", sent[0].ParseMode)
	}
}

func TestSendTextSplitsLongText(t *testing.T) {
	h := newHarness(t)
	h.tg.PushText(noord, piet, "hallo")
	var b strings.Builder
	for i := 0; b.Len() < 10000; i++ {
		b.WriteString("regel " + strconv.Itoa(i) + ": <&> gaat over de buurt\n")
	}
	long := strings.TrimSpace(b.String())
	if _, err := h.bot.SendText(context.Background(), chatID(noord), long); err != nil {
		t.Fatal(err)
	}
	sent := h.tg.Sent(noord.ID)
	if len(sent) < 3 {
		t.Fatalf("sent %d messages, want at least 3", len(sent))
	}
	var shown []string
	for _, s := range sent {
		if n := len([]rune(s.Shown)); n > 4096 {
			t.Fatalf("a part has %d characters", n)
		}
		if !strings.HasPrefix(s.Shown, "regel ") {
			t.Fatalf("a part does not start at a line: %q", s.Shown[:20])
		}
		shown = append(shown, s.Shown)
	}
	if got := strings.Join(shown, "\n"); got != long {
		t.Fatalf("the parts together differ from the text")
	}
}

// Three 429 answers in a row: the bot waits what Telegram asks and the
// message arrives exactly once.
func TestThreeTooManyRequestsDeliverOnce(t *testing.T) {
	h := newHarness(t)
	obs := &countObserver{}
	h.rt.Observer = obs
	h.tg.PushText(noord, piet, "hallo")
	h.tg.FailNext("sendMessage", 3, telegramtest.TooManyRequests(1))
	if _, err := h.bot.SendText(context.Background(), chatID(noord), "eindelijk"); err != nil {
		t.Fatal(err)
	}
	if got := len(h.tg.Sent(noord.ID)); got != 1 {
		t.Fatalf("delivered %d times, want once", got)
	}
	if got := len(h.tg.Calls("sendMessage")); got != 4 {
		t.Fatalf("%d sendMessage calls, want 4", got)
	}
	if got := obs.count("telegram"); got != 3 {
		t.Fatalf("%d 429s reported to the metrics, want 3", got)
	}
	waits := h.sleeps.all()
	if len(waits) != 3 {
		t.Fatalf("waited %v, want three waits", waits)
	}
	for _, w := range waits {
		if w != time.Second {
			t.Fatalf("waited %v, want retry_after 1s each", waits)
		}
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	h := newHarness(t)
	h.tg.PushText(noord, piet, "hallo")
	h.tg.FailNext("sendMessage", 1, telegramtest.BadGateway())
	h.tg.FailNext("sendMessage", 1, telegramtest.InternalError())
	if _, err := h.bot.SendText(context.Background(), chatID(noord), "toch"); err != nil {
		t.Fatal(err)
	}
	if got := len(h.tg.Sent(noord.ID)); got != 1 {
		t.Fatalf("delivered %d times, want once", got)
	}
	if got := len(h.tg.Calls("sendMessage")); got != 3 {
		t.Fatalf("%d sendMessage calls, want 3", got)
	}
}

// A message whose answer never came may have been delivered: it is not
// sent again (at most once), and the caller gets the error.
func TestLostAnswerIsNotSentTwice(t *testing.T) {
	h := newHarness(t, func(c *telegram.Config) { c.SendTimeout = 300 * time.Millisecond })
	h.tg.PushText(noord, piet, "hallo")
	h.tg.FailNext("sendMessage", 1, telegramtest.LostAnswer(5*time.Second))
	if _, err := h.bot.SendText(context.Background(), chatID(noord), "één keer"); err == nil {
		t.Fatal("SendText succeeded without an answer")
	}
	if got := len(h.tg.Sent(noord.ID)); got != 1 {
		t.Fatalf("delivered %d times, want once", got)
	}
	if got := len(h.tg.Calls("sendMessage")); got != 1 {
		t.Fatalf("%d sendMessage calls, want 1 (no retry)", got)
	}
}

func TestButtonsCarryTheirCommand(t *testing.T) {
	h := newHarness(t)
	h.tg.PushText(staff, anna, "hallo")
	nr := []commands.Arg{{Option: "nummer", Value: "12"}}
	long := []commands.Arg{{Option: "nummer", Value: "12"}, {Option: "tekst", Value: strings.Repeat("x", 60)}}
	_, err := h.bot.SendButtons(context.Background(), chatID(staff), "Hulpvraag #12",
		[]commands.Button{{Label: "Oppakken", Command: commands.CmdClaim, Args: nr}, {Label: "Afronden", Command: commands.CmdResolve, Args: nr}, {Label: "Te lang", Command: commands.CmdAnswer, Args: long}})
	if err != nil {
		t.Fatal(err)
	}
	sent := h.tg.Sent(staff.ID)
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sent))
	}
	var got []string
	for _, row := range sent[0].Buttons {
		for _, b := range row {
			got = append(got, b.Text+"="+b.Data)
		}
	}
	if want := "Oppakken=/oppakken 12,Afronden=/afronden 12"; strings.Join(got, ",") != want {
		t.Fatalf("buttons %q, want %q", got, want)
	}
	// The button that does not fit 64 bytes becomes a typed command.
	expect(t, sent[0].Shown, "Hulpvraag #12", "/antwoord 12 "+strings.Repeat("x", 60))
}

func TestImagesAndFilesAreUploaded(t *testing.T) {
	h := newHarness(t)
	h.tg.PushText(noord, piet, "hallo")
	png := []byte("\x89PNG\r\n\x1a\nfake")
	if _, err := h.bot.SendImage(context.Background(), chatID(noord), "Mengpaneel <Noord>", commands.File{Name: "paneel.png", ContentType: "image/png", Data: png}); err != nil {
		t.Fatal(err)
	}
	csv := []byte("a,b\n1,2\n")
	if _, err := h.bot.SendFile(context.Background(), chatID(noord), "", commands.File{Name: "export.csv", Data: csv}); err != nil {
		t.Fatal(err)
	}
	sent := h.tg.Sent(noord.ID)
	if len(sent) != 2 {
		t.Fatalf("sent %d, want 2", len(sent))
	}
	if sent[0].Method != "sendPhoto" || !bytes.Equal(sent[0].File.Data, png) || sent[0].Shown != "Mengpaneel <Noord>" {
		t.Fatalf("photo: %s %q %q", sent[0].Method, sent[0].File.Data, sent[0].Shown)
	}
	if sent[1].Method != "sendDocument" || !bytes.Equal(sent[1].File.Data, csv) || sent[1].File.Name != "export.csv" {
		t.Fatalf("document: %s %q %q", sent[1].Method, sent[1].File.Name, sent[1].File.Data)
	}
}

// Messages to one chat are paced; the limit is per chat, not global.
func TestPacingPerChat(t *testing.T) {
	h := newHarness(t, func(c *telegram.Config) {
		c.Limits = telegram.Limits{Global: 1000, Chat: 20, ChatBurst: 1, Group: 1000}
	})
	h.tg.PushText(noord, piet, "hallo")
	start := time.Now()
	for i := range 6 {
		if _, err := h.bot.SendText(context.Background(), chatID(noord), "bericht "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 240*time.Millisecond {
		t.Fatalf("6 messages at 20/s took %v, want at least 250ms", d)
	}
}

// The bot was removed from a group: sending fails with 403 and the chat is
// marked inactive.
func TestKickedChatBecomesInactive(t *testing.T) {
	h := newHarness(t)
	h.tg.PushMyChatMember(noord, piet, "member", "kicked")
	ref := commands.ChatRef{Platform: commands.Telegram, ID: chatID(noord)}
	ctx := context.Background()
	// Make the chat known and active first (a linked chat in real life).
	if err := h.db.AddStaffChat(ctx, "", ref, "Bewoners Noord", commands.UserRef{Platform: commands.Telegram, ID: "101", Name: "Anna"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.bot.SendText(ctx, chatID(noord), "hallo?"); err == nil {
		t.Fatal("sending to a chat the bot was kicked from succeeded")
	}
	c, err := h.db.Chat(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if c.Active {
		t.Fatal("chat still active after 403")
	}
}

// A message to a group that became a supergroup goes to the supergroup,
// and the chat's link moves with it.
func TestSendFollowsSupergroupUpgrade(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	by := commands.UserRef{Platform: commands.Telegram, ID: "101", Name: "Anna"}
	if err := h.db.AddStaffChat(ctx, "", telegramChat(noord), noord.Title, by); err != nil {
		t.Fatal(err)
	}
	super := telegramtest.Supergroup(-1002001, noord.Title)
	h.tg.PushMigrate(noord, super, piet) // not polled: the bot learns it from the send
	if _, err := h.bot.SendText(ctx, chatID(noord), "check-in"); err != nil {
		t.Fatal(err)
	}
	if got := h.tg.Sent(super.ID); len(got) != 1 || got[0].Shown != "check-in" {
		t.Fatalf("supergroup got %+v", got)
	}
	c, err := h.db.Chat(ctx, telegramChat(super))
	if err != nil || c.Kind != commands.ChatStaff {
		t.Fatalf("supergroup chat = %+v, %v", c, err)
	}
}

// SendText returns the id Telegram gave the (first) message: the adapter
// reads only that and the chat of the answer, not the whole Message.
func TestSendTextReturnsMessageID(t *testing.T) {
	h := newHarness(t)
	h.tg.PushText(noord, piet, "hallo") // the fake knows the chat from here
	for range 2 {
		id, err := h.bot.SendText(context.Background(), chatID(noord), "hallo")
		if err != nil {
			t.Fatal(err)
		}
		sent := h.tg.Sent(noord.ID)
		if got, want := id, strconv.Itoa(sent[len(sent)-1].MessageID); got != want || id == "0" {
			t.Fatalf("SendText returned id %q, want %q (the fake's)", got, want)
		}
	}
}
