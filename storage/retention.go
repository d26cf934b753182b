package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DeleteCheckinAnswersBefore deletes the check-in answers given before
// cutoff (WIJKBOT_CHECKIN_RETENTION) and returns how many it deleted. The
// rounds themselves stay: that a check-in was posted is no personal data.
func (db *DB) DeleteCheckinAnswersBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, "", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM checkin_answers WHERE created_at < ?`, formatTime(cutoff))
		if err != nil {
			return fmt.Errorf("delete old check-in answers: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
