package storage

import (
	"context"
	"testing"
	"time"
)

// TestSetStateSoonJoinsTheNextCommit: a value set "soon" is stored by the
// next write's commit, with no commit of its own, and the newest value of
// a key wins.
func TestSetStateSoonJoinsTheNextCommit(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	commits0, _ := db.CommitStats()
	db.SetStateSoon("telegram:offset", "41")
	db.SetStateSoon("telegram:offset", "42")
	if err := stateWrite(ctx, db, "ev", "other", false); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.State(ctx, "telegram:offset"); got != "42" {
		t.Fatalf("offset %q after the next write, want 42", got)
	}
	if commits, _ := db.CommitStats(); commits-commits0 != 1 {
		t.Fatalf("%d commits, want the write's one", commits-commits0)
	}
}

// TestSetStateSoonAlone: with no other write coming, the value is stored
// on its own (after soonWait).
func TestSetStateSoonAlone(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	db.SetStateSoon("telegram:offset", "7")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if got, _ := db.State(ctx, "telegram:offset"); got == "7" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the value was not stored on its own")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSetStateSoonStoredAtClose: Close stores what is waiting.
func TestSetStateSoonStoredAtClose(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	db.SetStateSoon("telegram:offset", "9")
	db = reopen(t, db, path, clk)
	if got, _ := db.State(ctx, "telegram:offset"); got != "9" {
		t.Fatalf("offset %q after closing, want 9", got)
	}
}
