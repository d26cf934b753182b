package storage

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestCheckins(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	week1 := time.Date(2026, 6, 8, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	week2 := week1.AddDate(0, 0, 7)

	t.Run("no round yet", func(t *testing.T) {
		_, err := db.LatestRound(ctx, noord.ID)
		wantCode(t, err, commands.ENOTFOUND)
	})

	var round *commands.Round
	t.Run("claim once", func(t *testing.T) {
		r, claimed, err := db.ClaimRound(ctx, noord.ID, week1)
		if err != nil || !claimed {
			t.Fatalf("first claim: %+v %v %v", r, claimed, err)
		}
		if r.Status != commands.RoundClaimed || !r.ScheduledAt.Equal(week1) || r.ScheduledAt.Location() != time.UTC {
			t.Fatalf("round %+v", r)
		}
		again, claimed, err := db.ClaimRound(ctx, noord.ID, week1.UTC())
		if err != nil || claimed || again.ID != r.ID {
			t.Fatalf("second claim: %+v claimed=%v err=%v, want the same round, not claimed", again, claimed, err)
		}
		other, claimed, err := db.ClaimRound(ctx, zuid.ID, week1)
		if err != nil || !claimed || other.ID == r.ID {
			t.Fatalf("Zuid's claim: %+v %v %v", other, claimed, err)
		}
		_, _, err = db.ClaimRound(ctx, 999, week1)
		wantCode(t, err, commands.ENOTFOUND)
		round = r
	})

	t.Run("claimed is not posted", func(t *testing.T) {
		_, err := db.LatestRound(ctx, noord.ID)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("posted", func(t *testing.T) {
		clk.Add(time.Minute)
		if err := db.MarkRoundPosted(ctx, round.ID); err != nil {
			t.Fatal(err)
		}
		r, err := db.LatestRound(ctx, noord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != round.ID || r.Status != commands.RoundPosted || !r.PostedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("latest %+v", r)
		}
		wantCode(t, db.MarkRoundPosted(ctx, 999), commands.ENOTFOUND)
	})

	t.Run("missed rounds are recorded, never posted", func(t *testing.T) {
		if err := db.MarkRoundMissed(ctx, noord.ID, week2); err != nil {
			t.Fatal(err)
		}
		if _, claimed, _ := db.ClaimRound(ctx, noord.ID, week2); claimed {
			t.Fatal("claimed a missed round")
		}
		if r, _ := db.LatestRound(ctx, noord.ID); r.ID != round.ID {
			t.Fatalf("latest %+v, want week 1", r)
		}
		// Marking a posted round missed leaves it posted.
		if err := db.MarkRoundMissed(ctx, noord.ID, week1); err != nil {
			t.Fatal(err)
		}
		if r, _ := db.LatestRound(ctx, noord.ID); r.Status != commands.RoundPosted {
			t.Fatalf("latest %+v", r)
		}
	})

	t.Run("answers", func(t *testing.T) {
		clk.Add(time.Hour)
		if err := db.AddCheckinAnswer(ctx, "", round.ID, "Goed bezig", ana); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		if err := db.AddCheckinAnswer(ctx, "", round.ID, "Druk", bram); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.AddCheckinAnswer(ctx, "", 999, "x", ana), commands.ENOTFOUND)
		got, err := db.CheckinAnswers(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Text != "Goed bezig" || got[0].Author != "Ana" || got[1].Author != "Bram" ||
			got[0].RoundID != round.ID || !got[1].CreatedAt.Equal(t0.Add(time.Minute+2*time.Hour)) {
			t.Fatalf("answers %+v", got)
		}
		list, _ := db.Collectives(ctx)
		if !list[0].LastActivity.Equal(t0.Add(time.Minute + 2*time.Hour)) {
			t.Fatalf("last activity %v, want the last check-in answer", list[0].LastActivity)
		}
	})
}
