package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// TestThroughput: every command gets one successful confirmation and one
// stored entry, and the commits counted are the fsyncs the run took.
func TestThroughput(t *testing.T) {
	res, err := Throughput{Dir: t.TempDir(), Chats: 20, PerChat: 3}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Replies, 60; got != want {
		t.Fatalf("replies=%d, want %d", got, want)
	}
	if got, want := res.Stored, 60; got != want {
		t.Fatalf("stored=%d, want %d", got, want)
	}
	// At least one write per command (the entry), and no commit without one.
	if res.Writes < 60 || res.Commits < 1 || res.Commits > res.Writes {
		t.Fatalf("commits=%d writes=%d for 60 commands", res.Commits, res.Writes)
	}
	if res.PerSec <= 0 {
		t.Fatalf("rate=%v", res.PerSec)
	}
	t.Logf("%+v", res)
}

func TestEcho(t *testing.T) {
	res, err := Echo{Chats: 20, PerChat: 3}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Replies, 60; got != want {
		t.Fatalf("replies=%d, want %d", got, want)
	}
	if res.PerSec <= 0 {
		t.Fatalf("rate=%v", res.PerSec)
	}
}

// TestSuccessfulSendsCountsOnlySuccess: a reply the API refused is no
// reply, for the bot and for the echo alike.
func TestSuccessfulSendsCountsOnlySuccess(t *testing.T) {
	tb := NewTB("t")
	defer tb.Close()
	fake := telegramtest.NewServer(tb)
	fake.PushText(telegramtest.Group(TelegramGroup(0), "Collectief"), telegramtest.User{ID: 5, FirstName: "Lid"}, "hallo")
	fake.FailNext("sendMessage", 1, telegramtest.InternalError())
	api, err := tgbotapi.NewBotAPIWithClient(fake.Token, fake.URL()+"/bot%s/%s", &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		api.MakeRequest("sendMessage", echoParams(TelegramGroup(0), &tgbotapi.Message{Text: "hallo", MessageID: 1}))
	}
	if got, want := successfulSends(fake), 1; got != want {
		t.Fatalf("successful sends=%d, want %d (one was refused)", got, want)
	}
	if _, err := waitReplies(context.Background(), fake, 1, time.Now()); err == nil {
		t.Fatal("waitReplies accepted a run with a refused reply")
	}
}
