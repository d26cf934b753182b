// Package storage keeps wijkbot's data in SQLite (modernc.org/sqlite, no cgo)
// and implements commands.Store.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wijkbv/wijkbot/commands"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

var _ commands.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the wijkbot database. Its methods are safe for concurrent use, also
// with other processes that open the same file.
type DB struct {
	db *sql.DB

	// Now returns the time stored with every record; tests replace it.
	Now func() time.Time

	commits *committer     // runs every write (group commit)
	warming sync.WaitGroup // the pool's connections being opened (warm)

	damage atomic.Pointer[error] // what Verify found, for Health

	chats chatCache // what Chat read, until a write may have changed it

	lock *os.File // the shared lock on <db>-wijkbot.lock (openlock.go); nil where none
}

// dsnParams are set on every pooled connection (a one-off Exec would reach
// only one of them):
//   - foreign_keys: the schema's references are enforced.
//   - busy_timeout: a writer waits up to 5 s for another instead of failing
//     with SQLITE_BUSY.
//   - journal_mode WAL: readers never block the writer, nor it them.
//   - synchronous FULL: in WAL mode NORMAL survives a crash of the bot
//     (SIGKILL) but may lose the last commits on power loss or an OS crash.
//     The bot acknowledges a command only after its commit, and DESIGN.md
//     promises an acknowledged command is never lost, so we pay one fsync of
//     the WAL per commit. Write volume is a few commands a second at most.
//   - secure_delete: deleted and overwritten content is zeroed in the file,
//     so an erased name (/vergeetmij) is not left readable in free pages or
//     free space of a page. It costs writes of zeros, no extra reads (WAL).
//     The WAL still holds old page images until a checkpoint: ForgetPerson
//     and DeleteCheckinAnswersBefore checkpoint (TRUNCATE) after deleting.
//   - _txlock=immediate: a write transaction takes the write lock at BEGIN, so
//     two transactions never both read and then fail to upgrade (the
//     SQLITE_BUSY that busy_timeout cannot wait out). Read-only
//     transactions (sql.TxOptions.ReadOnly) still begin deferred.
const dsnParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=secure_delete(1)&_txlock=immediate"

// maxConns bounds the pooled connections (one of them the committer's).
const maxConns = 8

// DSN is the driver data source name Open uses for the file at path, with
// every pragma the bot runs with. Benchmarks open raw SQLite with it so the
// bot is compared with SQLite under the same durability settings.
func DSN(path string) string {
	return "file:" + path + "?" + dsnParams
}

// Open opens (creating if needed) the database file at path and applies any
// migrations not applied yet. The file and its -wal and -shm are readable by
// their owner only (0600), also when they existed with a wider mode.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		// Every pooled connection would get its own empty in-memory database.
		return nil, fmt.Errorf("open database: need a file path, got %q", path)
	}
	// Before anything touches the file: a restore may be putting another
	// one in its place (makePrivate would create an empty one meanwhile).
	lock, err := lockShared(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := makePrivate(path); err != nil {
		closeLock(lock)
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sdb, err := sql.Open(driverName, DSN(path))
	if err != nil {
		closeLock(lock)
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Keep the connections: opening one runs the pragmas and parses the
	// schema again, which under a burst of concurrent commands cost more
	// than the queries themselves. A few are enough, as writes go through
	// the committer one transaction at a time and a read takes microseconds.
	sdb.SetMaxOpenConns(maxConns)
	sdb.SetMaxIdleConns(maxConns)
	db := &DB{db: sdb, Now: time.Now, lock: lock}
	db.commits = newCommitter(db)
	if err := db.migrate(ctx); err != nil {
		db.commits.close()
		sdb.Close()
		closeLock(lock)
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.warm()
	return db, nil
}

// warm opens the pool's connections in the background after Open.
// Otherwise the first burst of concurrent commands after a start opened
// them (each runs the pragmas) while the people who sent them waited: 6 %
// of the CPU of the latency benchmark's burst of 200 interactions. It
// never makes anyone wait long: it takes a connection only when one is
// free or can be opened within warmWait, and gives them all back at once.
func (db *DB) warm() {
	db.warming.Add(1)
	go func() {
		defer db.warming.Done()
		var conns []*sql.Conn
		defer func() {
			for _, c := range conns {
				c.Close() // back to the pool, which keeps it
			}
		}()
		for range maxConns - 1 { // the committer takes the last one
			ctx, cancel := context.WithTimeout(context.Background(), warmWait)
			c, err := db.db.Conn(ctx)
			cancel()
			if err != nil {
				return // busy or closed: the pool opens the rest when needed
			}
			conns = append(conns, c)
		}
	}()
}

// warmWait bounds how long warm waits for one connection.
const warmWait = 50 * time.Millisecond

// Close finishes the writes already submitted and closes the database.
// The lock beside the file goes last, once no connection is left.
func (db *DB) Close() error {
	db.commits.close()
	db.warming.Wait()
	err := db.db.Close()
	closeLock(db.lock)
	return err
}

// closeLock releases a lock of lockShared or lockExclusive (nil: none).
func closeLock(f *os.File) {
	if f != nil {
		f.Close()
	}
}

// migrate applies the embedded migrations in name order, each in its own
// transaction together with its row in the migrations table, so a migration
// is applied entirely or not at all, and once, even when two processes open
// the same new file at the same time.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateOneRetrying(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// migrateOneRetrying applies one migration, waiting out SQLITE_BUSY. When two
// processes open the same new file at once, one may be switching it to WAL
// while the other begins; SQLite answers that with SQLITE_BUSY without
// consulting busy_timeout. It only happens at start-up, so a short bounded
// back-off is the simple remedy.
func (db *DB) migrateOneRetrying(ctx context.Context, name string) error {
	wait := 5 * time.Millisecond
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := db.migrateOne(ctx, name)
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// isBusy says whether err is SQLite's SQLITE_BUSY (also its extended codes).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// isForeignKey says whether err is SQLite's SQLITE_CONSTRAINT_FOREIGNKEY:
// a statement referring to a row that does not exist.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (db *DB) migrateOne(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("migration %s: check: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return fmt.Errorf("migration %s: read: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		name, formatTime(db.now())); err != nil {
		return fmt.Errorf("migration %s: record: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now().UTC()
	}
	return db.Now().UTC()
}

// write runs fn in an immediate transaction after recording the event ev,
// and returns once that transaction has committed (see commit.go: writes
// arriving together share a transaction). A duplicate event returns
// commands.ErrDuplicate and runs nothing; an error of fn rolls back fn's
// changes only. fn may run more than once (its batch runs again when
// another write of it fails; only the last run commits), so what it hands
// out of the transaction it must set, not add to.
//
// When fn's transaction ends, the caches of chats and people are dropped
// (chatcache.go, peoplecache.go): fn may have changed a chat or a person.
// writeKeepCaches is for writes that cannot.
func (db *DB) write(ctx context.Context, ev string, fn func(tx *sql.Tx) error) error {
	return db.commits.submit(ctx, ev, fn, false)
}

// writeKeepCaches is write for a write that changes no column Chat returns
// (chatColumns of the chats table) and no person other than through
// upsertPerson (which keeps the people cache itself), so the caches stay.
// Its SQL and the triggers it fires must not touch chats or people.
func (db *DB) writeKeepCaches(ctx context.Context, ev string, fn func(tx *sql.Tx) error) error {
	return db.commits.submit(ctx, ev, fn, true)
}

// read runs fn in one read-only (deferred) transaction, so a method that
// reads several tables sees one consistent snapshot without blocking writers.
func (db *DB) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// recordEvent stores the event id; ErrDuplicate if it was stored before.
func (db *DB) recordEvent(ctx context.Context, tx *sql.Tx, ev string) error {
	if ev == "" {
		return nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO processed_events (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
		ev, formatTime(db.now()))
	if err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record event: %w", err)
	} else if n == 0 {
		return commands.ErrDuplicate
	}
	return nil
}

// EventSeen reports whether a write for the event was already stored.
func (db *DB) EventSeen(ctx context.Context, ev string) (bool, error) {
	if ev == "" {
		return false, nil
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM processed_events WHERE id = ?`, ev).Scan(&n); err != nil {
		return false, fmt.Errorf("event seen: %w", err)
	}
	return n > 0, nil
}

// EventsSeen returns those of evs for which a write was already stored, in
// one query however many they are.
func (db *DB) EventsSeen(ctx context.Context, evs []string) (map[string]bool, error) {
	seen := map[string]bool{}
	if len(evs) == 0 {
		return seen, nil
	}
	list, err := json.Marshal(evs)
	if err != nil {
		return nil, fmt.Errorf("events seen: %w", err)
	}
	ids, err := queryAll(ctx, db.db, scanString,
		`SELECT id FROM processed_events WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("events seen: %w", err)
	}
	for _, id := range ids {
		seen[id] = true
	}
	return seen, nil
}

// State returns the value stored under key, "" when there is none. Adapters
// keep small bits of their own state here (the Telegram update offset).
func (db *DB) State(ctx context.Context, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("state %s: %w", key, err)
	}
	return v, nil
}

// upsertState stores a state row: key, value, time (SetState, and
// SetStateSoon's rows in the commit that takes them).
const upsertState = `INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`

// SetState stores value under key.
func (db *DB) SetState(ctx context.Context, key, value string) error {
	return db.writeKeepCaches(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, upsertState, key, value, formatTime(db.now())); err != nil {
			return fmt.Errorf("set state %s: %w", key, err)
		}
		return nil
	})
}
