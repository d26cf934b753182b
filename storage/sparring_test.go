package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestSparSuggestions(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	oost := mustCollective(t, db, "Oost", "OOOO2345")
	west := mustCollective(t, db, "West", "WWWW2345")
	mustCollective(t, db, "Stil", "SSSS2345")
	entry := func(c *commands.Collective, text string, milestone bool) {
		t.Helper()
		e := &commands.Entry{CollectiveID: c.ID, Text: text, Themes: commands.Themes(text), Milestone: milestone}
		if err := db.AddEntry(ctx, "", e, ana); err != nil {
			t.Fatal(err)
		}
	}
	// Zuid: two entries and a milestone (4); Oost: one shared lesson (3)
	// plus an unshared one that does not count; West: three entries (3),
	// but quiet for two months, so Oost (active) comes first.
	entry(west, "Zonnepanelen #energie", false)
	entry(west, "Subsidie #energie", false)
	entry(west, "Offerte #Energie", false)
	clk.Add(60 * 24 * time.Hour)
	entry(zuid, "Gesprek met netbeheerder #energie", false)
	entry(zuid, "Buurtavond #energie #zorg", false)
	entry(zuid, "Coöperatie opgericht #energie", true)
	l := addLesson(t, db, oost.ID, "Begin klein #energie", bram)
	if _, err := db.SetLessonSharing(ctx, "", oost.ID, l.Number, commands.SharingNetwork, bram); err != nil {
		t.Fatal(err)
	}
	addLesson(t, db, oost.ID, "Niet gedeeld #energie", bram)
	entry(noord, "Wij zelf #energie", true) // the asker never suggests itself

	got, err := db.SparSuggestions(ctx, noord.ID, "#Energie", 3)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.Collective.Name)
	}
	if want := []string{"Zuid", "Oost", "West"}; !slices.Equal(names, want) {
		t.Fatalf("suggestions %v, want %v", names, want)
	}
	if z := got[0]; z.Entries != 2 || z.Milestones != 1 || z.Lessons != 0 || z.LastActivity.IsZero() {
		t.Fatalf("zuid evidence %+v", z)
	}
	if o := got[1]; o.Entries != 0 || o.Lessons != 1 {
		t.Fatalf("oost evidence %+v", o)
	}
	if got, _ := db.SparSuggestions(ctx, noord.ID, "zorg", 1); len(got) != 1 || got[0].Collective.ID != zuid.ID {
		t.Fatalf("zorg suggestions %+v", got)
	}
	if got, _ := db.SparSuggestions(ctx, noord.ID, "onbekend", 3); len(got) != 0 {
		t.Fatalf("unknown theme suggested %+v", got)
	}
}

func TestInvitations(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	oost := mustCollective(t, db, "Oost", "OOOO2345")

	invite := func(from, to int64) (*commands.Invitation, error) {
		inv := &commands.Invitation{FromID: from, ToID: to, Theme: "Energie"}
		return inv, db.CreateInvitation(ctx, "", inv, ana, "@ana")
	}

	inv, err := invite(noord.ID, zuid.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.ID == 0 || inv.Status != commands.InvitationOpen || inv.FromName != "Noord" || inv.ToName != "Zuid" ||
		inv.Theme != "energie" || inv.AskedBy != "Ana" || inv.AskedByContact != "@ana" ||
		!inv.ExpiresAt.Equal(t0.Add(commands.InvitationTTL)) {
		t.Fatalf("invitation %+v", inv)
	}

	t.Run("refused: itself, unknown, a second open one either way", func(t *testing.T) {
		_, err := invite(noord.ID, noord.ID)
		wantCode(t, err, commands.EINVALID)
		_, err = invite(noord.ID, 999)
		wantCode(t, err, commands.ENOTFOUND)
		for _, pair := range [][2]int64{{noord.ID, zuid.ID}, {zuid.ID, noord.ID}} {
			_, err = invite(pair[0], pair[1])
			wantCode(t, err, commands.ECONFLICT)
			var ie *commands.InvitationError
			if !errors.As(err, &ie) || ie.Invitation.ID != inv.ID {
				t.Fatalf("conflict %v does not name the open invitation", err)
			}
		}
		if _, err := invite(noord.ID, oost.ID); err != nil {
			t.Fatalf("another pair: %v", err)
		}
	})

	t.Run("only the invited collective answers, once", func(t *testing.T) {
		_, err := db.AnswerInvitation(ctx, "", inv.ID, noord.ID, true, ana, "@ana")
		wantCode(t, err, commands.ENOTFOUND)
		clk.Add(time.Hour)
		got, err := db.AnswerInvitation(ctx, "", inv.ID, zuid.ID, true, sanne, "<@9001>")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != commands.InvitationAccepted || got.AnsweredBy != "Sanne" || got.AnsweredByContact != "<@9001>" ||
			!got.AnsweredAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("accepted %+v", got)
		}
		_, err = db.AnswerInvitation(ctx, "", inv.ID, zuid.ID, false, sanne, "")
		wantCode(t, err, commands.ECONFLICT)
		// Answered, the pair may invite again.
		again, err := invite(zuid.ID, noord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerInvitation(ctx, "", again.ID, noord.ID, false, bram, ""); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("expires after 14 days", func(t *testing.T) {
		open, err := db.Invitation(ctx, 2) // Noord → Oost
		if err != nil || open.Status != commands.InvitationOpen {
			t.Fatalf("invitation 2: %+v, %v", open, err)
		}
		clk.Add(commands.InvitationTTL)
		if got, _ := db.Invitation(ctx, 2); got.Status != commands.InvitationExpired {
			t.Fatalf("after 14 days: %s", got.Status)
		}
		_, err = db.AnswerInvitation(ctx, "", 2, oost.ID, true, bram, "")
		wantCode(t, err, commands.ECONFLICT)
		if _, err := invite(oost.ID, noord.ID); err != nil {
			t.Fatalf("invite after expiry: %v", err)
		}
	})

	t.Run("check-backs due once claimed are not due again; talked", func(t *testing.T) {
		due, err := db.CheckbacksDue(ctx, db.now().Add(-commands.CheckbackAfter+2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 1 || due[0].ID != inv.ID {
			t.Fatalf("due %+v", due)
		}
		if _, _, err := db.ClaimSend(ctx, commands.CheckbackKey(inv.ID), commands.SendCheckback, db.now()); err != nil {
			t.Fatal(err)
		}
		if due, _ := db.CheckbacksDue(ctx, db.now()); len(due) != 0 {
			t.Fatalf("due after claim %+v", due)
		}
		_, err = db.SetTalked(ctx, "", inv.ID, oost.ID, commands.TalkedYes, bram)
		wantCode(t, err, commands.ENOTFOUND)
		if _, err := db.SetTalked(ctx, "", inv.ID, zuid.ID, commands.TalkedNo, sanne); err != nil {
			t.Fatal(err)
		}
		got, err := db.SetTalked(ctx, "", inv.ID, noord.ID, commands.TalkedYes, ana)
		if err != nil || got.Talked != commands.TalkedYes {
			t.Fatalf("talked %+v, %v", got, err)
		}
		n, err := db.NetworkCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if *n != (commands.NetworkCounts{Invitations: 4, Introductions: 1, Conversations: 1}) {
			t.Fatalf("counts %+v", n)
		}
	})
}

// An introduction's checkback_claimed follows the claim of its check-back
// (a trigger on scheduler_sends), and 081_checkbacks_pending fills it in
// for check-backs claimed before it; CheckbacksDue returns the others.
func TestCheckbackClaimedFollowsTheClaim(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	var intros []int64
	for i, code := range []string{"ZZZZ2345", "EEEE2345", "WWWW2345"} {
		other := mustCollective(t, db, fmt.Sprint("Ander ", i), code)
		inv := &commands.Invitation{FromID: noord.ID, ToID: other.ID, Theme: "energie"}
		if err := db.CreateInvitation(ctx, "", inv, ana, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerInvitation(ctx, "", inv.ID, other.ID, true, sanne, ""); err != nil {
			t.Fatal(err)
		}
		intros = append(intros, inv.ID)
	}
	claimed := func(id int64) (c bool) {
		t.Helper()
		if err := db.db.QueryRowContext(ctx, `SELECT checkback_claimed FROM spar_invitations WHERE id = ?`, id).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	claim := func(id int64) {
		t.Helper()
		if _, _, err := db.ClaimSend(ctx, commands.CheckbackKey(id), commands.SendCheckback, clk.now); err != nil {
			t.Fatal(err)
		}
	}
	claim(intros[0])
	// Another kind's key with the same number is not this check-back.
	if _, _, err := db.ClaimSend(ctx, fmt.Sprintf("%s:%d", commands.SendAlertUnclaimed, intros[2]), commands.SendAlertUnclaimed, clk.now); err != nil {
		t.Fatal(err)
	}
	if !claimed(intros[0]) || claimed(intros[1]) || claimed(intros[2]) {
		t.Fatalf("claimed %v %v %v, want only the first", claimed(intros[0]), claimed(intros[1]), claimed(intros[2]))
	}
	// Back to before 081, where the second's check-back is claimed too.
	for _, q := range []string{
		`DROP TRIGGER scheduler_sends_checkback`, `DROP INDEX spar_invitations_checkback_pending`,
		`ALTER TABLE spar_invitations DROP COLUMN checkback_claimed`,
		`DELETE FROM migrations WHERE name = 'migrations/081_checkbacks_pending.sql'`,
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	claim(intros[1])
	db = reopen(t, db, path, clk)
	if !claimed(intros[0]) || !claimed(intros[1]) || claimed(intros[2]) {
		t.Errorf("after the migration claimed %v %v %v, want the first two", claimed(intros[0]), claimed(intros[1]), claimed(intros[2]))
	}
	due, err := db.CheckbacksDue(ctx, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != intros[2] {
		t.Errorf("due %+v, want only the third introduction", due)
	}
}
