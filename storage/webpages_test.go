package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// TestCollectivesByAttention: every page size and offset gives a slice of
// one order (waiting for help by name; quiet, never active first, then the
// longest quiet; the rest by name), also where a page spans two groups,
// and a resolved request no longer counts.
func TestCollectivesByAttention(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	coll := map[string]*commands.Collective{}
	for i, name := range []string{"Bloem", "Anker", "Duin", "Citroen", "Egel", "Fjord", "Gras", "Haven"} {
		coll[name] = mustCollective(t, db, name, strings.Repeat(string("ABCDEFGH"[i]), 4)+"2345")
	}
	entry := func(name string, at time.Time) {
		t.Helper()
		db.Now = func() time.Time { return at }
		defer func() { db.Now = clk.Now }()
		if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: coll[name].ID, Text: "x"}, ana); err != nil {
			t.Fatal(err)
		}
	}
	now := clk.now
	quietSince := now.AddDate(0, 0, -28)
	for _, n := range []string{"Anker", "Bloem", "Egel", "Gras", "Haven"} {
		entry(n, now.Add(-time.Hour))
	}
	entry("Citroen", now.AddDate(0, 0, -60)) // quiet longest after never
	entry("Duin", now.AddDate(0, 0, -30))
	// Fjord never did anything. Haven and Egel wait for help (Egel's
	// second request is resolved: one waiting is enough); Bloem's request
	// was resolved.
	ask := func(name string) int64 {
		t.Helper()
		r := &commands.HelpRequest{CollectiveID: coll[name].ID, Expertise: "zorg", Question: "?"}
		if err := db.CreateRequest(ctx, "", r, ana, 0); err != nil {
			t.Fatal(err)
		}
		return r.Number
	}
	ask("Haven")
	ask("Egel")
	for _, n := range []int64{ask("Egel"), ask("Bloem")} {
		if _, err := db.ResolveRequest(ctx, "", n, ana); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"Egel", "Haven", "Fjord", "Citroen", "Duin", "Anker", "Bloem", "Gras"}

	for limit := 1; limit <= 9; limit++ {
		var got []string
		for offset := 0; offset < len(want)+limit; offset += limit {
			page, matching, err := db.CollectivesByAttention(ctx, "", quietSince, offset, limit)
			if err != nil {
				t.Fatal(err)
			}
			if matching != len(want) || len(page) > limit {
				t.Fatalf("limit %d offset %d: %d of %d matching", limit, offset, len(page), matching)
			}
			for _, s := range page {
				got = append(got, s.Name)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("pages of %d: %v, want %v", limit, got, want)
		}
	}
	// The filter keeps the order and counts what it keeps; wildcards are
	// characters.
	for q, w := range map[string]string{"e": "Egel Haven Citroen Anker Bloem", "Ç": "Citroen", "%": "", "_": "", "n": "Haven Citroen Duin Anker"} {
		page, matching, err := db.CollectivesByAttention(ctx, q, quietSince, 0, 24)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range page {
			got = append(got, s.Name)
		}
		if strings.Join(got, " ") != w || matching != len(got) {
			t.Errorf("filter %q: %v (%d matching), want %q", q, got, matching, w)
		}
	}
	// The totals count the same programme.
	tot, err := db.ProgrammeTotals(ctx, quietSince, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := (commands.ProgrammeTotals{Collectives: 8, Quiet: 3, OpenRequests: 2, WithOpen: 2, Late: 2}); tot != want {
		t.Errorf("totals %+v, want %+v", tot, want)
	}
}
