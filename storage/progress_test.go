package storage

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestEntries(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")

	t.Run("add sets id, time and author", func(t *testing.T) {
		e := &commands.Entry{CollectiveID: noord.ID, Text: "Pand bezocht #vastgoed #Energie", Themes: []string{"vastgoed", "Energie"}, Source: commands.Telegram}
		if err := db.AddEntry(ctx, "", e, ana); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || !e.CreatedAt.Equal(t0) || e.Author != "Ana" {
			t.Fatalf("added %+v", e)
		}
		err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: 999, Text: "x"}, ana)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("newest first with limit", func(t *testing.T) {
		for i, text := range []string{"twee", "drie", "vier"} {
			clk.Add(time.Hour)
			e := &commands.Entry{CollectiveID: noord.ID, Text: text, Milestone: i == 1, Source: commands.Discord}
			if err := db.AddEntry(ctx, "", e, bram); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: zuid.ID, Text: "elders"}, bram); err != nil {
			t.Fatal(err)
		}
		got, err := db.Entries(ctx, noord.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, e := range got {
			texts = append(texts, e.Text)
		}
		if !slices.Equal(texts, []string{"vier", "drie", "twee"}) {
			t.Fatalf("entries %q", texts)
		}
		if !got[1].Milestone || got[0].Milestone || got[0].Source != commands.Discord || got[0].Author != "Bram" ||
			!got[0].CreatedAt.Equal(t0.Add(3*time.Hour)) || got[0].CreatedAt.Location() != time.UTC {
			t.Fatalf("entries %+v", got)
		}
		all, _ := db.Entries(ctx, noord.ID, 0)
		if len(all) != 4 {
			t.Fatalf("%d entries without limit, want 4", len(all))
		}
		first := all[3]
		if !slices.Equal(first.Themes, []string{"vastgoed", "energie"}) || first.Source != commands.Telegram {
			t.Fatalf("themes %q source %q, want lower-case themes in order", first.Themes, first.Source)
		}
		if all[0].Themes != nil {
			t.Fatalf("entry without themes has %q", all[0].Themes)
		}
	})
}

// TestAddEntryAuthor checks the person behind a write: a known person with
// the same name is found (neither id nor updated_at changes), a new name
// renames them, and an empty name keeps the known one.
func TestAddEntryAuthor(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	who := commands.UserRef{Platform: commands.Telegram, ID: "555", Name: "Fleur"}
	person := func() (id, name, updated string) {
		t.Helper()
		err := db.db.QueryRowContext(ctx, `SELECT id, name, updated_at FROM people WHERE platform = ? AND user_id = ?`,
			who.Platform, who.ID).Scan(&id, &name, &updated)
		if err != nil {
			t.Fatal(err)
		}
		return id, name, updated
	}
	add := func(by commands.UserRef) *commands.Entry {
		t.Helper()
		clk.Add(time.Hour)
		e := &commands.Entry{CollectiveID: noord.ID, Text: "x"}
		if err := db.AddEntry(ctx, "", e, by); err != nil {
			t.Fatal(err)
		}
		return e
	}
	add(who)
	id0, name0, updated0 := person()
	if name0 != "Fleur" || updated0 != formatTime(t0.Add(time.Hour)) {
		t.Fatalf("new person: name %q updated %q", name0, updated0)
	}
	if e := add(who); e.Author != "Fleur" {
		t.Fatalf("author %q, want Fleur", e.Author)
	}
	if id, name, updated := person(); id != id0 || name != "Fleur" || updated != updated0 {
		t.Fatalf("same name again: id %s name %q updated %q, want %s, Fleur, %s", id, name, updated, id0, updated0)
	}
	anon := who
	anon.Name = ""
	if e := add(anon); e.Author != "Fleur" {
		t.Fatalf("author without a name %q, want the known Fleur", e.Author)
	}
	if id, name, updated := person(); id != id0 || name != "Fleur" || updated != updated0 {
		t.Fatalf("empty name: id %s name %q updated %q, want unchanged", id, name, updated)
	}
	renamed := who
	renamed.Name = "Fleur de Vries"
	if e := add(renamed); e.Author != "Fleur de Vries" {
		t.Fatalf("author %q after renaming", e.Author)
	}
	if id, name, updated := person(); id != id0 || name != "Fleur de Vries" || updated != formatTime(clk.Now()) {
		t.Fatalf("renamed: id %s name %q updated %q, want %s, Fleur de Vries, %s", id, name, updated, id0, formatTime(clk.Now()))
	}
	entries, err := db.Entries(ctx, noord.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(entries), 4; got != want {
		t.Fatalf("%d entries, want %d", got, want)
	}
}
