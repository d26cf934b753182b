package storage

import (
	"context"
	"database/sql"
	"testing"
)

// The durability promise rests on synchronous=FULL (an fsync of the WAL
// per commit, so a power cut loses no acknowledged command). The kill -9
// test (cmd/wijkbot TestCrashDurability) cannot see it: after a SIGKILL the
// OS page cache still holds every write, so NORMAL or even OFF pass it. So
// the setting is checked here where it applies: on the committer's
// connection, which runs every write, and on every pooled connection.
func TestConnectionsRunWithSynchronousFull(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)

	check := func(where string, q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) {
		t.Helper()
		for pragma, want := range map[string]string{"synchronous": "2", "journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000"} {
			var got string
			if err := q.QueryRowContext(ctx, `PRAGMA `+pragma).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", where, pragma, err)
			}
			if got != want {
				t.Errorf("%s: PRAGMA %s = %s, want %s", where, pragma, got, want)
			}
		}
	}

	// The committer's connection: checked inside a write, on its tx.
	if err := db.write(ctx, "", func(tx *sql.Tx) error {
		check("committer", tx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Every other pooled connection, held at once so each is a different one.
	var conns []*sql.Conn
	for range maxConns - 1 {
		conn, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		check("pooled connection", conn)
	}
	for _, c := range conns {
		c.Close()
	}
	if got := db.db.Stats().OpenConnections; got != maxConns {
		t.Errorf("%d connections checked, want all %d", got, maxConns)
	}
}
