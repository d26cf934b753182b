package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// entryText and entryThemes are the row every storage scenario writes.
const entryText = "Gesprek met de woningcorporatie #vastgoed #energie"

var entryThemes = []string{"vastgoed", "energie"}

// StoreWrites is the store alone under the throughput scenario's
// concurrency: Writers goroutines (one per chat) each add PerWriter
// progress entries through storage.DB.AddEntry, as the runtime does for
// /voortgang, with no platform in between. The group commit batches what
// arrives together; the result says how well.
type StoreWrites struct {
	Dir       string
	Writers   int
	PerWriter int
}

// StoreResult is one StoreWrites run.
type StoreResult struct {
	PerSec  float64 // writes a second
	Writes  int64   // writes committed
	Commits int64   // transactions (fsyncs) they took
	Stored  int     // entries counted in the database afterwards
}

// MeanBatch is the writes per commit the group commit achieved.
func (r StoreResult) MeanBatch() float64 {
	if r.Commits == 0 {
		return 0
	}
	return float64(r.Writes) / float64(r.Commits)
}

// Run adds the entries and counts them back.
func (s StoreWrites) Run(ctx context.Context) (res StoreResult, err error) {
	path := filepath.Join(s.Dir, "store.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return res, err
	}
	defer db.Close()
	ids, err := Seed{Collectives: s.Writers}.Run(ctx, db, path)
	if err != nil {
		return res, err
	}
	commits0, writes0 := db.CommitStats()
	var wg sync.WaitGroup
	errs := make(chan error, s.Writers)
	start := time.Now()
	for w, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			by := commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(10_000 + w), Name: "Lid"}
			for k := range s.PerWriter {
				e := &commands.Entry{CollectiveID: id, Text: entryText, Themes: entryThemes, Source: commands.Telegram}
				if err := db.AddEntry(ctx, fmt.Sprintf("bench:%d:%d", w, k), e, by); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return res, fmt.Errorf("store writes: %w", err)
	}
	commits, writes := db.CommitStats()
	res.Commits, res.Writes = commits-commits0, writes-writes0
	for _, id := range ids {
		es, err := db.Entries(ctx, id, 0)
		if err != nil {
			return res, err
		}
		res.Stored += len(es)
	}
	if want := s.Writers * s.PerWriter; res.Stored != want || res.Writes != int64(want) {
		return res, fmt.Errorf("store writes: %d stored, %d written, want %d", res.Stored, res.Writes, want)
	}
	res.PerSec = float64(res.Writes) / elapsed.Seconds()
	return res, nil
}

// BatchedSQLite is the storage yardstick: the rows StoreWrites' entries
// make (the event id, the entry, its two themes), inserted with plain
// statements on one connection in transactions of Batch entries — the mean
// batch the group commit achieved — on a database with the bot's schema
// and exactly its DSN (WAL, synchronous=FULL). It is SQLite doing the same
// durable work with the same number of fsyncs, minus the store's own
// overhead (savepoints, the person and collective look-ups, Go's
// scheduling of concurrent callers).
type BatchedSQLite struct {
	Dir   string
	Rows  int     // entries in all
	Batch float64 // entries per transaction (rounded, at least 1)
}

// BatchedResult is one BatchedSQLite run.
type BatchedResult struct {
	PerSec  float64 // entries a second
	Commits int     // transactions
	Stored  int     // entries counted afterwards
}

// Run inserts the rows and counts them back.
func (r BatchedSQLite) Run(ctx context.Context) (res BatchedResult, err error) {
	path := filepath.Join(r.Dir, "batched.db")
	sdb, err := storage.Open(ctx, path) // the schema, migrations and all
	if err != nil {
		return res, err
	}
	ids, err := Seed{Collectives: 1}.Run(ctx, sdb, path)
	sdb.Close()
	if err != nil {
		return res, err
	}
	db, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return res, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var author int64
	if err := db.QueryRowContext(ctx, `SELECT id FROM people LIMIT 1`).Scan(&author); err != nil {
		return res, fmt.Errorf("batched sqlite: %w", err)
	}
	batch := max(1, int(math.Round(r.Batch)))
	now := timeText(time.Now())
	start := time.Now()
	for done := 0; done < r.Rows; {
		n := min(batch, r.Rows-done)
		if err := insertBatch(ctx, db, done, n, ids[0], author, now); err != nil {
			return res, fmt.Errorf("batched sqlite: %w", err)
		}
		done += n
		res.Commits++
	}
	elapsed := time.Since(start)
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM entries`).Scan(&res.Stored); err != nil {
		return res, err
	}
	if res.Stored != r.Rows {
		return res, fmt.Errorf("batched sqlite: %d entries stored, want %d", res.Stored, r.Rows)
	}
	res.PerSec = float64(r.Rows) / elapsed.Seconds()
	return res, nil
}

func insertBatch(ctx context.Context, db *sql.DB, from, n int, collective, author int64, now string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := from; i < from+n; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO processed_events (id, at) VALUES (?, ?)`, fmt.Sprintf("raw:%d", i), now); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO entries (collective_id, text, milestone, author_id, author_name, source, created_at)
			VALUES (?, ?, 0, ?, 'Lid', 'telegram', ?) RETURNING id`, collective, entryText, author, now).Scan(&id); err != nil {
			return err
		}
		for p, theme := range entryThemes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO entry_themes (entry_id, position, theme) VALUES (?, ?, ?)`, id, p, theme); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}
