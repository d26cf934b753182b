package storage

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func addLesson(t testing.TB, db *DB, collectiveID int64, text string, by commands.UserRef) *commands.Lesson {
	t.Helper()
	l := &commands.Lesson{CollectiveID: collectiveID, Text: text, Themes: commands.Themes(text), Source: by.Platform}
	if err := db.AddLesson(context.Background(), "", l, by); err != nil {
		t.Fatalf("AddLesson(%q): %v", text, err)
	}
	return l
}

func lessonNumbers(list []commands.Lesson) []int64 {
	var ns []int64
	for _, l := range list {
		ns = append(ns, l.Number)
	}
	return ns
}

func TestLessons(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")

	l1 := addLesson(t, db, noord.ID, "De energiecoöperatie werkt alleen met een sterke #Energie kern van vrijwilligers.", ana)
	clk.Add(time.Hour)
	l2 := addLesson(t, db, zuid.ID, "Praat eerst met de woningcorporatie voordat je een pand koopt. #vastgoed", sanne)
	clk.Add(time.Hour)
	l3 := addLesson(t, db, noord.ID, "Een coöperatie oprichten kost meer tijd dan je denkt; begin met de notaris.", bram)

	t.Run("numbered programme-wide, pending, author and themes kept", func(t *testing.T) {
		if l1.Number != 1 || l2.Number != 2 || l3.Number != 3 {
			t.Fatalf("numbers %d %d %d, want 1 2 3", l1.Number, l2.Number, l3.Number)
		}
		got, err := db.Lesson(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sharing != commands.SharingPending || got.Shared() || got.Author != "Ana" || got.CollectiveName != "Noord" ||
			!slices.Equal(got.Themes, []string{"energie"}) || !got.CreatedAt.Equal(t0) || !got.SharingAt.IsZero() {
			t.Fatalf("lesson %+v", got)
		}
		_, err = db.Lesson(ctx, 99)
		wantCode(t, err, commands.ENOTFOUND)
		wantCode(t, db.AddLesson(ctx, "", &commands.Lesson{CollectiveID: 999, Text: "x"}, ana), commands.ENOTFOUND)
	})

	t.Run("sharing only by its own collective", func(t *testing.T) {
		_, err := db.SetLessonSharing(ctx, "", zuid.ID, l1.Number, commands.SharingNetwork, sanne)
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.SetLessonSharing(ctx, "", noord.ID, l1.Number, "bogus", ana)
		wantCode(t, err, commands.EINVALID)
		got, err := db.SetLessonSharing(ctx, "", noord.ID, l1.Number, commands.SharingNetwork, ana)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Shared() || got.SharingAt.IsZero() {
			t.Fatalf("shared lesson %+v", got)
		}
		if _, err := db.SetLessonSharing(ctx, "", zuid.ID, l2.Number, commands.SharingTeam, sanne); err != nil {
			t.Fatal(err)
		}
	})

	search := func(f commands.LessonFilter) []int64 {
		t.Helper()
		list, err := db.Lessons(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return lessonNumbers(list)
	}
	t.Run("scopes", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			f    commands.LessonFilter
			want []int64
		}{
			{"shared", commands.LessonFilter{Scope: commands.LessonsShared}, []int64{1}},
			{"zuid sees shared and own", commands.LessonFilter{Scope: commands.LessonsSharedAndOwn, CollectiveID: zuid.ID}, []int64{2, 1}},
			{"noord sees own, shared or not", commands.LessonFilter{Scope: commands.LessonsSharedAndOwn, CollectiveID: noord.ID}, []int64{3, 1}},
			{"staff all", commands.LessonFilter{Scope: commands.LessonsAll}, []int64{3, 2, 1}},
			{"staff one collective", commands.LessonFilter{Scope: commands.LessonsAll, CollectiveID: zuid.ID}, []int64{2}},
			{"since", commands.LessonFilter{Scope: commands.LessonsAll, Since: t0.Add(time.Hour)}, []int64{3, 2}},
			{"limit", commands.LessonFilter{Scope: commands.LessonsAll, Limit: 1}, []int64{3}},
		} {
			if got := search(tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	})

	t.Run("search is word-based, case- and accent-insensitive", func(t *testing.T) {
		all := func(q string) commands.LessonFilter {
			return commands.LessonFilter{Scope: commands.LessonsAll, Query: q}
		}
		for _, tt := range []struct {
			q    string
			want []int64
		}{
			{"coöperatie", []int64{3}},
			{"cooperatie", []int64{3}},
			{"COOPERATIE", []int64{3}},
			{"energiecooperatie", []int64{1}},
			{"energie", []int64{1}}, // the theme word, not "energiecoöperatie" as a substring
			{"#energie", []int64{1}},
			{"corporatie", nil}, // a word, not part of "woningcorporatie"
			{"woningcorporatie pand", []int64{2}},
			{"woningcorporatie notaris", nil}, // every word must occur
			{`"`, nil},
			{"   ", []int64{3, 2, 1}}, // blank: no search
		} {
			if got := search(all(tt.q)); !slices.Equal(got, tt.want) {
				t.Errorf("search %q: %v, want %v", tt.q, got, tt.want)
			}
		}
		// The public scope never shows an unshared lesson, whatever matches.
		if got := search(commands.LessonFilter{Scope: commands.LessonsShared, Query: "notaris"}); got != nil {
			t.Errorf("public search found unshared %v", got)
		}
	})

	t.Run("ranked, with an excerpt around the match", func(t *testing.T) {
		clk.Add(time.Hour)
		long := addLesson(t, db, zuid.ID, strings.Repeat("Vergaderen kost tijd maar levert draagvlak op. ", 8)+"Uiteindelijk regelde de notaris het in een week.", sanne)
		clk.Add(time.Hour)
		dense := addLesson(t, db, zuid.ID, "Notaris, notaris, notaris: kies een notaris die coöperaties kent.", sanne)
		list, err := db.Lessons(ctx, commands.LessonFilter{Scope: commands.LessonsAll, Query: "Notaris"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := lessonNumbers(list), []int64{dense.Number, l3.Number, long.Number}; !slices.Equal(got, want) {
			t.Fatalf("ranking %v, want %v", got, want)
		}
		ex := list[2].Excerpt
		if !strings.Contains(ex, "notaris") || !strings.HasPrefix(ex, "…") || len([]rune(ex)) > 120 {
			t.Fatalf("excerpt %q", ex)
		}
	})
}

// TestFTSQuery pins the translation from typed text to an FTS5 query.
func TestFTSQuery(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"energie", `"energie"`},
		{"#Energie coöperatie", `"Energie" "coöperatie"`},
		{`a OR b NOT c*`, `"a" "OR" "b" "NOT" "c"`},
		{`text:"x" NEAR(a b)`, `"text" "x" "NEAR" "a" "b"`},
		{"zorg-coöp", `"zorg" "coöp"`},
		{"zorg zorg ZORG", `"zorg"`},
		{"\u0301 ^ - ( )", ""},
		{"", ""},
	} {
		if got := FTSQuery(tt.in); got != tt.want {
			t.Errorf("FTSQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzLessonQuery runs whatever a user might type as a search against a
// real database: it must never be an FTS5 syntax error, nor panic.
func FuzzLessonQuery(f *testing.F) {
	for _, s := range []string{"energie", `"`, `""`, "a OR b", "NOT", "*", "c*", "NEAR(a b, 2)", "text:x", "^x", "-x",
		"(", ")", "{a b}:x", "\x00", "\u0301", "\xff\xfe", "zorg-coöp", "AND AND", "e\u0301nergie", "ǅ", "٣", "🙂 hulp",
		strings.Repeat("a ", 500)} {
		f.Add(s)
	}
	db, _ := openTest(f)
	c := mustCollective(f, db, "Noord", "NNNN2345")
	addLesson(f, db, c.ID, "Een coöperatie oprichten kost meer tijd dan je denkt #energie", ana)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		for _, scope := range []commands.LessonScope{commands.LessonsShared, commands.LessonsAll} {
			if _, err := db.Lessons(ctx, commands.LessonFilter{Scope: scope, Query: q}); err != nil {
				t.Fatalf("Lessons(%q): %v", q, err)
			}
		}
	})
}
