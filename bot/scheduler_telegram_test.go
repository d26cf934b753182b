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

// End to end on the fake Bot API, on an injected clock: with the check-in
// schedule "@every 3s" a linked group receives a check-in when the clock has
// moved 3 s and the scheduler runs, a reply to it with /checkin answers that
// round, and /pauze stops them. Nothing sleeps: the clock is moved and
// RunDue called, as the ticker would; only the HTTP round trips to the fake
// server are waited for.
func TestSchedulerTelegram(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	clock := &bot.Clock{}
	clock.Freeze(time.Date(2026, time.June, 1, 10, 0, 0, 0, ams))
	db := bot.OpenTestDB(t)
	db.Now = clock.Now
	h := &commands.Handler{Store: db, Now: clock.Now, Location: ams, DefaultLang: commands.NL, DefaultSchedule: "@every 3s", Logger: quiet}
	rt := &bot.Runtime{Handler: h, Store: db, Admins: map[string]bool{"telegram:101": true}, Logger: quiet}
	tg := startTelegram(t, rt)
	sched := &bot.Scheduler{Runtime: rt, Handler: h, Store: db, Now: clock.Now, Location: ams, Logger: quiet}
	defer rt.Wait()
	// tick moves the clock by d and runs what is due; deliveries are
	// synchronous, so what it sent has reached the fake server on return.
	tick := func(d time.Duration) {
		t.Helper()
		clock.Advance(d)
		if err := sched.RunDue(ctx); err != nil {
			t.Fatalf("RunDue: %v", err)
		}
	}

	anna := telegramtest.User{ID: 101, FirstName: "Anna"}
	piet := telegramtest.User{ID: 201, FirstName: "Piet"}
	staff := telegramtest.Supergroup(-1001000000001, "Staf")
	noord := telegramtest.Group(-2001, "Bewoners Noord")

	// waitShown waits for the reply to a pushed command: a message to chat
	// containing substr, after skip.
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
	const checkinText = "Wekelijkse check-in van"

	tg.PushText(staff, anna, "/"+commands.CmdStaffChat)
	waitShown(staff, commands.CmdStaffChat, 0)
	tg.PushText(staff, anna, "/collectief Noord")
	created, _ := waitShown(staff, "Koppelcode", 0)
	code := regexp.MustCompile(`[A-HJ-NP-Z2-9]{8}`).FindString(created.Shown)
	tg.PushText(noord, anna, "/koppel "+code)
	_, welcome := waitShown(noord, "Welkom", 0)

	tick(0) // the collective's first round is 3 s after it was created
	if got := countShown(noord, checkinText); got != 0 {
		t.Fatalf("%d check-ins before the schedule's first round", got)
	}
	tick(3 * time.Second)
	sent := tg.Sent(noord.ID)
	if got := countShown(noord, checkinText); got != 1 {
		t.Fatalf("%d check-ins 3 s after creation, want 1", got)
	}
	checkin := sent[len(sent)-1]
	if len(sent) <= welcome || !strings.Contains(checkin.Shown, checkinText) {
		t.Fatalf("the last message is not the check-in:\n%s", checkin.Shown)
	}

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

	// The schedule goes on: the next 3 s bring the next round.
	tick(3 * time.Second)
	if got := countShown(noord, checkinText); got != 2 {
		t.Fatalf("%d check-ins after two rounds, want 2", got)
	}

	tomorrow := clock.Now().In(ams).AddDate(0, 0, 1).Format("2006-01-02")
	tg.PushText(noord, piet, "/pauze "+tomorrow)
	waitShown(noord, "gepauzeerd", 0)
	for range 5 { // five more rounds fall due, all within the pause
		tick(3 * time.Second)
	}
	if got := countShown(noord, checkinText); got != 2 {
		t.Fatalf("check-ins during the pause: 2 → %d", got)
	}
}
