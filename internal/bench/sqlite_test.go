package bench

import (
	"context"
	"testing"
)

// TestRawSQLite checks the yardstick runs and commits every insert.
func TestRawSQLite(t *testing.T) {
	rate, err := RawSQLite{Dir: t.TempDir(), Inserts: 200, Workers: 8}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rate <= 0 {
		t.Fatalf("rate=%v, want > 0", rate)
	}
	t.Logf("raw sqlite: %.0f tx/s", rate)
}
