package bench

import (
	"context"
	"testing"
)

// TestStoreWrites: every write is stored and counted, and the commits are
// no more than the writes (the group commit batches, never splits).
func TestStoreWrites(t *testing.T) {
	res, err := StoreWrites{Dir: t.TempDir(), Writers: 8, PerWriter: 5}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Stored, 40; got != want {
		t.Fatalf("stored=%d, want %d", got, want)
	}
	if res.Commits < 1 || res.Commits > res.Writes || res.MeanBatch() < 1 {
		t.Fatalf("commits=%d writes=%d", res.Commits, res.Writes)
	}
	t.Logf("%+v mean batch %.1f", res, res.MeanBatch())
}

// TestBatchedSQLite: the yardstick inserts every row, in transactions of
// the batch size asked for.
func TestBatchedSQLite(t *testing.T) {
	for _, tc := range []struct {
		rows    int
		batch   float64
		commits int
	}{{50, 1, 50}, {50, 6.6, 8}, {50, 0.2, 50}, {50, 100, 1}} {
		res, err := BatchedSQLite{Dir: t.TempDir(), Rows: tc.rows, Batch: tc.batch}.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != tc.rows || res.Commits != tc.commits {
			t.Fatalf("batch %v: stored=%d commits=%d, want %d and %d", tc.batch, res.Stored, res.Commits, tc.rows, tc.commits)
		}
	}
}
