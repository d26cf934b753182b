package bench

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/scalecache"
	"github.com/wijkbv/wijkbot/storage"
)

// TestScale generates a small point, checks it holds the history the
// curve claims, and measures it.
func TestScale(t *testing.T) {
	ctx := context.Background()
	cache := t.TempDir()
	p := ScalePoint{Collectives: 3, Years: 1}
	path, err := ScaleDB(ctx, cache, p)
	if err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		var n int
		if err := sdb.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A year is 52 or 53 Mondays; per collective and week two entries, a
	// round and an answer; a slider move every fourth week.
	weeks := count(`SELECT count(*) FROM checkin_rounds`) / 3
	if weeks < 52 || weeks > 53 {
		t.Fatalf("%d weeks of rounds, want a year", weeks)
	}
	// Every fourth week, except the last week's move (two days after its
	// Monday, after ScaleNow).
	sliderWeeks := (weeks + 3) / 4
	if (weeks-1)%4 == 0 {
		sliderWeeks--
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM collectives`:                     3,
		`SELECT count(*) FROM chats WHERE kind = 'collective'`: 3,
		`SELECT count(*) FROM checkin_answers`:                 3 * weeks,
		`SELECT count(*) FROM entry_themes`:                    2 * count(`SELECT count(*) FROM entries`),
		`SELECT count(*) FROM slider_changes`:                  3 * sliderWeeks,
	} {
		if got := count(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	// The history ends before ScaleNow, so the measured commands (at
	// ScaleNow) move each collective's last activity on, as a running
	// bot's do: nothing of the history lies after them.
	var lastActivity string
	if err := sdb.QueryRow(`SELECT MAX(last_activity_at) FROM collectives`).Scan(&lastActivity); err != nil {
		t.Fatal(err)
	}
	if lastActivity >= ScaleNow.Format("2006-01-02T15:04:05.000000000Z") {
		t.Errorf("a collective's last activity is %s, not before ScaleNow %s", lastActivity, ScaleNow)
	}
	// (The last week's entries would fall after ScaleNow.)
	if n := count(`SELECT count(*) FROM entries`); n < 3*2*(weeks-1) || n > 3*2*weeks {
		t.Errorf("%d entries for %d weeks × 3 collectives, want two a week", n, weeks)
	}
	sdb.Close()
	// Cached: the second call finds the file.
	if again, err := ScaleDB(ctx, cache, p); err != nil || again != path {
		t.Fatalf("second ScaleDB: %q, %v", again, err)
	}

	run := filepath.Join(t.TempDir(), "run.db")
	if err := scalecache.CopyFile(run, path); err != nil {
		t.Fatal(err)
	}
	res, err := Scale{DB: run, Point: p, Repeat: 2}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Timeline) != 2 || len(res.Panel) != 2 || len(res.Overview) != 2 || len(res.Digest) != 2 || len(res.Tick) != 2 || len(res.TickThursday) != 2 {
		t.Fatalf("samples: %d %d %d %d", len(res.Timeline), len(res.Panel), len(res.Overview), len(res.Digest))
	}
	if !res.OverviewImage || res.OverviewChars == 0 || res.DigestChars == 0 || res.RSS == 0 || res.DBSize == 0 {
		t.Fatalf("%+v", res)
	}
	// The web pages: each fetched Repeat times, 200 with a body, and
	// holding what addNetwork wrote: every collective's card, collective
	// 0's waiting request, four lessons a collective (half of them
	// shared), three meetings.
	want := map[string]int{"overview": 3, "queue": 1, "lessons": 12, "meetings": 3, "public": 6}
	if len(res.Web) != len(webPages) {
		t.Fatalf("%d web pages, want %d", len(res.Web), len(webPages))
	}
	for _, w := range res.Web {
		if len(w.Times) != 2 || w.Status != 200 || w.Bytes == 0 {
			t.Errorf("%s: %d samples, status %d, %d bytes", w.Path, len(w.Times), w.Status, w.Bytes)
		}
		if n, ok := want[w.Name]; ok && w.Articles != n {
			t.Errorf("%s: %d articles, want %d", w.Path, w.Articles, n)
		}
		if w.Name == "overview" && w.Cards != 3 {
			t.Errorf("overview: %d cards, want 3", w.Cards)
		}
	}
}

// TestAnsweredRefusesApologies: a refused or failed command is no answer.
func TestAnsweredRefusesApologies(t *testing.T) {
	rq := commands.Request{Command: "tijdlijn"}
	for _, r := range []commands.Reply{{Text: "Dit kan alleen in een gekoppelde groep.", Ephemeral: true}, {Duplicate: true}, {}} {
		if answered(rq, r) == nil {
			t.Errorf("%+v counted as an answer", r)
		}
	}
	if err := answered(rq, commands.Reply{Text: "Tijdlijn"}); err != nil {
		t.Fatal(err)
	}
}
