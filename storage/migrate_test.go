package storage

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		names := column(t, db, `SELECT name FROM migrations ORDER BY name`)
		if len(names) == 0 || names[0] != "migrations/001_core.sql" {
			t.Fatalf("open %d: migrations = %v, want 001_core first", i, names)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Fatalf("migration %s recorded twice", n)
			}
			seen[n] = true
		}
		var defaults int
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM elements WHERE collective_id IS NULL`).Scan(&defaults); err != nil {
			t.Fatal(err)
		}
		if defaults != 11 {
			t.Fatalf("open %d: %d default elements, want 11", i, defaults)
		}
		db.Close()
	}
}

func TestPragmas(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	// Each pooled connection must have the pragmas, so ask on several at once.
	conns := make([]interface{ Close() error }, 0, 3)
	for i := 0; i < 3; i++ {
		c, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk, busy, sync int
		var mode string
		for _, p := range []struct {
			q string
			v any
		}{{"PRAGMA foreign_keys", &fk}, {"PRAGMA busy_timeout", &busy}, {"PRAGMA journal_mode", &mode}, {"PRAGMA synchronous", &sync}} {
			if err := c.QueryRowContext(ctx, p.q).Scan(p.v); err != nil {
				t.Fatal(err)
			}
		}
		if fk != 1 || busy != 5000 || mode != "wal" || sync != 2 {
			t.Fatalf("conn %d: foreign_keys=%d busy_timeout=%d journal_mode=%s synchronous=%d", i, fk, busy, mode, sync)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// The migration's default keys must be what the code computes, or a
// collective could add "Financiële duurzaamheid" a second time.
func TestDefaultElementKeys(t *testing.T) {
	db, _ := openTest(t)
	rows, err := db.db.Query(`SELECT name, name_key FROM elements WHERE collective_id IS NULL ORDER BY position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := []string{"eigenaarschap", "zeggenschap", "ondernemerschap", "bezit (grond en gebouwen)",
		"geldstromen in de wijk", "economische machtsbasis", "financiële duurzaamheid",
		"geworteld in de wijk", "impact op wonen", "impact op werk", "impact op zorg"}
	var i int
	for ; rows.Next(); i++ {
		var name, key string
		if err := rows.Scan(&name, &key); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || name != want[i] {
			t.Fatalf("default %d = %q, want %q", i, name, want[min(i, len(want)-1)])
		}
		if key != commands.NormalizeName(name) {
			t.Errorf("name_key of %q = %q, want %q", name, key, commands.NormalizeName(name))
		}
	}
	if i != len(want) {
		t.Fatalf("%d defaults, want %d", i, len(want))
	}
}

func TestOpenRejectsMemory(t *testing.T) {
	if _, err := Open(context.Background(), ":memory:"); err == nil {
		t.Fatal("Open(:memory:) succeeded")
	}
}
