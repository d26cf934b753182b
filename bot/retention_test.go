package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

func TestParseRetention(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"", 0, false},
		{"0", 0, false},
		{"365d", 365 * 24 * time.Hour, false},
		{"730", 730 * 24 * time.Hour, false},
		{"48h", 48 * time.Hour, false},
		{"-3d", 0, true},
		{"een jaar", 0, true},
	} {
		got, err := bot.ParseRetention(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseRetention(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"2d", 48 * time.Hour, false},
		{"5D", 120 * time.Hour, false},
		{"3", 72 * time.Hour, false},
		{" 36h ", 36 * time.Hour, false},
		{"0", 0, true}, // a period of nothing would fire at once
		{"0d", 0, true},
		{"-1h", 0, true},
		{"", 0, true},
		{"twee dagen", 0, true},
	} {
		got, err := bot.ParsePeriod(tc.in, bot.NudgeRange)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

// TestRetentionPrune moves an injected clock past the retention: answers
// older than it go, younger ones and rounds stay; 0 keeps everything.
func TestRetentionPrune(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	now := time.Date(2025, 1, 6, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	who := commands.UserRef{Platform: commands.Console, ID: "1", Name: "Sanne"}
	c := &commands.Collective{Name: "Noord", Code: "ABCDEFGH"}
	if err := db.CreateCollective(ctx, "", c, who); err != nil {
		t.Fatal(err)
	}
	round, _, err := db.ClaimRound(ctx, c.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddCheckinAnswer(ctx, "old", round.ID, "Het gaat goed", who); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 6, 0)
	if err := db.AddCheckinAnswer(ctx, "young", round.ID, "Drukke week", who); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		as, err := db.CheckinAnswers(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	clock := func() time.Time { return now }

	now = now.AddDate(1, 0, 0) // the first answer is 18 months old, the second 12
	forever := &bot.Retention{Store: db, Keep: 0, Now: clock}
	if n, err := forever.Prune(ctx); err != nil || n != 0 || count() != 2 {
		t.Fatalf("retention 0 deleted %d (%v), %d left; want nothing deleted", n, err, count())
	}
	r := &bot.Retention{Store: db, Keep: 365 * 24 * time.Hour, Now: clock}
	if n, err := r.Prune(ctx); err != nil || n != 1 || count() != 1 {
		t.Fatalf("a year's retention deleted %d (%v), %d left; want the 18-month-old one deleted", n, err, count())
	}
	now = now.AddDate(0, 6, 1)
	if n, err := r.Prune(ctx); err != nil || n != 1 || count() != 0 {
		t.Fatalf("half a year later deleted %d (%v), %d left; want the second one deleted too", n, err, count())
	}
}

// TestRetentionForgetsOldEventIDs: ids older than EventKeep are forgotten,
// newer ones still catch a re-delivery; the retention of check-in answers
// (0 here: keep forever) does not switch this off.
func TestRetentionForgetsOldEventIDs(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	who := commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Sanne"}
	old := &commands.Collective{Name: "Oud", Code: "ABCDEFGH"}
	if err := db.CreateCollective(ctx, "telegram:update:1", old, who); err != nil {
		t.Fatal(err)
	}
	now = now.Add(bot.EventKeep)
	recent := &commands.Collective{Name: "Nieuw", Code: "ABCDEFGJ"}
	if err := db.CreateCollective(ctx, "telegram:update:2", recent, who); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	r := &bot.Retention{Store: db, Keep: 0, Now: func() time.Time { return now }}
	if n, err := r.PruneEvents(ctx); err != nil || n != 1 {
		t.Fatalf("PruneEvents forgot %d (%v), want 1", n, err)
	}
	for ev, want := range map[string]bool{"telegram:update:1": false, "telegram:update:2": true} {
		if seen, err := db.EventSeen(ctx, ev); err != nil || seen != want {
			t.Errorf("EventSeen(%s) = %v (%v), want %v", ev, seen, err, want)
		}
	}
}

// TestRetentionDeletesExpired: the daily run also deletes the questions
// waiting for a text and the login links whose time is up, which name a
// person (the retention of check-in answers, 0 here, does not switch it off).
func TestRetentionDeletesExpired(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	who := commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Sanne"}
	staff := commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	if err := db.SaveAsk(ctx, staff, "41", who, "/antwoord 3", now.Add(7*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateLogin(ctx, "", []byte("hash"), staff, who, now.Add(15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	r := &bot.Retention{Store: db, Keep: 0, Now: func() time.Time { return now }}
	if n, err := r.PruneExpired(ctx); err != nil || n != 0 {
		t.Fatalf("PruneExpired before their time deleted %d (%v), want 0", n, err)
	}
	now = now.Add(8 * 24 * time.Hour)
	if n, err := r.PruneExpired(ctx); err != nil || n != 2 {
		t.Fatalf("PruneExpired deleted %d (%v), want the question and the login link", n, err)
	}
}
