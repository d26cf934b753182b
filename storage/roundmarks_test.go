package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// RoundMarks gives every collective what LastRoundAt and LatestRound give
// one: a missed round counts as the last, only a posted one as posted.
func TestRoundMarks(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	stil := mustCollective(t, db, "Stil", "SSSS2345")
	monday := clk.now.UTC().Truncate(time.Hour)
	post := func(c *commands.Collective, at time.Time) {
		t.Helper()
		r, _, err := db.ClaimRound(ctx, c.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoundPosted(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	post(noord, monday)
	post(noord, monday.AddDate(0, 0, 7))
	if err := db.MarkRoundMissed(ctx, noord.ID, monday.AddDate(0, 0, 14)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.ClaimRound(ctx, zuid.ID, monday); err != nil { // claimed, not posted
		t.Fatal(err)
	}
	marks, err := db.RoundMarks(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := marks[stil.ID]; ok {
		t.Errorf("a collective without rounds has marks %+v", marks[stil.ID])
	}
	for _, c := range []*commands.Collective{noord, zuid} {
		last, err := db.LastRoundAt(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := marks[c.ID]
		if !m.Last.Equal(last) {
			t.Errorf("%s: last round %v, LastRoundAt %v", c.Name, m.Last, last)
		}
		latest, err := db.LatestRound(ctx, c.ID)
		switch {
		case commands.ErrorCode(err) == commands.ENOTFOUND:
			if m.Posted != nil {
				t.Errorf("%s: posted %+v, LatestRound none", c.Name, m.Posted)
			}
		case err != nil:
			t.Fatal(err)
		case m.Posted == nil || m.Posted.ID != latest.ID || !m.Posted.ScheduledAt.Equal(latest.ScheduledAt) || m.Posted.Status != latest.Status:
			t.Errorf("%s: posted %+v, LatestRound %+v", c.Name, m.Posted, latest)
		}
	}
	if m := marks[noord.ID]; m.Posted == nil || !m.Last.After(m.Posted.ScheduledAt) {
		t.Errorf("Noord: %+v, want the missed round last and the one before it posted", m)
	}
}

// A latest posted round due a reminder is Settled when it has an answer
// or its reminder (commands.NudgeKey) was claimed; a round posted after
// settledBy is not asked about.
func TestRoundMarksSettled(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	monday := clk.now.UTC().Truncate(time.Hour)
	rounds := map[string]*commands.Round{}
	for i, name := range []string{"Answered", "Reminded", "Open", "Later", "Other"} {
		c := mustCollective(t, db, name, strings.Repeat(string(commands.CodeAlphabet[i]), 4)+"2345")
		at := monday
		if name == "Later" {
			at = monday.Add(time.Hour)
		}
		r, _, err := db.ClaimRound(ctx, c.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoundPosted(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		rounds[name] = r
	}
	for _, name := range []string{"Answered", "Later"} {
		if err := db.AddCheckinAnswer(ctx, "", rounds[name].ID, "goed", ana); err != nil {
			t.Fatal(err)
		}
	}
	reminded := rounds["Reminded"]
	if _, _, err := db.ClaimSend(ctx, commands.NudgeKey(reminded.CollectiveID, reminded.ID), commands.SendNudge, monday); err != nil {
		t.Fatal(err)
	}
	// Another collective's reminder with this round's id is not this one's.
	other := rounds["Other"]
	if _, _, err := db.ClaimSend(ctx, commands.NudgeKey(other.CollectiveID+100, other.ID), commands.SendNudge, monday); err != nil {
		t.Fatal(err)
	}
	marks, err := db.RoundMarks(ctx, monday)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"Answered": true, "Reminded": true, "Open": false, "Later": false, "Other": false} {
		m := marks[rounds[name].CollectiveID]
		if m.Posted == nil || m.Posted.ID != rounds[name].ID {
			t.Fatalf("%s: marks %+v, want round %d posted", name, m, rounds[name].ID)
		}
		if m.Settled != want {
			t.Errorf("%s: settled %v, want %v", name, m.Settled, want)
		}
	}
}
