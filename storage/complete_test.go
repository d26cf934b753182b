package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// addCollectives creates collectives by name and returns their ids.
func addCollectives(t *testing.T, db *DB, names ...string) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, n := range names {
		var nr int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM collectives`).Scan(&nr); err != nil {
			t.Fatal(err)
		}
		c := &commands.Collective{Name: n, Code: fmt.Sprintf("C%07d", nr)}
		if err := db.CreateCollective(context.Background(), "", c, ana); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		ids[n] = c.ID
	}
	return ids
}

// checkNames fails the test unless CollectiveNames gives want for partial.
func checkNames(t *testing.T, db *DB, partial string, except int64, limit int, want []string) {
	t.Helper()
	got, err := db.CollectiveNames(context.Background(), partial, except, limit)
	if err != nil {
		t.Fatalf("%q: %v", partial, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%q except %d limit %d:\n got %q\nwant %q", partial, except, limit, got, want)
	}
}

// checkNameOrder fails the test unless collective_names holds every
// collective's key once, its positions in name order, and its full-text
// indexes agree with it.
func checkNameOrder(t *testing.T, db *DB) {
	t.Helper()
	var byPos, byKey []string
	for q, dst := range map[string]*[]string{
		`SELECT n.name_key FROM collective_names n JOIN collectives c ON c.id = n.collective_id AND c.name_key = n.name_key ORDER BY n.pos`: &byPos,
		`SELECT name_key FROM collectives ORDER BY name_key`: &byKey,
	} {
		rows, err := db.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			*dst = append(*dst, k)
		}
		rows.Close()
	}
	if !slices.Equal(byPos, byKey) {
		t.Errorf("collective_names by position:\n%q\nwant the collectives' keys in name order:\n%q", byPos, byKey)
	}
	for _, fts := range []string{"collective_names_words", "collective_names_grams"} {
		if _, err := db.db.Exec(`INSERT INTO ` + fts + ` (` + fts + `) VALUES ('integrity-check')`); err != nil {
			t.Errorf("%s: %v", fts, err)
		}
	}
}

// TestCollectiveNamesAnywhere: from 3 characters on, a name is found by
// text inside it too (a Dutch compound: "bedrijf" finds "Bewonersbedrijf
// Noord"), after the names that start with it and those with a later word
// that starts with it; each group by name (NormalizeName's order), at most
// the limit, no name twice; case and accents do not count; what FTS5
// reads as syntax is found as text.
func TestCollectiveNamesAnywhere(t *testing.T) {
	db, _ := openTest(t)
	ids := addCollectives(t, db,
		"Wijkenergiecoöperatie Zuid", "Bewonersbedrijf Noord", "Buurtbedrijf De Pijp", "Bedrijvig Oost",
		"Energie Oost", "De Energie", "Groen-Oost", "Bedrijf 2", "Ons Bedrijf",
		`Het "Huis"`, "A*B Collectief", "Noord-Zuid: Samen (West)", "Top^2 - Min", "Dr")
	checkNameOrder(t, db)

	for _, tc := range []struct {
		partial string
		want    []string
	}{
		{"bedrijf", []string{"Bedrijf 2", "Ons Bedrijf", "Bewonersbedrijf Noord", "Buurtbedrijf De Pijp"}},
		{"BEDRIJF", []string{"Bedrijf 2", "Ons Bedrijf", "Bewonersbedrijf Noord", "Buurtbedrijf De Pijp"}},
		{"energie", []string{"Energie Oost", "De Energie", "Wijkenergiecoöperatie Zuid"}},
		{"cooperatie", []string{"Wijkenergiecoöperatie Zuid"}},
		{"COÖP", []string{"Wijkenergiecoöperatie Zuid"}},
		{"oost", []string{"Bedrijvig Oost", "Energie Oost", "Groen-Oost"}},
		{"nersbedrijf  noo", []string{"Bewonersbedrijf Noord"}},
		{"xyz", nil},
		// One or two characters: the start of the name or of a word only.
		{"dr", []string{"Dr"}},
		{"ie", nil},
		{"oo", []string{"Bedrijvig Oost", "Energie Oost", "Groen-Oost"}},
		{"e", []string{"Energie Oost", "De Energie"}},
		// FTS5's syntax is text here.
		{`t "hui`, []string{`Het "Huis"`}},
		{`"huis"`, []string{`Het "Huis"`}},
		{`"`, nil},
		{`"""`, nil},
		{`*b c`, []string{"A*B Collectief"}},
		{`a*b`, []string{"A*B Collectief"}},
		{`bedrijf*`, []string{"Bedrijf 2", "Ons Bedrijf"}}, // the words only
		{`(west)`, []string{"Noord-Zuid: Samen (West)"}},
		{`: sa`, []string{"Noord-Zuid: Samen (West)"}},
		{`d-z`, []string{"Noord-Zuid: Samen (West)"}},
		{`^2 -`, []string{"Bedrijf 2", "Top^2 - Min"}}, // the word "2", then inside
		{`-noord`, []string{"Bewonersbedrijf Noord", "Noord-Zuid: Samen (West)"}},
		{`noord OR zuid`, nil},
		{`NEAR(a b)`, nil},
		{`^`, nil},
		{`:`, nil},
	} {
		checkNames(t, db, tc.partial, 0, 25, tc.want)
	}
	checkNames(t, db, "bedrijf", ids["Ons Bedrijf"], 25, []string{"Bedrijf 2", "Bewonersbedrijf Noord", "Buurtbedrijf De Pijp"})
	checkNames(t, db, "bedrijf", ids["Bewonersbedrijf Noord"], 3, []string{"Bedrijf 2", "Ons Bedrijf", "Buurtbedrijf De Pijp"})
	checkNames(t, db, "bedrijf", 0, 3, []string{"Bedrijf 2", "Ons Bedrijf", "Bewonersbedrijf Noord"})

	t.Run("renamed: found by the new name, not the old", func(t *testing.T) {
		if _, err := db.db.Exec(`UPDATE collectives SET name = ?, name_key = ? WHERE id = ?`,
			"Zonnedak Collectief", commands.NormalizeName("Zonnedak Collectief"), ids["Buurtbedrijf De Pijp"]); err != nil {
			t.Fatal(err)
		}
		checkNameOrder(t, db)
		checkNames(t, db, "bedrijf", 0, 25, []string{"Bedrijf 2", "Ons Bedrijf", "Bewonersbedrijf Noord"})
		checkNames(t, db, "pijp", 0, 25, nil)
		checkNames(t, db, "nnedak", 0, 25, []string{"Zonnedak Collectief"})
		checkNames(t, db, "collectief", 0, 25, []string{"A*B Collectief", "Zonnedak Collectief"})
	})
	t.Run("deleted: gone", func(t *testing.T) {
		if _, err := db.db.Exec(`DELETE FROM collectives WHERE id = ?`, ids["Bewonersbedrijf Noord"]); err != nil {
			t.Fatal(err)
		}
		checkNameOrder(t, db)
		checkNames(t, db, "bedrijf", 0, 25, []string{"Bedrijf 2", "Ons Bedrijf"})
		checkNames(t, db, "wonersbe", 0, 25, nil)
	})
}

// TestCollectiveNamesManyInOrder: with more matches than shown, each group
// shows its first by name, however the collectives were created; also
// after names squeezed into one gap of positions made them renumber.
func TestCollectiveNamesManyInOrder(t *testing.T) {
	db, _ := openTest(t)
	// Created out of order: 07, 14, 21, ... (7 is prime to 30).
	var names, start, word, inside []string
	for i := range 30 {
		n := (i*7)%30 + 1
		names = append(names, fmt.Sprintf("Zonne %02d", n), fmt.Sprintf("Dak Zonne %02d", n), fmt.Sprintf("Dakzonne %02d", n))
	}
	for n := 1; n <= 30; n++ {
		start = append(start, fmt.Sprintf("Zonne %02d", n))
		word = append(word, fmt.Sprintf("Dak Zonne %02d", n))
		inside = append(inside, fmt.Sprintf("Dakzonne %02d", n))
	}
	addCollectives(t, db, names...)
	checkNameOrder(t, db)
	// Inside a word only ("zonne" is elsewhere in those names).
	checkNames(t, db, "onne", 0, 25, word[:25])
	checkNames(t, db, "onne 1", 0, 25, slices.Concat(word[9:19], inside[9:19], start[9:14]))
	// Each group in name order, the last cut off at the limit.
	checkNames(t, db, "zonne 2", 0, 25, slices.Concat(start[19:29], word[19:29], inside[19:24]))
	checkNames(t, db, "zonne 2", 0, 12, slices.Concat(start[19:29], word[19:21]))
	checkNames(t, db, "zonne", 0, 25, start[:25])

	// Each new name just after "Knip", before the one created last: the
	// gap between two positions halves each time, so after 32 of them
	// only a renumbering of every position lets the next one in (without
	// it, CreateCollective fails on collective_names' primary key).
	var squeezed []string
	addCollectives(t, db, "Knip", "Knip 9")
	for i := 1; i <= 40; i++ {
		n := "Knip " + strings.Repeat("0", i) + "1"
		squeezed = append(squeezed, n)
		addCollectives(t, db, n)
	}
	checkNameOrder(t, db)
	// The same by renaming 30 others into that gap.
	for i := 1; i <= 30; i++ {
		n := "Knip " + strings.Repeat("0", 40+i) + "1"
		squeezed = append(squeezed, n)
		if _, err := db.db.Exec(`UPDATE collectives SET name = ?, name_key = ? WHERE name = ?`,
			n, commands.NormalizeName(n), inside[i-1]); err != nil {
			t.Fatalf("rename to %s: %v", n, err)
		}
	}
	checkNameOrder(t, db)
	slices.Reverse(squeezed)
	checkNames(t, db, "nip 0", 0, 25, squeezed[:25])
}
