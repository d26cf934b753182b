package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/wijkbv/wijkbot/commands"
)

// RenewCode gives the collective a new link code; the old one stops
// working at once, chats already linked stay linked. Returns ENOTFOUND if
// the collective does not exist, ECONFLICT if another collective has code.
func (db *DB) RenewCode(ctx context.Context, ev string, collectiveID int64, code string, by commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collectives WHERE code = ? AND id <> ?`, code, collectiveID).Scan(&n); err != nil {
			return fmt.Errorf("renew link code: %w", err)
		} else if n > 0 {
			return fmt.Errorf("link code taken: %w", commands.ErrConflict)
		}
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE collectives SET code = ? WHERE id = ?`, code, collectiveID)
		if err != nil {
			return fmt.Errorf("renew link code: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("renew link code: %w", err)
		} else if n == 0 {
			return fmt.Errorf("collective not found: %w", commands.ErrNotFound)
		}
		return nil
	})
}
