package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// Writers through one handle and through two handles on the same file (two
// processes) must wait for each other, never fail with SQLITE_BUSY, and
// never give two help requests the same number.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")

	// Both handles open the new file at once: migrations run once.
	var handles [2]*DB
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(ctx, path)
			if err != nil {
				errs <- fmt.Errorf("open %d: %w", i, err)
				return
			}
			handles[i] = db
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, h := range handles {
		t.Cleanup(func() { h.Close() })
	}
	var applied int
	if err := handles[0].db.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = 'migrations/001_core.sql'`).Scan(&applied); err != nil || applied != 1 {
		t.Fatalf("001 applied %d times (%v)", applied, err)
	}

	noord := mustCollective(t, handles[0], "Noord", "NNNN2345")
	zuid := mustCollective(t, handles[1], "Zuid", "ZZZZ2345")

	const workers, perWorker = 8, 15
	errs = make(chan error, workers*perWorker*2)
	numbers := make(chan int64, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := handles[w%2]
			c := []*commands.Collective{noord, zuid}[w%2]
			who := commands.UserRef{Platform: commands.Console, ID: fmt.Sprint(w), Name: fmt.Sprint("w", w)}
			for i := 0; i < perWorker; i++ {
				r := &commands.HelpRequest{CollectiveID: c.ID, Expertise: "zorg", Question: "?"}
				ev, by := fmt.Sprintf("ev:%d:%d:r", w, i), who
				if i%2 == 0 {
					// Without an event or a user the transaction begins with
					// reads; only BEGIN IMMEDIATE keeps it from failing
					// when it then writes.
					ev, by = "", commands.UserRef{}
				}
				if err := db.CreateRequest(ctx, ev, r, by, 0); err != nil {
					errs <- err
					continue
				}
				numbers <- r.Number
				e := &commands.Entry{CollectiveID: c.ID, Text: "x"}
				if err := db.AddEntry(ctx, fmt.Sprintf("ev:%d:%d:e", w, i), e, who); err != nil {
					errs <- err
				}
				if _, _, err := db.ClaimRound(ctx, c.ID, t0.AddDate(0, 0, i)); err != nil {
					errs <- err
				}
				// Reads interleave with the writes.
				if _, err := db.OpenRequests(ctx); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(numbers)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	seen := map[int64]bool{}
	for n := range numbers {
		if seen[n] {
			t.Errorf("number #%d given twice", n)
		}
		seen[n] = true
	}
	for n := int64(1); n <= workers*perWorker; n++ {
		if !seen[n] {
			t.Errorf("number #%d missing", n)
		}
	}
	entries, err := handles[1].Entries(ctx, noord.ID, 0)
	if err != nil || len(entries) != workers/2*perWorker {
		t.Fatalf("%d Noord entries (%v), want %d", len(entries), err, workers/2*perWorker)
	}
}

// The same event arriving twice at once (a re-delivery racing the original)
// is stored once.
func TestConcurrentDuplicate(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	var wg sync.WaitGroup
	results := make(chan error, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- db.AddEntry(ctx, "discord:interaction:1", &commands.Entry{CollectiveID: noord.ID, Text: "x"}, ana)
		}()
	}
	wg.Wait()
	close(results)
	var ok, dup int
	for err := range results {
		switch err {
		case nil:
			ok++
		case commands.ErrDuplicate:
			dup++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 || dup != 9 {
		t.Fatalf("%d stored, %d duplicates; want 1 and 9", ok, dup)
	}
	if entries, _ := db.Entries(ctx, noord.ID, 0); len(entries) != 1 {
		t.Fatalf("%d entries stored", len(entries))
	}
}
