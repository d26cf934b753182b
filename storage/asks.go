package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// SaveAsk records that the bot's message messageID in chat asks user for
// the text that completes line (a button's command line), until expires.
// Questions that expired are deleted on the way.
func (db *DB) SaveAsk(ctx context.Context, chat commands.ChatRef, messageID string, user commands.UserRef, line string, expires time.Time) error {
	now := formatTime(db.now())
	return db.write(ctx, "", func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, user)
		if err != nil {
			return err
		}
		if !who.id.Valid {
			return errors.New("save ask: no person")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM text_asks WHERE expires_at <= ?`, now); err != nil {
			return fmt.Errorf("save ask: expire: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO text_asks (platform, chat_id, message_id, person_id, line, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET
				person_id = excluded.person_id, line = excluded.line,
				created_at = excluded.created_at, expires_at = excluded.expires_at`,
			chat.Platform, chat.ID, messageID, who.id, line, now, formatTime(expires)); err != nil {
			return fmt.Errorf("save ask: %w", err)
		}
		return nil
	})
}

// Ask returns who may answer the question message messageID in chat and
// the command line their text completes; found is false when there is no
// such question (never asked, answered, expired, or its person erased).
func (db *DB) Ask(ctx context.Context, chat commands.ChatRef, messageID string) (user commands.UserRef, line string, found bool, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT p.platform, p.user_id, p.name, a.line
		FROM text_asks a JOIN people p ON p.id = a.person_id
		WHERE a.platform = ? AND a.chat_id = ? AND a.message_id = ? AND a.expires_at > ?`,
		chat.Platform, chat.ID, messageID, formatTime(db.now())).Scan(&user.Platform, &user.ID, &user.Name, &line)
	if errors.Is(err, sql.ErrNoRows) {
		return commands.UserRef{}, "", false, nil
	} else if err != nil {
		return commands.UserRef{}, "", false, fmt.Errorf("ask: %w", err)
	}
	return user, line, true, nil
}

// DeleteAsk forgets the question message messageID in chat (it was
// answered); deleting one that is gone is no error.
func (db *DB) DeleteAsk(ctx context.Context, chat commands.ChatRef, messageID string) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM text_asks WHERE platform = ? AND chat_id = ? AND message_id = ?`,
			chat.Platform, chat.ID, messageID); err != nil {
			return fmt.Errorf("delete ask: %w", err)
		}
		return nil
	})
}
