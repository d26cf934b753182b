package bot_test

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// End to end on the fake Bot API, in real time: with the check-in schedule
// "@every 3s" a linked group receives a check-in within seconds, a reply to
// it with /checkin answers that round, and /pauze stops them.
func TestSchedulerTelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("runs about 15 s of real time")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	db := bot.OpenTestDB(t)
	h := &commands.Handler{Store: db, Location: ams, DefaultLang: commands.NL, DefaultSchedule: "@every 3s", Logger: quiet}
	rt := &bot.Runtime{Handler: h, Store: db, Admins: map[string]bool{"telegram:101": true}, Logger: quiet}
	tg := startTelegram(t, rt)
	sched := &bot.Scheduler{Runtime: rt, Handler: h, Store: db, Location: ams, Logger: quiet}
	sched.Start(ctx)
	defer func() {
		sched.Stop()
		cancel()
		rt.Wait()
	}()

	anna := telegramtest.User{ID: 101, FirstName: "Anna"}
	piet := telegramtest.User{ID: 201, FirstName: "Piet"}
	staff := telegramtest.Supergroup(-1001000000001, "Staf")
	noord := telegramtest.Group(-2001, "Bewoners Noord")

	// waitShown waits for a message to chat containing substr, after skip.
	waitShown := func(chat telegramtest.Chat, substr string, skip int) (telegramtest.Sent, int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			sent := tg.Sent(chat.ID)
			for i := skip; i < len(sent); i++ {
				if strings.Contains(sent[i].Shown, substr) {
					return sent[i], i
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		var shown []string
		for _, s := range tg.Sent(chat.ID) {
			shown = append(shown, s.Shown)
		}
		t.Fatalf("no message with %q in %s within 10 s; shown:\n%s", substr, chat.Title, strings.Join(shown, "\n---\n"))
		return telegramtest.Sent{}, 0
	}
	countShown := func(chat telegramtest.Chat, substr string) int {
		n := 0
		for _, s := range tg.Sent(chat.ID) {
			if strings.Contains(s.Shown, substr) {
				n++
			}
		}
		return n
	}

	tg.PushText(staff, anna, "/stafkanaal")
	waitShown(staff, "stafkanaal", 0)
	tg.PushText(staff, anna, "/collectief Noord")
	created, _ := waitShown(staff, "Koppelcode", 0)
	code := regexp.MustCompile(`[A-HJ-NP-Z2-9]{8}`).FindString(created.Shown)
	tg.PushText(noord, anna, "/koppel "+code)
	_, welcome := waitShown(noord, "Welkom", 0)

	linked := time.Now()
	checkin, _ := waitShown(noord, "Wekelijkse check-in van", welcome+1)
	t.Logf("first check-in %v after linking", time.Since(linked).Round(time.Millisecond))

	// The adapter reads replies (ReplyReader), so the check-in offers them.
	if !strings.Contains(checkin.Shown, "antwoord op dit bericht met /checkin") {
		t.Errorf("Telegram check-in does not offer answering by reply:\n%s", checkin.Shown)
	}
	tg.PushReply(noord, piet, "/checkin Goed bezig, vast op de financiering", checkin.MessageID)
	waitShown(noord, "Dank je", 0)
	r, err := db.RoundByMessage(ctx, commands.ChatRef{Platform: commands.Telegram, ID: strconv.FormatInt(noord.ID, 10)}, strconv.Itoa(checkin.MessageID))
	if err != nil {
		t.Fatal(err)
	}
	answers, err := db.CheckinAnswers(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 1 || answers[0].Author != "Piet" {
		t.Fatalf("answers to the replied check-in = %+v, want Piet's", answers)
	}

	tomorrow := time.Now().In(ams).AddDate(0, 0, 1).Format("2006-01-02")
	tg.PushText(noord, piet, "/pauze "+tomorrow)
	waitShown(noord, "gepauzeerd", 0)
	time.Sleep(3500 * time.Millisecond) // a round claimed just before the pause may still land
	paused := countShown(noord, "Wekelijkse check-in van")
	time.Sleep(7 * time.Second) // two more ticks of the 3-second schedule
	if got := countShown(noord, "Wekelijkse check-in van"); got != paused {
		t.Fatalf("check-ins during the pause: %d → %d", paused, got)
	}
}
