package storage

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestCollectiveReport(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Bewonersbedrijf Noord", "AAAAAAAA")
	zuid := mustCollective(t, db, "Groen Zuid", "BBBBBBBB")
	step := func() { clk.Add(time.Hour) }

	// Interleave both collectives' records, so a missing WHERE shows.
	for i, c := range []*commands.Collective{noord, zuid, noord} {
		step()
		e := &commands.Entry{CollectiveID: c.ID, Text: "stap " + string(rune('a'+i)), Milestone: i == 2, Themes: []string{"wonen"}}
		if err := db.AddEntry(ctx, "", e, ana); err != nil {
			t.Fatal(err)
		}
	}
	var numbers []int64
	for _, c := range []*commands.Collective{noord, zuid, noord} {
		step()
		r := &commands.HelpRequest{CollectiveID: c.ID, Expertise: "juridisch", Question: "vraag"}
		if err := db.CreateRequest(ctx, "", r, bram, 0); err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, r.Number)
	}
	step()
	if _, err := db.AnswerRequest(ctx, "", numbers[2], "antwoord 1", sanne); err != nil {
		t.Fatal(err)
	}
	step()
	if _, err := db.AnswerRequest(ctx, "", numbers[2], "antwoord 2", sanne); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AnswerRequest(ctx, "", numbers[1], "voor zuid", sanne); err != nil {
		t.Fatal(err)
	}
	panel, err := db.Panel(ctx, noord.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []int{3, 6} {
		step()
		if _, err := db.SetSlider(ctx, "", noord.ID, panel[0].ID, v, "waarom", ana); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SetSlider(ctx, "", zuid.ID, panel[1].ID, 9, "", ana); err != nil {
		t.Fatal(err)
	}
	round, _, err := db.ClaimRound(ctx, noord.ID, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	zround, _, err := db.ClaimRound(ctx, zuid.ID, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*commands.Round{round, zround, round} {
		step()
		if err := db.AddCheckinAnswer(ctx, "", r.ID, "antwoord", bram); err != nil {
			t.Fatal(err)
		}
	}

	r, err := db.CollectiveReport(ctx, noord.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("only this collective, oldest first", func(t *testing.T) {
		if got, want := r.Collective.Name, "Bewonersbedrijf Noord"; got != want {
			t.Errorf("name=%q, want %q", got, want)
		}
		if len(r.Entries) != 2 || r.Entries[0].Text != "stap a" || r.Entries[1].Text != "stap c" || !r.Entries[1].Milestone {
			t.Errorf("entries=%+v", r.Entries)
		}
		if len(r.Entries[0].Themes) != 1 || r.Entries[0].Themes[0] != "wonen" {
			t.Errorf("themes=%v", r.Entries[0].Themes)
		}
		if len(r.Requests) != 2 || r.Requests[0].Number != numbers[0] || r.Requests[1].Number != numbers[2] {
			t.Fatalf("requests=%+v", r.Requests)
		}
		if len(r.SliderChanges) != 2 || r.SliderChanges[1].Value != 6 || r.SliderChanges[1].Previous != 3 {
			t.Errorf("slider changes=%+v", r.SliderChanges)
		}
		if len(r.Rounds) != 1 || r.Rounds[0].ID != round.ID {
			t.Errorf("rounds=%+v", r.Rounds)
		}
		if len(r.CheckinAnswers) != 2 {
			t.Errorf("check-in answers=%+v", r.CheckinAnswers)
		}
	})
	t.Run("answers belong to their request", func(t *testing.T) {
		if n := len(r.Requests[0].Answers); n != 0 {
			t.Errorf("unanswered request has %d answers", n)
		}
		a := r.Requests[1].Answers
		if len(a) != 2 || a[0].Text != "antwoord 1" || a[1].Text != "antwoord 2" || a[0].Author != "Sanne" {
			t.Errorf("answers=%+v", a)
		}
	})
	t.Run("panel as Panel returns it", func(t *testing.T) {
		want, err := db.Panel(ctx, noord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Panel) != len(want) || r.Panel[0].Value != 6 || !r.Panel[0].IsSet || r.Panel[1].IsSet {
			t.Errorf("panel=%+v", r.Panel)
		}
	})
	t.Run("unknown collective", func(t *testing.T) {
		_, err := db.CollectiveReport(ctx, 9999)
		wantCode(t, err, commands.ENOTFOUND)
	})
}
