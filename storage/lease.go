package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AcquireLease takes or renews the lease name for holder until now+ttl (now
// is db.Now). It succeeds when nobody holds the lease, holder already holds
// it, or the other holder's lease has expired; otherwise held is false and
// current names the holder. The check and the write are one immediate
// transaction, so two processes never both get it.
//
// The lease writes touch the leases table only (no trigger), so they keep
// the caches of chats and people (writeKeepCaches): the active bot renews
// every 5 s, and each renewal dropped every cached chat. Another
// process's commits are still noticed by the renewal's transaction
// (data_version, commit.go), as the chat cache relies on.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (held bool, current string, err error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, "", errors.New("acquire lease: need a name, a holder and a positive ttl")
	}
	err = db.writeKeepCaches(ctx, "", func(tx *sql.Tx) error {
		now := db.now()
		var expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT holder, expires_at FROM leases WHERE name = ?`, name).Scan(&current, scanTime(&expires))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case current != holder && now.Before(expires):
			return nil // someone else's, still valid
		}
		acquired := now
		if current == holder {
			// A renewal keeps the time the lease was first taken.
			if err := tx.QueryRowContext(ctx, `SELECT acquired_at FROM leases WHERE name = ?`, name).Scan(scanTime(&acquired)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
			name, holder, formatTime(acquired), formatTime(now.Add(ttl))); err != nil {
			return err
		}
		held, current = true, holder
		return nil
	})
	if err != nil {
		return false, "", fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return held, current, nil
}

// ReleaseLease gives the lease up if holder holds it, so a standby takes
// over at once instead of after the expiry.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return db.writeKeepCaches(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
			return fmt.Errorf("release lease %s: %w", name, err)
		}
		return nil
	})
}

// StealLease gives the lease name to holder if from still holds it, valid
// or not: for a holder known to be dead (a process of this machine that no
// longer exists), so its successor need not wait for the expiry.
func (db *DB) StealLease(ctx context.Context, name, from, holder string, ttl time.Duration) (bool, error) {
	var stolen bool
	err := db.writeKeepCaches(ctx, "", func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE leases SET holder = ?, acquired_at = ?, expires_at = ? WHERE name = ? AND holder = ?`,
			holder, formatTime(now), formatTime(now.Add(ttl)), name, from)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		stolen = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("steal lease %s: %w", name, err)
	}
	return stolen, nil
}
