package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// tableCounts counts the rows of every table, to show a write changed nothing.
func tableCounts(t *testing.T, db *DB) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, n := range column(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		var c int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM ` + n).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}

// dump renders the rows of the tables a write changes, to show a duplicate
// changed no value either.
func dump(t *testing.T, db *DB) string {
	t.Helper()
	var out string
	for _, q := range []string{
		`SELECT name, code, schedule, COALESCE(paused_until, '') FROM collectives`,
		`SELECT platform, chat_id, title, kind, COALESCE(collective_id, 0), lang, active FROM chats`,
		`SELECT number, status, claimed_by_name, feedback, COALESCE(resolved_at, '') FROM help_requests`,
		`SELECT platform, user_id, name FROM people`,
	} {
		rows, err := db.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintln(vals...)
		}
		rows.Close()
	}
	return out
}

func TestDuplicateEvents(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	grp := commands.ChatRef{Platform: commands.Telegram, ID: "-5"}
	staff := commands.ChatRef{Platform: commands.Telegram, ID: "-6"}
	panel, _ := db.Panel(ctx, noord.ID)
	round, _, _ := db.ClaimRound(ctx, noord.ID, t0)
	renamed := ana
	renamed.Name = "Ana Anders"

	// Each write runs twice with the same event id, the second time with
	// different arguments where possible; the second must change nothing.
	writes := []struct {
		name string
		run  func(ev string, i int) error
	}{
		{"CreateCollective", func(ev string, i int) error {
			return db.CreateCollective(ctx, ev, &commands.Collective{Name: fmt.Sprint("Zuid", i), Code: fmt.Sprint("ZZZZ234", i)}, ana)
		}},
		{"LinkChat", func(ev string, i int) error {
			_, err := db.LinkChat(ctx, ev, grp, fmt.Sprint("titel", i), "NNNN2345", ana)
			return err
		}},
		{"AddStaffChat", func(ev string, i int) error { return db.AddStaffChat(ctx, ev, staff, fmt.Sprint("staf", i), sanne) }},
		{"SetChatLang", func(ev string, i int) error {
			return db.SetChatLang(ctx, ev, grp, []commands.Lang{commands.EN, commands.NL}[i])
		}},
		{"SetSchedule", func(ev string, i int) error {
			return db.SetSchedule(ctx, ev, noord.ID, fmt.Sprint("@every ", i+1, "h"), ana)
		}},
		{"SetPause", func(ev string, i int) error { return db.SetPause(ctx, ev, noord.ID, t0.AddDate(0, 0, i+1), ana) }},
		{"AddEntry", func(ev string, i int) error {
			return db.AddEntry(ctx, ev, &commands.Entry{CollectiveID: noord.ID, Text: "x", Themes: []string{"a"}}, ana)
		}},
		{"AddEntry renaming", func(ev string, i int) error {
			return db.AddEntry(ctx, ev, &commands.Entry{CollectiveID: noord.ID, Text: "x"}, []commands.UserRef{ana, renamed}[i])
		}},
		{"CreateRequest", func(ev string, i int) error {
			return db.CreateRequest(ctx, ev, &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "?"}, ana, 0)
		}},
		{"ClaimRequest", func(ev string, i int) error {
			_, err := db.ClaimRequest(ctx, ev, 1, []commands.UserRef{sanne, bram}[i])
			return err
		}},
		{"AnswerRequest", func(ev string, i int) error {
			_, err := db.AnswerRequest(ctx, ev, 1, "antwoord", sanne)
			return err
		}},
		{"ResolveRequest", func(ev string, i int) error {
			_, err := db.ResolveRequest(ctx, ev, 1, sanne)
			return err
		}},
		{"SetFeedback", func(ev string, i int) error {
			return db.SetFeedback(ctx, ev, noord.ID, 1, []string{"ja", "nee"}[i], ana)
		}},
		{"AddElement", func(ev string, i int) error {
			_, err := db.AddElement(ctx, ev, noord.ID, fmt.Sprint("eigen", i), "", ana)
			return err
		}},
		{"SetSlider", func(ev string, i int) error {
			_, err := db.SetSlider(ctx, ev, noord.ID, panel[0].ID, i+3, "", ana)
			return err
		}},
		{"AddCheckinAnswer", func(ev string, i int) error { return db.AddCheckinAnswer(ctx, ev, round.ID, "goed", ana) }},
		{"ForgetPerson", func(ev string, i int) error { return db.ForgetPerson(ctx, ev, []commands.UserRef{bram, ana}[i]) }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			ev := "telegram:update:" + w.name
			if seen, err := db.EventSeen(ctx, ev); err != nil || seen {
				t.Fatalf("EventSeen before = %v, %v", seen, err)
			}
			if err := w.run(ev, 0); err != nil {
				t.Fatalf("first: %v", err)
			}
			if seen, err := db.EventSeen(ctx, ev); err != nil || !seen {
				t.Fatalf("EventSeen after = %v, %v", seen, err)
			}
			counts, rows := tableCounts(t, db), dump(t, db)
			clk.Add(time.Minute)
			if err := w.run(ev, 1); !errors.Is(err, commands.ErrDuplicate) {
				t.Fatalf("second: %v, want ErrDuplicate", err)
			}
			if got := tableCounts(t, db); fmt.Sprint(got) != fmt.Sprint(counts) {
				t.Fatalf("duplicate changed row counts:\n%v\n%v", counts, got)
			}
			if got := dump(t, db); got != rows {
				t.Fatalf("duplicate changed rows:\n%s\nwant\n%s", got, rows)
			}
		})
	}

	t.Run("empty event ids are not deduplicated", func(t *testing.T) {
		before := tableCounts(t, db)["entries"]
		for i := 0; i < 2; i++ {
			if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "x"}, bram); err != nil {
				t.Fatal(err)
			}
		}
		if got := tableCounts(t, db)["entries"]; got != before+2 {
			t.Fatalf("%d entries, want %d", got, before+2)
		}
		if seen, _ := db.EventSeen(ctx, ""); seen {
			t.Fatal("EventSeen(\"\") = true")
		}
	})

	t.Run("a failed write does not record its event", func(t *testing.T) {
		before := tableCounts(t, db)
		_, err := db.LinkChat(ctx, "ev-fail", commands.ChatRef{Platform: "telegram", ID: "-77"}, "t", "NOPE2345",
			commands.UserRef{Platform: "telegram", ID: "555", Name: "Nieuw"})
		wantCode(t, err, commands.ENOTFOUND)
		if seen, _ := db.EventSeen(ctx, "ev-fail"); seen {
			t.Fatal("failed write recorded its event")
		}
		if got := tableCounts(t, db); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Fatalf("failed write changed rows (the person?):\n%v\n%v", before, got)
		}
	})
}

func TestState(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	if v, err := db.State(ctx, "telegram:offset"); err != nil || v != "" {
		t.Fatalf("absent state = %q, %v", v, err)
	}
	for _, v := range []string{"41", "42"} {
		if err := db.SetState(ctx, "telegram:offset", v); err != nil {
			t.Fatal(err)
		}
		if got, err := db.State(ctx, "telegram:offset"); err != nil || got != v {
			t.Fatalf("state = %q, %v, want %q", got, err, v)
		}
	}
}

func TestTimeFormat(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)), "2026-06-01T10:00:00.000000000Z"},
		{time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC), "2026-12-31T23:59:59.999999999Z"},
		{time.Date(2027, 1, 1, 0, 30, 0, 5, time.FixedZone("CET", 3600)), "2026-12-31T23:30:00.000000005Z"},
	}
	for _, tt := range tests {
		s := formatTime(tt.in)
		if s != tt.want {
			t.Errorf("formatTime(%v) = %q, want %q", tt.in, s, tt.want)
		}
		var back time.Time
		if err := scanTime(&back).Scan(s); err != nil {
			t.Fatal(err)
		}
		if !back.Equal(tt.in) || back.Location() != time.UTC {
			t.Errorf("round trip of %v = %v", tt.in, back)
		}
	}
	// Text order is time order.
	if a, b := formatTime(tests[2].in), formatTime(tests[1].in); (a < b) != tests[2].in.Before(tests[1].in) {
		t.Errorf("%q and %q sort unlike their times", a, b)
	}
}

func TestTimesStoredInUTC(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "x"}, ana); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := db.db.QueryRow(`SELECT created_at FROM entries`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if want := "2026-06-01T08:00:00.123456789Z"; raw != want {
		t.Fatalf("stored %q, want %q", raw, want)
	}
}

// TestEventsSeen looks up a batch of events at once: the stored ones come
// back, whatever the others are.
func TestEventsSeen(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	for _, ev := range []string{"telegram:update:1", "telegram:update:3", `telegram:callback:"q"`} {
		if err := db.AddEntry(ctx, ev, &commands.Entry{CollectiveID: noord.ID, Text: "x"}, ana); err != nil {
			t.Fatal(err)
		}
	}
	seen, err := db.EventsSeen(ctx, []string{"telegram:update:1", "telegram:update:2", "telegram:update:3",
		`telegram:callback:"q"`, "telegram:update:1", "", "telegram:update:30"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"telegram:update:1": true, "telegram:update:3": true, `telegram:callback:"q"`: true}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("EventsSeen = %v, want %v", seen, want)
	}
	if seen, err := db.EventsSeen(ctx, nil); err != nil || len(seen) != 0 {
		t.Fatalf("EventsSeen(nil) = %v, %v", seen, err)
	}
}
