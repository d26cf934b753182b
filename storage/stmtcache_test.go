package storage

import (
	"context"
	"testing"
)

// The same statement run again while its rows are still open (a nested
// query on one connection) must not reuse the busy prepared statement.
func TestStatementCacheNestedQuery(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		if err := db.SetState(ctx, k, "v-"+k); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := db.db.Conn(ctx) // one connection, as inside a transaction
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = `SELECT key, value FROM state WHERE key >= ? ORDER BY key`
	rows, err := conn.QueryContext(ctx, q, "a")
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner int
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		outer++
		nested, err := conn.QueryContext(ctx, q, k)
		if err == nil {
			for nested.Next() {
				inner++
			}
			err = nested.Err()
			nested.Close()
		}
		if err != nil {
			t.Fatalf("nested query: %v", err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if outer != 3 || inner != 3+2+1 {
		t.Fatalf("outer=%d inner=%d, want 3 and 6", outer, inner)
	}
	// And reused afterwards, with new arguments.
	var v string
	if err := conn.QueryRowContext(ctx, q, "c").Scan(new(string), &v); err != nil || v != "v-c" {
		t.Fatalf("reused statement: %q, %v", v, err)
	}
}
