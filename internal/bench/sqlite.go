package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wijkbv/wijkbot/storage"
)

// RawSQLite is the yardstick of the throughput scenario: single-row INSERT
// transactions on a fresh file with exactly the bot's DSN (WAL,
// synchronous=FULL, immediate transactions), from Workers goroutines at
// once as the bot's concurrent chats write, as fast as SQLite commits them.
type RawSQLite struct {
	Dir     string // where the database file goes
	Inserts int    // transactions in all
	Workers int    // goroutines writing at once
}

// Run returns the committed transactions per second.
func (r RawSQLite) Run(ctx context.Context) (float64, error) {
	path := filepath.Join(r.Dir, "raw.db")
	db, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE entries (
		id INTEGER PRIMARY KEY, chat TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("raw sqlite: %w", err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, r.Workers)
	start := time.Now()
	for w := range r.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(r.Inserts) {
				if err := insertOne(ctx, db, w); err != nil {
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
		return 0, fmt.Errorf("raw sqlite: %w", err)
	}
	return float64(r.Inserts) / elapsed.Seconds(), nil
}

func insertOne(ctx context.Context, db *sql.DB, w int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO entries (chat, text, created_at) VALUES (?, ?, ?)`,
		fmt.Sprint(-1000-w), "Gesprek met de woningcorporatie #vastgoed", time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	return tx.Commit()
}
