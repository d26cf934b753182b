package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/dbfiles"
)

func TestDeleteCheckinAnswersBefore(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	now := t0
	c := mustCollective(t, db, "Noord", "ABCDEFGH")
	round, _, err := db.ClaimRound(ctx, c.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	for i, age := range []time.Duration{400 * 24 * time.Hour, 366 * 24 * time.Hour, 364 * 24 * time.Hour, 0} {
		clk.now = now.Add(-age)
		if err := db.AddCheckinAnswer(ctx, fmt.Sprint("ev", i), round.ID, "antwoord", sanne); err != nil {
			t.Fatal(err)
		}
	}
	clk.now = now
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
	db, clk := openTest(t)
	start := t0
	for day := range 10 {
		clk.now = start.AddDate(0, 0, day)
		c := &commands.Collective{Name: fmt.Sprint("Noord ", day), Code: fmt.Sprintf("ABCDEFG%c", 'A'+day)}
		if err := db.CreateCollective(ctx, fmt.Sprint("telegram:update:", day), c, ana); err != nil {
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
		seen, err := db.EventSeen(ctx, fmt.Sprint("telegram:update:", day))
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

// A write runs again when another write of its batch fails (commit.go), so
// the count DeleteCheckinAnswersBefore reports must be that of the run
// that committed, not the sum of both runs.
func TestDeleteCheckinAnswersBeforeInAFailingBatch(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	c := mustCollective(t, db, "Noord", "ABCDEFGH")
	round, _, err := db.ClaimRound(ctx, c.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	clk.now = t0.Add(-400 * 24 * time.Hour)
	if err := db.AddCheckinAnswer(ctx, "ev:old", round.ID, "antwoord", sanne); err != nil {
		t.Fatal(err)
	}
	clk.now = t0
	release := holdCommitter(t, db)
	type result struct {
		n   int64
		err error
	}
	deleted := make(chan result, 1)
	go func() {
		n, err := db.DeleteCheckinAnswersBefore(ctx, t0.Add(-365*24*time.Hour))
		deleted <- result{n, err}
	}()
	waitQueued(t, db, 1)
	failed := make(chan error, 1)
	go func() { failed <- stateWrite(ctx, db, "", "k", true) }()
	waitQueued(t, db, 2)
	release()
	if err := <-failed; err == nil {
		t.Fatal("the failing write succeeded")
	}
	r := <-deleted
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.n != 1 {
		t.Fatalf("deleted %d answers, want 1", r.n)
	}
}

// TestCheckinRetentionLeavesNoTrace: once DeleteCheckinAnswersBefore has
// returned, the deleted answers' texts are in neither the database file
// nor its WAL, as after /vergeetmij (TestForgetLeavesNoTrace). Before, the
// WAL kept the pages as they were until its frames happened to be
// overwritten, days or never.
func TestCheckinRetentionLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	c := mustCollective(t, db, "Noord", "ABCDEFGH")
	round, _, err := db.ClaimRound(ctx, c.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Old answers (to go) and recent ones (to stay), interleaved so they
	// share pages.
	for i := range 200 {
		text, age := fmt.Sprintf("Geheimzinnig verhaal %d", i), 400*24*time.Hour
		if i%2 == 1 {
			text, age = fmt.Sprintf("recent %d", i), time.Hour
		}
		clk.now = t0.Add(-age)
		if err := db.AddCheckinAnswer(ctx, fmt.Sprint("ev", i), round.ID, text, sanne); err != nil {
			t.Fatal(err)
		}
	}
	clk.now = t0
	if !dbfiles.Contain(t, path, "Geheimzinnig") {
		t.Fatal("the old answers are not in the database before pruning: the test proves nothing")
	}
	n, err := db.DeleteCheckinAnswersBefore(ctx, t0.Add(-365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 100 {
		t.Fatalf("deleted %d answers, want 100", n)
	}
	if dbfiles.Contain(t, path, "Geheimzinnig") {
		t.Fatal("a deleted check-in answer is still readable in the database file or its WAL")
	}
	if !dbfiles.Contain(t, path, "recent 199") {
		t.Fatal("a kept answer is not in the files: the search cannot find what it looks for")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if dbfiles.Contain(t, path, "Geheimzinnig") {
		t.Fatal("a deleted check-in answer is readable in the database file after closing")
	}
}

// When a reader outlasts busy_timeout (a long backup, say), the deletion's
// own checkpoint cannot empty the WAL and says so; the checkpointer's next
// pause then truncates it (a PASSIVE checkpoint there would copy the log
// but leave its file, and the deleted texts in it, as it was). The test
// waits out busy_timeout once (5 s).
func TestCheckinRetentionScrubsAfterAReader(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	f, ran := withFakeClock(db)
	c := mustCollective(t, db, "Noord", "ABCDEFGH")
	round, _, err := db.ClaimRound(ctx, c.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	clk.now = t0.Add(-400 * 24 * time.Hour)
	for i := range 20 {
		if err := db.AddCheckinAnswer(ctx, fmt.Sprint("ev", i), round.ID, fmt.Sprint("Geheimzinnig verhaal ", i), sanne); err != nil {
			t.Fatal(err)
		}
	}
	clk.now = t0
	// A reader of another connection, its snapshot in the WAL.
	other, err := sql.Open(driverName, DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	reader, err := other.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM checkin_answers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	deleted, err := db.DeleteCheckinAnswersBefore(ctx, t0.Add(-365*24*time.Hour))
	if err == nil || deleted != 20 {
		t.Fatalf("deleted %d with a reader in the way (%v), want 20 and an error saying the WAL still holds them", deleted, err)
	}
	if !dbfiles.Contain(t, path, "Geheimzinnig") {
		t.Fatal("the texts are gone although the reader kept the WAL: the test proves nothing")
	}
	if err := reader.Rollback(); err != nil {
		t.Fatal(err)
	}
	// The next pause.
	<-f.asked
	f.advance(checkpointIdle)
	f.fire <- f.now()
	if r := <-ran; r.err != nil || r.busy != 0 {
		t.Fatalf("the pause's checkpoint: %+v", r)
	}
	if dbfiles.Contain(t, path, "Geheimzinnig") {
		t.Fatal("a deleted check-in answer is still readable in the database file or its WAL after the next pause")
	}
}

// DeleteExpired deletes the questions, login links and sessions whose
// time is up, and nothing else; before, they went only with the next
// question or login, which may never come.
func TestDeleteExpired(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	staff := commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	// Each kind twice: one ends at t0+1h, the other a day later.
	for i, end := range []time.Duration{time.Hour, 25 * time.Hour} {
		if err := db.SaveAsk(ctx, staff, fmt.Sprint("ask", i), bram, "/antwoord 3", t0.Add(end)); err != nil {
			t.Fatal(err)
		}
		login, session := []byte(fmt.Sprint("login", i)), []byte(fmt.Sprint("session", i))
		if err := db.CreateLogin(ctx, "", login, staff, bram, t0.Add(end)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RedeemLogin(ctx, login, session, t0, t0.Add(end)); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateLogin(ctx, "", []byte(fmt.Sprint("unused", i)), staff, bram, t0.Add(end)); err != nil {
			t.Fatal(err)
		}
	}
	clk.now = t0.Add(2 * time.Hour)
	n, err := db.DeleteExpired(ctx, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("deleted %d, want 4 (a question, two login links, a session)", n)
	}
	for q, want := range map[string]string{
		`SELECT message_id FROM text_asks`:                           "ask1",
		`SELECT CAST(hash AS TEXT) FROM web_login_tokens ORDER BY 1`: "login1 unused1",
		`SELECT CAST(hash AS TEXT) FROM web_sessions`:                "session1",
	} {
		if got := strings.Join(column(t, db, q), " "); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}
