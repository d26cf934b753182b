package storage

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// The people cache (peoplecache.go) must never hand a write a people row
// that is not the committed one: each test below fails when it does,
// mostly on the entry's foreign key to a person that does not exist.

// addEntryBy stores a progress entry by who in the collective.
func addEntryBy(ctx context.Context, db *DB, ev string, collectiveID int64, who commands.UserRef) error {
	e := &commands.Entry{CollectiveID: collectiveID, Text: "Stap", Source: commands.Telegram}
	return db.AddEntry(ctx, ev, e, who)
}

// entryAuthors are the entries' (author name, author's people name) from
// the oldest; a person that does not exist shows as "?".
func entryAuthors(t *testing.T, db *DB) []string {
	t.Helper()
	return column(t, db, `SELECT e.author_name || '/' || COALESCE(p.name, '?') FROM entries e
		LEFT JOIN people p ON p.id = e.author_id ORDER BY e.id`)
}

func TestPeopleCacheRolledBackPerson(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	// A new person's write fails after upsertPerson created them: the
	// transaction is rolled back, person and all.
	wantCode(t, addEntryBy(ctx, db, "", noord.ID+100, bram), commands.ENOTFOUND)
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
		t.Fatalf("a write by the person after the rolled-back one: %v", err)
	}
	if got := entryAuthors(t, db); len(got) != 1 || got[0] != "Bram/Bram" {
		t.Fatalf("entries by %v, want [Bram/Bram]", got)
	}
}

func TestPeopleCacheErasure(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	for i := range 2 {
		if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
			t.Fatal(i, err)
		}
	}
	if err := db.ForgetPerson(ctx, "", bram); err != nil {
		t.Fatal(err)
	}
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
		t.Fatalf("a write by a person after /vergeetmij: %v", err)
	}
	got := entryAuthors(t, db)
	if want := []string{commands.ErasedAuthor + "/?", commands.ErasedAuthor + "/?", "Bram/Bram"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("entries by %v, want %v", got, want)
	}
}

// TestPeopleCacheErasureInTheSameBatch: /vergeetmij and a write by the
// same person committed together; the write after the erasure in that
// transaction must not use the person as cached before it.
func TestPeopleCacheErasureInTheSameBatch(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
		t.Fatal(err)
	}
	inOneBatch(t, db,
		func() error { return db.ForgetPerson(ctx, "", bram) },
		func() error { return addEntryBy(ctx, db, "", noord.ID, bram) })
	got := entryAuthors(t, db)
	if want := []string{commands.ErasedAuthor + "/?", "Bram/Bram"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("entries by %v, want %v", got, want)
	}
}

// TestPeopleCacheRenameInTheSameBatch: a person writes under a new name
// and then under the old one, both in one transaction: the second
// renames them back, as it does without a cache.
func TestPeopleCacheRenameInTheSameBatch(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil { // cached as Bram
		t.Fatal(err)
	}
	renamed := bram
	renamed.Name = "Bram B"
	inOneBatch(t, db,
		func() error { return addEntryBy(ctx, db, "", noord.ID, renamed) },
		func() error { return addEntryBy(ctx, db, "", noord.ID, bram) })
	if got := column(t, db, `SELECT name FROM people WHERE user_id = ?`, bram.ID); len(got) != 1 || got[0] != "Bram" {
		t.Fatalf("people name %v, want [Bram]", got)
	}
	if got, want := entryAuthors(t, db), []string{"Bram/Bram", "Bram B/Bram", "Bram/Bram"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("entries by %v, want %v", got, want)
	}
}

// TestPeopleCacheChangedElsewhere: another process renamed the person;
// the next write notices (PRAGMA data_version) and writes the name back
// as it would without a cache.
func TestPeopleCacheChangedElsewhere(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
		t.Fatal(err)
	}
	other := openOther(t, db)
	if _, err := other.Exec(`UPDATE people SET name = 'Iemand' WHERE user_id = ?`, bram.ID); err != nil {
		t.Fatal(err)
	}
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
		t.Fatal(err)
	}
	if got := column(t, db, `SELECT name FROM people WHERE user_id = ?`, bram.ID); len(got) != 1 || got[0] != "Bram" {
		t.Fatalf("people name %v, want [Bram]", got)
	}
}

// TestPeopleCacheUsed: a known person's next write finds them in the
// cache (the point of it).
func TestPeopleCacheUsed(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil {
		t.Fatal(err)
	}
	// Read in the committer's goroutine, where the cache lives.
	var cached author
	var ok bool
	if err := db.writeKeepCaches(ctx, "", func(*sql.Tx) error {
		cached, ok = db.commits.person(bram)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !ok || cached.name != "Bram" || !cached.id.Valid {
		t.Fatalf("cached %+v, %v", cached, ok)
	}
}

// inOneBatch runs writes in one transaction of the group commit, in the
// order given: each is queued behind a held committer (one that keeps the
// caches, so the batch starts from them as they are) before the next, then
// all are released together. Every write must succeed.
func inOneBatch(t *testing.T, db *DB, writes ...func() error) {
	t.Helper()
	release := holdCommitterKeeping(t, db)
	errs := make(chan error, len(writes))
	for i, w := range writes {
		go func() { errs <- w() }()
		waitQueued(t, db, i+1)
	}
	release()
	for range writes {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// holdCommitterKeeping is holdCommitter with a write that keeps the caches
// (holdCommitter's would drop them when it ends).
func holdCommitterKeeping(t *testing.T, db *DB) (release func()) {
	t.Helper()
	return holdCommitterWith(t, db.writeKeepCaches)
}

// TestPeopleCacheWriteChangingPeople: a write that may change people
// itself (any write but writeKeepCaches) and then looks a person up must
// find them as it left them, not as cached.
func TestPeopleCacheWriteChangingPeople(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	if err := addEntryBy(ctx, db, "", noord.ID, bram); err != nil { // cached as Bram
		t.Fatal(err)
	}
	var who author
	err := db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE people SET name = 'Iemand' WHERE user_id = ?`, bram.ID); err != nil {
			return err
		}
		var err error
		who, err = db.upsertPerson(ctx, tx, bram)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := column(t, db, `SELECT name FROM people WHERE user_id = ?`, bram.ID); len(got) != 1 || got[0] != "Bram" || who.name != "Bram" {
		t.Fatalf("people name %v, upsertPerson gave %q; want Bram", got, who.name)
	}
}
