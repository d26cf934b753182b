package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

func TestDeleteCheckinAnswersBefore(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
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
	for i, age := range []time.Duration{400 * 24 * time.Hour, 366 * 24 * time.Hour, 364 * 24 * time.Hour, 0} {
		now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC).Add(-age)
		if err := db.AddCheckinAnswer(ctx, "ev"+string(rune('a'+i)), round.ID, "antwoord", who); err != nil {
			t.Fatal(err)
		}
	}
	now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	n, err := db.DeleteCheckinAnswersBefore(ctx, now.Add(-365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("deleted %d answers, want the 2 older than a year", n)
	}
	left, err := db.CheckinAnswers(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 {
		t.Fatalf("%d answers left, want 2", len(left))
	}
	for _, a := range left {
		if now.Sub(a.CreatedAt) > 365*24*time.Hour {
			t.Errorf("answer of %v kept", a.CreatedAt)
		}
	}
	if _, claimed, err := db.ClaimRound(ctx, c.ID, round.ScheduledAt); err != nil || claimed {
		t.Fatalf("round gone after pruning answers (claimed again: %v, %v)", claimed, err)
	}
}

func TestDeleteEventsBefore(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	now := start
	db.Now = func() time.Time { return now }
	who := commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Sanne"}
	for day := range 10 {
		now = start.AddDate(0, 0, day)
		c := &commands.Collective{Name: "Noord " + string(rune('A'+day)), Code: "ABCDEFG" + string(rune('A'+day))}
		if err := db.CreateCollective(ctx, "telegram:update:"+string(rune('a'+day)), c, who); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.DeleteEventsBefore(ctx, start.AddDate(0, 0, 7)) // days 0–6 go
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Fatalf("forgot %d event ids, want 7", n)
	}
	for day := range 10 {
		seen, err := db.EventSeen(ctx, "telegram:update:"+string(rune('a'+day)))
		if err != nil {
			t.Fatal(err)
		}
		if want := day >= 7; seen != want {
			t.Errorf("day %d: seen=%v, want %v", day, seen, want)
		}
	}
	// The data the events wrote stays; only the ids are forgotten.
	if cs, err := db.Collectives(ctx); err != nil || len(cs) != 10 {
		t.Fatalf("%d collectives after pruning events (%v), want 10", len(cs), err)
	}
}
