package storage

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestHelpRequests(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	staff2 := commands.UserRef{Platform: commands.Discord, ID: "9002", Name: "Joost"}

	ask := func(t *testing.T, c *commands.Collective, q string) *commands.HelpRequest {
		t.Helper()
		r := &commands.HelpRequest{CollectiveID: c.ID, Expertise: "vastgoed", Question: q}
		if err := db.CreateRequest(ctx, "", r, ana, 0); err != nil {
			t.Fatal(err)
		}
		return r
	}

	t.Run("numbered across collectives", func(t *testing.T) {
		for i, c := range []*commands.Collective{noord, zuid, noord} {
			r := ask(t, c, "vraag")
			if r.Number != int64(i+1) || r.Status != commands.StatusOpen || r.AskedBy != "Ana" ||
				r.CollectiveName != c.Name || !r.CreatedAt.Equal(t0) {
				t.Fatalf("request %d: %+v", i, r)
			}
		}
		err := db.CreateRequest(ctx, "", &commands.HelpRequest{CollectiveID: 999, Expertise: "zorg", Question: "?"}, ana, 0)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("state machine", func(t *testing.T) {
		n := ask(t, noord, "Hoe kopen we het pand?").Number

		clk.Add(time.Minute)
		r, err := db.ClaimRequest(ctx, "", n, sanne)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != commands.StatusClaimed || r.ClaimedBy != "Sanne" || !r.ClaimedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("claimed: %+v", r)
		}
		if _, err := db.ClaimRequest(ctx, "", n, sanne); err != nil {
			t.Fatalf("claiming twice: %v", err)
		}
		_, err = db.ClaimRequest(ctx, "", n, staff2)
		wantCode(t, err, commands.ECONFLICT)

		clk.Add(time.Minute)
		r, err = db.AnswerRequest(ctx, "", n, "Bel de gemeente.", staff2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != commands.StatusAnswered || r.ClaimedBy != "Sanne" || len(r.Answers) != 1 ||
			r.Answers[0].Author != "Joost" || r.Answers[0].Text != "Bel de gemeente." || !r.AnsweredAt.Equal(t0.Add(2*time.Minute)) {
			t.Fatalf("answered: %+v", r)
		}
		r, err = db.AnswerRequest(ctx, "", n, "En de bank.", sanne)
		if err != nil || len(r.Answers) != 2 || r.Answers[1].Text != "En de bank." {
			t.Fatalf("second answer: %+v, %v", r, err)
		}

		err = db.SetFeedback(ctx, "", noord.ID, n, "ja", ana)
		wantCode(t, err, commands.ECONFLICT) // not resolved yet

		clk.Add(time.Minute)
		r, err = db.ResolveRequest(ctx, "", n, sanne)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != commands.StatusResolved || !r.ResolvedAt.Equal(t0.Add(3*time.Minute)) {
			t.Fatalf("resolved: %+v", r)
		}
		_, err = db.ResolveRequest(ctx, "", n, sanne)
		wantCode(t, err, commands.ECONFLICT)
		_, err = db.ClaimRequest(ctx, "", n, sanne)
		wantCode(t, err, commands.ECONFLICT)
		_, err = db.AnswerRequest(ctx, "", n, "te laat", sanne)
		wantCode(t, err, commands.ECONFLICT)

		wantCode(t, db.SetFeedback(ctx, "", zuid.ID, n, "ja", ana), commands.ENOTFOUND)
		wantCode(t, db.SetFeedback(ctx, "", noord.ID, n, "misschien", ana), commands.EINVALID)
		if err := db.SetFeedback(ctx, "", noord.ID, n, "ja", ana); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.SetFeedback(ctx, "", noord.ID, n, "nee", ana), commands.ECONFLICT)
		if r, _ := db.Request(ctx, n); r.Feedback != "ja" || len(r.Answers) != 2 {
			t.Fatalf("after feedback: %+v", r)
		}
	})

	t.Run("answer claims an unclaimed request", func(t *testing.T) {
		n := ask(t, zuid, "Wie helpt met de statuten?").Number
		r, err := db.AnswerRequest(ctx, "", n, "Ik.", staff2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != commands.StatusAnswered || r.ClaimedBy != "Joost" || r.ClaimedAt.IsZero() {
			t.Fatalf("%+v", r)
		}
		if _, err := db.ClaimRequest(ctx, "", n, staff2); err != nil {
			t.Fatalf("claimer claims again: %v", err)
		}
		if r, _ := db.Request(ctx, n); r.Status != commands.StatusAnswered {
			t.Fatalf("claiming an answered request changed its status to %q", r.Status)
		}
		_, err = db.ClaimRequest(ctx, "", n, sanne)
		wantCode(t, err, commands.ECONFLICT)
	})

	t.Run("resolve an open request", func(t *testing.T) {
		n := ask(t, zuid, "Nog iets").Number
		if r, err := db.ResolveRequest(ctx, "", n, sanne); err != nil || r.Status != commands.StatusResolved {
			t.Fatalf("%+v, %v", r, err)
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := db.Request(ctx, 999)
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.ClaimRequest(ctx, "", 999, sanne)
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.AnswerRequest(ctx, "", 999, "x", sanne)
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.ResolveRequest(ctx, "", 999, sanne)
		wantCode(t, err, commands.ENOTFOUND)
		wantCode(t, db.SetFeedback(ctx, "", noord.ID, 999, "ja", ana), commands.ENOTFOUND)
	})

	t.Run("lists", func(t *testing.T) {
		list, err := db.Requests(ctx, noord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(list); !slices.Equal(got, []int64{4, 3, 1}) {
			t.Fatalf("Noord requests %v, want newest first [4 3 1]", got)
		}
		open, err := db.OpenRequests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(open); !slices.Equal(got, []int64{1, 2, 3, 5}) {
			t.Fatalf("open requests %v, want oldest first [1 2 3 5]", got)
		}
	})
}

func numbers(list []commands.HelpRequest) []int64 {
	var n []int64
	for _, r := range list {
		n = append(n, r.Number)
	}
	return n
}

// The cap on waiting help requests is counted in the insert's transaction:
// members asking at the same instant cannot pass it together (issue 16,
// item 10, left open by the handler's check before the write). Answered
// and resolved requests do not count, and other collectives are not
// affected.
func TestWaitingCapIsAtomic(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	const limit = 5
	askWithin := func(c *commands.Collective, limit int) error {
		return db.CreateRequest(ctx, "", &commands.HelpRequest{CollectiveID: c.ID, Expertise: "zorg", Question: "?"}, ana, limit)
	}
	ask := func(c *commands.Collective) error { return askWithin(c, limit) }
	// One answered and one resolved request, then limit-1 waiting ones
	// (one of them claimed: still waiting for an answer).
	for range limit + 1 {
		if err := askWithin(noord, 0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AnswerRequest(ctx, "", 1, "antwoord", sanne); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ResolveRequest(ctx, "", 2, sanne); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimRequest(ctx, "", 3, sanne); err != nil {
		t.Fatal(err)
	}

	const askers = 8
	var wg sync.WaitGroup
	errs := make(chan error, askers)
	for range askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- ask(noord)
		}()
	}
	wg.Wait()
	close(errs)
	var stored, refused int
	for err := range errs {
		switch {
		case err == nil:
			stored++
		case errors.Is(err, commands.ErrTooManyWaiting) && commands.ErrorCode(err) == commands.ECONFLICT:
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if stored != 1 || refused != askers-1 {
		t.Errorf("%d asking at once with %d of %d places taken: %d stored, %d refused; want 1 and %d",
			askers, limit-1, limit, stored, refused, askers-1)
	}
	var waiting int
	if err := db.db.QueryRow(`SELECT COUNT(*) FROM help_requests WHERE collective_id = ? AND status IN ('open', 'claimed')`, noord.ID).Scan(&waiting); err != nil {
		t.Fatal(err)
	}
	if waiting != limit {
		t.Errorf("%d requests waiting, want exactly the limit %d", waiting, limit)
	}
	if err := ask(zuid); err != nil {
		t.Errorf("another collective is refused: %v", err)
	}
	if err := askWithin(noord, 0); err != nil {
		t.Errorf("no limit (0) refused: %v", err)
	}
}
