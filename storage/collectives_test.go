package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestCollectives(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)

	t.Run("create sets id, time and upper-case code", func(t *testing.T) {
		c := &commands.Collective{Name: "  Bewonersbedrijf Noord ", Code: "abcd2345"}
		if err := db.CreateCollective(ctx, "e1", c, ana); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Name != "Bewonersbedrijf Noord" || c.Code != "ABCD2345" || !c.CreatedAt.Equal(t0) {
			t.Fatalf("created %+v", c)
		}
		got, err := db.Collective(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != c.Name || got.Code != c.Code || !got.CreatedAt.Equal(t0) || got.CreatedAt.Location() != time.UTC {
			t.Fatalf("read back %+v, want %+v in UTC", got, c)
		}
	})

	conflicts := []struct{ name, code, want string }{
		{"bewonersbedrijf noord", "ZZZZ2345", commands.ECONFLICT},
		{"BEWONERSBEDRIJF   NOORD", "ZZZZ2346", commands.ECONFLICT},
		{"Bewonersbedrijf Nóórd", "ZZZZ2347", commands.ECONFLICT},
		{"Zuid", "abcd2345", commands.ECONFLICT},
		{"", "ZZZZ2348", commands.EINVALID},
		{"West", " ", commands.EINVALID},
	}
	for _, tt := range conflicts {
		t.Run("create "+tt.name+"/"+tt.code, func(t *testing.T) {
			err := db.CreateCollective(ctx, "", &commands.Collective{Name: tt.name, Code: tt.code}, ana)
			wantCode(t, err, tt.want)
		})
	}

	t.Run("by name ignores case and accents", func(t *testing.T) {
		c, err := db.CollectiveByName(ctx, "BEWONERSBEDRIJF nóord")
		if err != nil {
			t.Fatal(err)
		}
		if c.Code != "ABCD2345" {
			t.Fatalf("found %+v", c)
		}
		_, err = db.CollectiveByName(ctx, "Oost")
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.Collective(ctx, 999)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("schedule and pause", func(t *testing.T) {
		c, _ := db.CollectiveByName(ctx, "bewonersbedrijf noord")
		if err := db.SetSchedule(ctx, "e2", c.ID, " @weekly ", bram); err != nil {
			t.Fatal(err)
		}
		until := time.Date(2026, 8, 1, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
		if err := db.SetPause(ctx, "e3", c.ID, until, bram); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Collective(ctx, c.ID)
		if got.Schedule != "@weekly" || !got.PausedUntil.Equal(until) || got.PausedUntil.Location() != time.UTC {
			t.Fatalf("schedule %q paused %v", got.Schedule, got.PausedUntil)
		}
		if err := db.SetPause(ctx, "e4", c.ID, time.Time{}, bram); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Collective(ctx, c.ID); !got.PausedUntil.IsZero() {
			t.Fatalf("pause not ended: %v", got.PausedUntil)
		}
		wantCode(t, db.SetSchedule(ctx, "", 999, "@daily", bram), commands.ENOTFOUND)
		wantCode(t, db.SetPause(ctx, "", 999, until, bram), commands.ENOTFOUND)
	})

	t.Run("list by name with chats and last activity", func(t *testing.T) {
		zuid := mustCollective(t, db, "Achterhoek", "QQQQ2345")
		noord, _ := db.CollectiveByName(ctx, "bewonersbedrijf noord")
		grp := commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
		if _, err := db.LinkChat(ctx, "", grp, "Noord groep", "abcd2345", ana); err != nil {
			t.Fatal(err)
		}
		gone := commands.ChatRef{Platform: commands.Discord, ID: "55"}
		if _, err := db.LinkChat(ctx, "", gone, "oud", "ABCD2345", ana); err != nil {
			t.Fatal(err)
		}
		if err := db.SetChatActive(ctx, gone, false); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "x"}, ana); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		r := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "?"}
		if err := db.CreateRequest(ctx, "", r, ana, 0); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		if _, err := db.ResolveRequest(ctx, "", r.Number, sanne); err != nil {
			t.Fatal(err)
		}

		list, err := db.Collectives(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != zuid.ID || list[1].ID != noord.ID {
			t.Fatalf("collectives %+v, want Achterhoek then Noord", list)
		}
		if !list[0].LastActivity.IsZero() || len(list[0].Chats) != 0 {
			t.Fatalf("Achterhoek %+v, want no activity, no chats", list[0])
		}
		if got := list[1].LastActivity; !got.Equal(t0.Add(3 * time.Hour)) {
			t.Fatalf("last activity %v, want the resolve at %v", got, t0.Add(3*time.Hour))
		}
		if len(list[1].Chats) != 1 || list[1].Chats[0].Ref != grp || list[1].Chats[0].Title != "Noord groep" {
			t.Fatalf("chats %+v, want only the active group", list[1].Chats)
		}
	})
}

// CollectiveNames: the names that start with what was typed (the bytes of
// any character may follow it, an emoji's too), by name; then names with a
// later word that starts with it, by name; then (087) names that contain
// it, by name; at most the limit; the collective left out is never
// offered.
func TestCollectiveNames(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	ids := map[string]int64{}
	add := func(name string) {
		t.Helper()
		c := &commands.Collective{Name: name, Code: fmt.Sprintf("C%07d", len(ids))}
		if err := db.CreateCollective(ctx, "", c, ana); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ids[name] = c.ID
	}
	for _, n := range []string{"Noo🙂", "Nooit", "Noord", "Nop", "Één"} {
		add(n)
	}
	for i := 1; i <= 30; i++ {
		add(fmt.Sprintf("Wijk Noord %02d", i))
	}
	var wijk []string
	for i := 1; i <= 22; i++ {
		wijk = append(wijk, fmt.Sprintf("Wijk Noord %02d", i))
	}
	for _, tc := range []struct {
		partial string
		except  int64
		limit   int
		want    []string
	}{
		{"noo", 0, 25, append([]string{"Nooit", "Noord", "Noo🙂"}, wijk...)},
		{"NOÖ", ids["Nooit"], 25, append([]string{"Noord", "Noo🙂"}, append(wijk, "Wijk Noord 23")...)},
		{"noo", 0, 2, []string{"Nooit", "Noord"}},
		{"een", 0, 25, []string{"Één"}},
		{"wijk noord 3", 0, 25, []string{"Wijk Noord 30"}},
		{"noord 3", 0, 25, []string{"Wijk Noord 30"}},
		{"oord", 0, 25, append([]string{"Noord"}, append(wijk, "Wijk Noord 23", "Wijk Noord 24")...)},
		{"🙂", 0, 25, nil},
		{"noo", 0, 0, nil},
	} {
		got, err := db.CollectiveNames(ctx, tc.partial, tc.except, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q except %d limit %d:\n got %q\nwant %q", tc.partial, tc.except, tc.limit, got, tc.want)
		}
	}
}
