package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

var _ commands.WebStore = (*DB)(nil)

// CreateLogin stores a login link's token hash for by, asked in chat,
// usable until expires. Logins and sessions that expired are deleted on the
// way, so the tables hold only what can still be used.
func (db *DB) CreateLogin(ctx context.Context, ev string, hash []byte, chat commands.ChatRef, by commands.UserRef, expires time.Time) error {
	now := formatTime(db.now())
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		if !who.id.Valid {
			return fmt.Errorf("create login: no person")
		}
		for _, q := range []string{`DELETE FROM web_login_tokens WHERE expires_at <= ?`, `DELETE FROM web_sessions WHERE expires_at <= ?`} {
			if _, err := tx.ExecContext(ctx, q, now); err != nil {
				return fmt.Errorf("create login: expire: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO web_login_tokens (hash, person_id, platform, chat_id, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, hash, who.id, chat.Platform, chat.ID, now, formatTime(expires)); err != nil {
			return fmt.Errorf("create login: %w", err)
		}
		return nil
	})
}

// RedeemLogin uses the login once and starts a session, in one
// transaction: of two requests with the same link only one gets a session.
// Returns ENOTFOUND for an unknown, used or expired login.
func (db *DB) RedeemLogin(ctx context.Context, hash, sessionHash []byte, now, sessionExpires time.Time) (*commands.WebSession, error) {
	s := &commands.WebSession{CreatedAt: now.UTC(), ExpiresAt: sessionExpires.UTC()}
	err := db.write(ctx, "", func(tx *sql.Tx) error {
		var person int64
		err := tx.QueryRowContext(ctx, `UPDATE web_login_tokens SET used_at = ?1
			WHERE hash = ?2 AND used_at IS NULL AND expires_at > ?1
			RETURNING person_id, platform, chat_id`, formatTime(now), hash).Scan(&person, &s.Chat.Platform, &s.Chat.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("login unknown, used or expired: %w", commands.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("redeem login: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO web_sessions (hash, person_id, platform, chat_id, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, sessionHash, person, s.Chat.Platform, s.Chat.ID, formatTime(now), formatTime(sessionExpires)); err != nil {
			return fmt.Errorf("redeem login: session: %w", err)
		}
		return tx.QueryRowContext(ctx, `SELECT platform, user_id, name FROM people WHERE id = ?`, person).
			Scan(&s.User.Platform, &s.User.ID, &s.User.Name)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// WebSession returns the session if it has not expired at now.
// Returns ENOTFOUND otherwise.
func (db *DB) WebSession(ctx context.Context, hash []byte, now time.Time) (*commands.WebSession, error) {
	var s commands.WebSession
	err := db.db.QueryRowContext(ctx, `SELECT p.platform, p.user_id, p.name, s.platform, s.chat_id, s.created_at, s.expires_at
		FROM web_sessions s JOIN people p ON p.id = s.person_id
		WHERE s.hash = ? AND s.expires_at > ?`, hash, formatTime(now)).
		Scan(&s.User.Platform, &s.User.ID, &s.User.Name, &s.Chat.Platform, &s.Chat.ID, scanTime(&s.CreatedAt), scanTime(&s.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no session: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("web session: %w", err)
	}
	return &s, nil
}

// EndWebSession ends one session; an unknown one is fine.
func (db *DB) EndWebSession(ctx context.Context, hash []byte) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE hash = ?`, hash); err != nil {
			return fmt.Errorf("end web session: %w", err)
		}
		return nil
	})
}

// EndWebSessions ends every session and unused login of the person and
// returns how many sessions ended.
func (db *DB) EndWebSessions(ctx context.Context, ev string, user commands.UserRef) (int, error) {
	var n int64
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		id, ok, err := personID(ctx, tx, user)
		if err != nil || !ok {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE person_id = ?`, id)
		if err != nil {
			return fmt.Errorf("end web sessions: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return fmt.Errorf("end web sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM web_login_tokens WHERE person_id = ?`, id); err != nil {
			return fmt.Errorf("end web logins: %w", err)
		}
		return nil
	})
	return int(n), err
}

// Introductions counts the collective's accepted sparring invitations,
// asked or answered, on their indexes (introductionsSQL).
func (db *DB) Introductions(ctx context.Context, collectiveID int64) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT `+introductionsSQL, collectiveID).Scan(&n); err != nil {
		return 0, fmt.Errorf("introductions: %w", err)
	}
	return n, nil
}
