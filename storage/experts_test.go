package storage

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

var (
	jan     = commands.UserRef{Platform: commands.Telegram, ID: "301", Name: "Jan T."}
	eva     = commands.UserRef{Platform: commands.Discord, ID: "9301", Name: "eva_d"}
	janChat = commands.ChatRef{Platform: commands.Telegram, ID: "301"}
	evaDM   = commands.ChatRef{Platform: commands.Discord, ID: "7301"}
)

// mustExpert invites an expert (by sanne, staff) and redeems the invite as
// user in chat; a zero user leaves the invite unused.
func mustExpert(t testing.TB, db *DB, name, code string, expertises []string, user commands.UserRef, chat commands.ChatRef) *commands.Expert {
	t.Helper()
	ctx := context.Background()
	e := &commands.Expert{Name: name, Expertises: expertises}
	if err := db.CreateExpert(ctx, "", e, code, db.now().Add(commands.InviteTTL), sanne); err != nil {
		t.Fatalf("CreateExpert(%q): %v", name, err)
	}
	if user.ID == "" {
		return e
	}
	e, err := db.RedeemInvite(ctx, "", code, chat, user)
	if err != nil {
		t.Fatalf("RedeemInvite(%q): %v", code, err)
	}
	return e
}

func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

func TestExpertInvite(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	mustCollective(t, db, "Noord", "NNNN2345")

	e := &commands.Expert{Name: "  Jan  ", Expertises: []string{"zorg", "juridisch", "zorg"}}
	if err := db.CreateExpert(ctx, "ev-1", e, "jjjj2345", t0.Add(commands.InviteTTL), sanne); err != nil {
		t.Fatal(err)
	}
	if e.ID == 0 || e.Name != "Jan" || !slices.Equal(e.Expertises, []string{"juridisch", "zorg"}) || !e.Active ||
		e.Onboarded() || !e.CreatedAt.Equal(t0) {
		t.Fatalf("created %+v", e)
	}
	t.Run("bad invites", func(t *testing.T) {
		wantErr(t, db.CreateExpert(ctx, "", &commands.Expert{Name: "jan", Expertises: []string{"zorg"}}, "KKKK2345", t0, sanne),
			commands.ErrExpertNameTaken)
		wantErr(t, db.CreateExpert(ctx, "", &commands.Expert{Name: "Piet", Expertises: []string{"zorg"}}, "JJJJ2345", t0, sanne),
			commands.ErrCodeTaken)
		// A collective's link code is not an invite code too.
		wantErr(t, db.CreateExpert(ctx, "", &commands.Expert{Name: "Piet", Expertises: []string{"zorg"}}, "NNNN2345", t0, sanne),
			commands.ErrCodeTaken)
		wantCode(t, db.CreateExpert(ctx, "", &commands.Expert{Name: "Piet"}, "PPPP2345", t0, sanne), commands.EINVALID)
		if got := column(t, db, `SELECT name FROM experts ORDER BY id`); !slices.Equal(got, []string{"Jan"}) {
			t.Fatalf("experts after refusals: %v", got)
		}
	})
	t.Run("redeem", func(t *testing.T) {
		_, err := db.RedeemInvite(ctx, "", "XXXX2345", janChat, jan)
		wantErr(t, err, commands.ErrInviteUnknown)
		clk.Add(time.Hour)
		got, err := db.RedeemInvite(ctx, "ev-2", "JJJJ2345", janChat, jan)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != e.ID || got.Chat != janChat || got.User.ID != jan.ID || got.User.Name != "Jan T." ||
			!got.JoinedAt.Equal(t0.Add(time.Hour)) || !got.Onboarded() {
			t.Fatalf("redeemed %+v", got)
		}
		_, err = db.RedeemInvite(ctx, "", "jjjj2345", evaDM, eva)
		wantErr(t, err, commands.ErrInviteUsed)
		// The same event again is a duplicate, not a second use.
		_, err = db.RedeemInvite(ctx, "ev-2", "JJJJ2345", janChat, jan)
		wantErr(t, err, commands.ErrDuplicate)
		for _, find := range []func() (*commands.Expert, error){
			func() (*commands.Expert, error) { return db.ExpertByUser(ctx, jan) },
			func() (*commands.Expert, error) { return db.ExpertByChat(ctx, janChat) },
			func() (*commands.Expert, error) { return db.ExpertByName(ctx, "JAN") },
		} {
			if got, err := find(); err != nil || got.ID != e.ID {
				t.Fatalf("find: %+v %v", got, err)
			}
		}
		_, err = db.ExpertByUser(ctx, eva)
		wantErr(t, err, commands.ErrExpertNotFound)
	})
	t.Run("a person is one expert", func(t *testing.T) {
		mustExpert(t, db, "Jan de Tweede", "J2J2J2J2", []string{"werk"}, commands.UserRef{}, commands.ChatRef{})
		_, err := db.RedeemInvite(ctx, "", "J2J2J2J2", janChat, jan)
		wantErr(t, err, commands.ErrAlreadyExpert)
	})
	t.Run("expired", func(t *testing.T) {
		mustExpert(t, db, "Laat", "LLLL2345", []string{"werk"}, commands.UserRef{}, commands.ChatRef{})
		clk.Add(commands.InviteTTL)
		_, err := db.RedeemInvite(ctx, "", "LLLL2345", evaDM, eva)
		wantErr(t, err, commands.ErrInviteExpired)
	})
}

func TestExpertRouting(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	jr := mustExpert(t, db, "Jan", "JJJJ2345", []string{"juridisch"}, jan, janChat)
	en := mustExpert(t, db, "Eva", "EEEE2345", []string{"energie", "juridisch"}, eva, evaDM)
	mustExpert(t, db, "Nog niet", "NNNN6789", []string{"juridisch"}, commands.UserRef{}, commands.ChatRef{})

	names := func(list []commands.Expert) []string {
		var out []string
		for _, e := range list {
			out = append(out, e.Name)
		}
		return out
	}
	available := func(expertise string) []string {
		t.Helper()
		list, err := db.AvailableExperts(ctx, expertise, clk.now)
		if err != nil {
			t.Fatal(err)
		}
		return names(list)
	}
	if got := available("juridisch"); !slices.Equal(got, []string{"Eva", "Jan"}) {
		t.Fatalf("juridisch: %v", got)
	}
	if got := available("energie"); !slices.Equal(got, []string{"Eva"}) {
		t.Fatalf("energie: %v", got)
	}
	if got := available("zorg"); len(got) != 0 {
		t.Fatalf("zorg: %v", got)
	}

	t.Run("away", func(t *testing.T) {
		until := t0.Add(48 * time.Hour)
		if err := db.SetExpertAway(ctx, "", en.ID, until, eva); err != nil {
			t.Fatal(err)
		}
		if got := available("juridisch"); !slices.Equal(got, []string{"Jan"}) {
			t.Fatalf("Eva away: %v", got)
		}
		clk.Add(48 * time.Hour)
		if got := available("juridisch"); !slices.Equal(got, []string{"Eva", "Jan"}) {
			t.Fatalf("Eva back on the date: %v", got)
		}
		if err := db.SetExpertAway(ctx, "", en.ID, clk.now.Add(time.Hour), eva); err != nil {
			t.Fatal(err)
		}
		if err := db.SetExpertAway(ctx, "", en.ID, time.Time{}, eva); err != nil {
			t.Fatal(err)
		}
		if got := available("juridisch"); !slices.Equal(got, []string{"Eva", "Jan"}) {
			t.Fatalf("away stopped: %v", got)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		if changed, err := db.SetExpertReachable(ctx, jr.ID, false); err != nil || !changed {
			t.Fatalf("first mark: %v %v", changed, err)
		}
		if changed, err := db.SetExpertReachable(ctx, jr.ID, false); err != nil || changed {
			t.Fatalf("second mark: %v %v", changed, err)
		}
		if got := available("juridisch"); !slices.Equal(got, []string{"Eva"}) {
			t.Fatalf("Jan unreachable: %v", got)
		}
		if changed, err := db.SetExpertReachable(ctx, jr.ID, true); err != nil || !changed {
			t.Fatalf("reachable again: %v %v", changed, err)
		}
	})

	r := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "juridisch", Question: "Mag de verhuurder dit?"}
	if err := db.CreateRequest(ctx, "", r, ana, 0); err != nil {
		t.Fatal(err)
	}
	n := r.Number
	t.Run("only offered experts work it", func(t *testing.T) {
		_, err := db.ClaimAsExpert(ctx, "", n, jr.ID, jan)
		wantErr(t, err, commands.ErrNotOffered)
		_, err = db.AnswerAsExpert(ctx, "", n, jr.ID, "nee", jan)
		wantErr(t, err, commands.ErrNotOffered)
		if got := column(t, db, `SELECT COUNT(*) FROM help_answers`); got[0] != "0" {
			t.Fatalf("answers stored on a refusal: %v", got)
		}
		if err := db.OfferRequest(ctx, "", n, []int64{jr.ID, en.ID}, false, ana); err != nil {
			t.Fatal(err)
		}
		if err := db.OfferRequest(ctx, "", n, []int64{en.ID}, true, sanne); err != nil {
			t.Fatal(err)
		}
		offered, err := db.OfferedExperts(ctx, n)
		if err != nil || !slices.Equal(names(offered), []string{"Eva", "Jan"}) {
			t.Fatalf("offered: %v %v", names(offered), err)
		}
	})
	t.Run("first claim wins", func(t *testing.T) {
		clk.Add(time.Minute)
		got, err := db.ClaimAsExpert(ctx, "", n, jr.ID, jan)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != commands.StatusClaimed || got.ClaimedBy != "Jan" || got.ClaimedByExpert != jr.ID {
			t.Fatalf("claimed %+v", got)
		}
		if _, err := db.ClaimAsExpert(ctx, "", n, jr.ID, jan); err != nil {
			t.Fatalf("claiming again: %v", err)
		}
		_, err = db.ClaimAsExpert(ctx, "", n, en.ID, eva)
		wantErr(t, err, commands.ErrTakenByOther)
		_, err = db.ClaimRequest(ctx, "", n, sanne)
		wantErr(t, err, commands.ErrTakenByOther)
		_, err = db.ResolveAsExpert(ctx, "", n, en.ID, eva)
		wantErr(t, err, commands.ErrTakenByOther)
	})
	t.Run("answer and resolve", func(t *testing.T) {
		clk.Add(2 * time.Hour)
		got, err := db.AnswerAsExpert(ctx, "", n, jr.ID, "Nee, dat mag niet.", jan)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != commands.StatusAnswered || len(got.Answers) != 1 || got.Answers[0].Author != "Jan" ||
			got.Answers[0].ExpertID != jr.ID {
			t.Fatalf("answered %+v", got)
		}
		if got, err = db.ResolveAsExpert(ctx, "", n, jr.ID, jan); err != nil || got.Status != commands.StatusResolved {
			t.Fatalf("resolved %+v %v", got, err)
		}
		_, err = db.AnswerAsExpert(ctx, "", n, jr.ID, "nog iets", jan)
		wantErr(t, err, commands.ErrResolved)
		wantErr(t, db.OfferRequest(ctx, "", n, []int64{jr.ID}, true, sanne), commands.ErrResolved)
		if err := db.SetFeedback(ctx, "", noord.ID, n, "ja", ana); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("figures", func(t *testing.T) {
		// A second request Jan answers after 4 hours: the median of 2h01
		// (from the offer) and 4h is their mean.
		r2 := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "juridisch", Question: "En dit?"}
		if err := db.CreateRequest(ctx, "", r2, ana, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.OfferRequest(ctx, "", r2.Number, []int64{jr.ID}, false, ana); err != nil {
			t.Fatal(err)
		}
		clk.Add(4 * time.Hour)
		if _, err := db.AnswerAsExpert(ctx, "", r2.Number, jr.ID, "Ook niet.", jan); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerAsExpert(ctx, "", r2.Number, jr.ID, "Echt niet.", jan); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ResolveRequest(ctx, "", r2.Number, sanne); err != nil {
			t.Fatal(err)
		}
		if err := db.SetFeedback(ctx, "", noord.ID, r2.Number, "nee", ana); err != nil {
			t.Fatal(err)
		}
		list, err := db.Experts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 || list[0].Name != "Eva" || list[1].Name != "Jan" || list[2].Name != "Nog niet" {
			t.Fatalf("experts: %+v", list)
		}
		j := list[1]
		want := (2*time.Hour + time.Minute + 4*time.Hour) / 2
		if j.Offered != 2 || j.Taken != 2 || j.Answered != 2 || j.MedianFirstAnswer != want || j.ThumbsUp != 1 || j.ThumbsDown != 1 {
			t.Fatalf("Jan's figures: %+v, want median %v", j, want)
		}
		if e := list[0]; e.Offered != 1 || e.Taken != 0 || e.Answered != 0 || e.MedianFirstAnswer != 0 || e.ThumbsUp != 0 {
			t.Fatalf("Eva's figures: %+v", e)
		}
		offers, err := db.ExpertOffers(ctx, jr.ID)
		if err != nil || len(offers) != 2 || offers[0].Request.Number != r2.Number || !offers[0].Taken ||
			offers[1].Request.Question != "Mag de verhuurder dit?" || offers[1].Request.AskedBy != "" {
			t.Fatalf("Jan's offers: %+v %v", offers, err)
		}
		if offers, err := db.ExpertOffers(ctx, en.ID); err != nil || len(offers) != 1 || !offers[0].Assigned || offers[0].Taken {
			t.Fatalf("Eva's offers: %+v %v", offers, err)
		}
	})
	t.Run("end the role", func(t *testing.T) {
		got, err := db.EndExpert(ctx, "", en.ID, sanne)
		if err != nil || got.Active || got.EndedAt.IsZero() {
			t.Fatalf("ended %+v %v", got, err)
		}
		_, err = db.EndExpert(ctx, "", en.ID, sanne)
		wantErr(t, err, commands.ErrExpertNotFound)
		_, err = db.ExpertByUser(ctx, eva)
		wantErr(t, err, commands.ErrExpertNotFound)
		if got := available("energie"); len(got) != 0 {
			t.Fatalf("ended expert still available: %v", got)
		}
		// The name is free again for a new invite.
		mustExpert(t, db, "Eva", "EEEE6789", []string{"energie"}, commands.UserRef{}, commands.ChatRef{})
	})
	t.Run("forget an expert", func(t *testing.T) {
		d, err := db.ExpertData(ctx, jan)
		if err != nil || d == nil || d.Expert.Name != "Jan" || len(d.Offers) != 2 || len(d.Answered) != 2 {
			t.Fatalf("expert data: %+v %v", d, err)
		}
		if err := db.ForgetPerson(ctx, "", jan); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`SELECT name FROM experts WHERE id = ?`,
			`SELECT DISTINCT claimed_by_name FROM help_requests WHERE claimed_by_expert_id = ?`,
			`SELECT DISTINCT author_name FROM help_answers WHERE expert_id = ?`,
		} {
			if got := column(t, db, q, jr.ID); !slices.Equal(got, []string{commands.ErasedAuthor}) {
				t.Fatalf("%s: %v", q, got)
			}
		}
		if got := column(t, db, `SELECT platform || chat_id || active FROM experts WHERE id = ?`, jr.ID); got[0] != "0" {
			t.Fatalf("private chat kept: %v", got)
		}
		if got := column(t, db, `SELECT COUNT(*) FROM experts WHERE name = 'Jan' OR invited_by_name = 'Jan T.'`); got[0] != "0" {
			t.Fatalf("name left: %v", got)
		}
		if d, err := db.ExpertData(ctx, jan); err != nil || d != nil {
			t.Fatalf("expert data after forgetting: %+v %v", d, err)
		}
		// The invite name of an erased inviter goes too.
		if err := db.ForgetPerson(ctx, "", sanne); err != nil {
			t.Fatal(err)
		}
		if got := column(t, db, `SELECT DISTINCT invited_by_name FROM experts`); !slices.Equal(got, []string{commands.ErasedAuthor}) {
			t.Fatalf("inviter names: %v", got)
		}
	})
}

// Two claims of one request racing, from two platforms and through two
// database handles on one file (two processes): exactly one wins, the
// other is told who has it, and the row names the winner. Run with -race.
func TestExpertClaimRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "race.db")
	var handles [2]*DB
	for i := range handles {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		handles[i] = db
	}
	db := handles[0]
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	jr := mustExpert(t, db, "Jan", "JJJJ2345", []string{"juridisch"}, jan, janChat)
	en := mustExpert(t, db, "Eva", "EEEE2345", []string{"juridisch"}, eva, evaDM)

	const rounds = 20
	for i := range rounds {
		r := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "juridisch", Question: "Wie?"}
		if err := db.CreateRequest(ctx, "", r, ana, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.OfferRequest(ctx, "", r.Number, []int64{jr.ID, en.ID}, false, ana); err != nil {
			t.Fatal(err)
		}
		// Every third round a staff member on Discord joins the race.
		type claimer struct {
			db  *DB
			run func(db *DB) (*commands.HelpRequest, error)
		}
		claimers := []claimer{
			{handles[0], func(db *DB) (*commands.HelpRequest, error) {
				return db.ClaimAsExpert(ctx, "", r.Number, jr.ID, jan)
			}},
			{handles[1], func(db *DB) (*commands.HelpRequest, error) {
				return db.ClaimAsExpert(ctx, "", r.Number, en.ID, eva)
			}},
		}
		if i%3 == 0 {
			claimers = append(claimers, claimer{handles[1], func(db *DB) (*commands.HelpRequest, error) {
				return db.ClaimRequest(ctx, "", r.Number, sanne)
			}})
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make([]error, len(claimers))
		winners := make([]*commands.HelpRequest, len(claimers))
		for j, c := range claimers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				winners[j], results[j] = c.run(c.db)
			}()
		}
		close(start)
		wg.Wait()
		won := -1
		for j, err := range results {
			switch {
			case err == nil:
				if won >= 0 {
					t.Fatalf("round %d: claimers %d and %d both won", i, won, j)
				}
				won = j
			case !errors.Is(err, commands.ErrTakenByOther):
				t.Fatalf("round %d: claimer %d: %v", i, j, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: nobody won", i)
		}
		stored, err := handles[1].Request(ctx, r.Number)
		if err != nil {
			t.Fatal(err)
		}
		if stored.ClaimedBy != winners[won].ClaimedBy || stored.ClaimedByExpert != winners[won].ClaimedByExpert {
			t.Fatalf("round %d: stored claim %q/%d, winner %q/%d", i, stored.ClaimedBy, stored.ClaimedByExpert,
				winners[won].ClaimedBy, winners[won].ClaimedByExpert)
		}
	}
}
