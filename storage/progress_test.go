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
