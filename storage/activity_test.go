package storage

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// lastActivity is the collective's last activity as Collectives reports it.
func lastActivity(t *testing.T, db *DB, id int64) time.Time {
	t.Helper()
	list, err := db.Collectives(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id {
			return s.LastActivity
		}
	}
	t.Fatalf("collective %d not listed", id)
	return time.Time{}
}

// Every kind of activity moves a collective's last activity forward (the
// triggers of 070_activity), and only its own.
func TestLastActivityEverySource(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	if got := lastActivity(t, db, noord.ID); !got.IsZero() {
		t.Fatalf("new collective active at %v, want never", got)
	}
	panel, err := db.Panel(ctx, noord.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := db.ClaimRound(ctx, noord.ID, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRoundPosted(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	req := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "?"}
	steps := []struct {
		name string
		do   func() error
	}{
		{"progress", func() error {
			return db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "x"}, ana)
		}},
		{"slider move", func() error {
			_, err := db.SetSlider(ctx, "", noord.ID, panel[0].ID, 6, "", ana)
			return err
		}},
		{"check-in answer", func() error { return db.AddCheckinAnswer(ctx, "", r.ID, "goed", ana) }},
		{"help request", func() error { return db.CreateRequest(ctx, "", req, ana, 0) }},
		{"claim", func() error { _, err := db.ClaimRequest(ctx, "", req.Number, sanne); return err }},
		{"answer", func() error { _, err := db.AnswerRequest(ctx, "", req.Number, "bel ze", sanne); return err }},
		{"resolve", func() error { _, err := db.ResolveRequest(ctx, "", req.Number, sanne); return err }},
	}
	for _, s := range steps {
		at := clk.Add(time.Hour)
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := lastActivity(t, db, noord.ID); !got.Equal(at) {
			t.Errorf("after the %s: last activity %v, want %v", s.name, got, at)
		}
	}
	if got := lastActivity(t, db, zuid.ID); !got.IsZero() {
		t.Errorf("Zuid active at %v, want never: another collective's activity", got)
	}
	// A record written with an earlier time (a clock set back) does not
	// take the time back.
	latest := clk.now
	clk.Add(-48 * time.Hour)
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "oud"}, ana); err != nil {
		t.Fatal(err)
	}
	if got := lastActivity(t, db, noord.ID); !got.Equal(latest) {
		t.Errorf("after an older entry: last activity %v, want still %v", got, latest)
	}
}

// A database from before 070_activity gets each collective's last activity
// from its history when the migration runs.
func TestLastActivityMigrationBackfills(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	stil := mustCollective(t, db, "Stil", "SSSS2345")
	clk.Add(time.Hour)
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "x"}, ana); err != nil {
		t.Fatal(err)
	}
	r, _, err := db.ClaimRound(ctx, zuid.ID, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRoundPosted(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	answered := clk.Add(2 * time.Hour)
	if err := db.AddCheckinAnswer(ctx, "", r.ID, "goed", ana); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "y"}, ana); err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 070: no column, no triggers, no record
	// (and none of 080, whose index is on the column).
	for _, q := range []string{
		`DROP INDEX collectives_activity`, `DROP INDEX spar_invitations_from`,
		`DELETE FROM migrations WHERE name = 'migrations/080_overview_indexes.sql'`,
		`DROP TRIGGER entries_activity`, `DROP TRIGGER slider_changes_activity`, `DROP TRIGGER help_requests_activity`,
		`DROP TRIGGER help_requests_activity_update`, `DROP TRIGGER checkin_answers_activity`,
		`DROP INDEX checkin_rounds_scheduled`, `ALTER TABLE collectives DROP COLUMN last_activity_at`,
		`DELETE FROM migrations WHERE name = 'migrations/070_activity.sql'`,
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name string
		id   int64
		want time.Time
	}{{"Noord", noord.ID, clk.now}, {"Zuid", zuid.ID, answered}, {"Stil", stil.ID, time.Time{}}} {
		if got := lastActivity(t, db, c.id); !got.Equal(c.want) {
			t.Errorf("%s: last activity %v after the migration, want %v", c.name, got, c.want)
		}
	}
}
