package storage

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"time"
)

// State values stored with the next commit (SetStateSoon), for a value
// that only saves work when it is not lost: the Telegram update offset.

// soonWait bounds how long a SetStateSoon value waits for another
// write's commit before it is committed on its own.
const soonWait = 50 * time.Millisecond

// SetStateSoon stores value under key with the next commit, whatever
// write it holds, or on its own after soonWait, and returns at once; a
// later value for the key replaces one not stored yet. For a value that
// may be lost in a crash and only saves work when it is not (the Telegram
// update offset: the event ids keep a replayed batch from being stored
// twice), so that it costs no commit and fsync of its own. Close stores
// what is left.
func (db *DB) SetStateSoon(key, value string) {
	c := db.commits
	c.mu.Lock()
	if c.soon == nil {
		c.soon = map[string]string{}
	}
	c.soon[key] = value
	c.mu.Unlock()
	c.poke()
}

// takeSoon returns the state rows waiting for a commit.
func (c *committer) takeSoon() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.soon) == 0 {
		return nil
	}
	return maps.Clone(c.soon)
}

// writeSoon stores the rows in the transaction.
func (c *committer) writeSoon(ctx context.Context, tx *sql.Tx, rows map[string]string) error {
	for key, value := range rows {
		if _, err := tx.ExecContext(ctx, upsertState, key, value, formatTime(c.db.now())); err != nil {
			return fmt.Errorf("set state %s: %w", key, err)
		}
	}
	return nil
}

// storedSoon forgets the rows a commit stored, unless a newer value came.
func (c *committer) storedSoon(rows map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, value := range rows {
		if c.soon[key] == value {
			delete(c.soon, key)
		}
	}
}

// storeSoonAlone commits the SetStateSoon rows no other write took.
func (c *committer) storeSoonAlone() {
	if c.takeSoon() == nil {
		return
	}
	// A write of nothing: every transaction stores the rows (a failed one
	// leaves them for the next).
	nothing := &writeReq{ctx: context.Background(), fn: func(*sql.Tx) error { return nil }, keepCaches: true, done: make(chan struct{})}
	c.run([]*writeReq{nothing})
}
