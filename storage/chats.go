package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/wijkbv/wijkbot/commands"
)

const chatColumns = `platform, chat_id, title, kind, collective_id, lang, active, owner_id`

func scanChat(row scanner) (commands.Chat, error) {
	var c commands.Chat
	var coll sql.NullInt64
	var lang string
	err := row.Scan(&c.Ref.Platform, &c.Ref.ID, &c.Title, &c.Kind, &coll, &lang, &c.Active, &c.Owner)
	c.CollectiveID = coll.Int64
	c.Lang = commands.Lang(lang)
	c.Stored = err == nil
	return c, err
}

// chatSQL finds a chat on its key (TestMixedLoadPlansUseIndexes).
const chatSQL = `SELECT ` + chatColumns + ` FROM chats WHERE platform = ? AND chat_id = ?`

// findChat returns the stored chat, or one with Kind "" if it is unknown.
func findChat(ctx context.Context, q rowQuerier, ref commands.ChatRef) (*commands.Chat, bool, error) {
	c, err := scanChat(q.QueryRowContext(ctx, chatSQL, ref.Platform, ref.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return &commands.Chat{Ref: ref, Active: true}, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("find chat: %w", err)
	}
	return &c, true, nil
}

// Chat returns the chat; an unknown chat is returned with Kind "", Active
// (it just sent something) and no error.
// Chats are cached (chatcache.go) until the next write that may change one.
func (db *DB) Chat(ctx context.Context, ref commands.ChatRef) (*commands.Chat, error) {
	now := db.now()
	if c, ok := db.chats.get(ref, now); ok {
		return &c, nil
	}
	gen := db.chats.gen.Load() // before the query: see chatCache.put
	// One statement sees one snapshot by itself: a transaction around it
	// (BEGIN, COMMIT) cost two more trips through the pool on every command.
	c, _, err := findChat(ctx, db.db, ref)
	if err != nil {
		return nil, err
	}
	db.chats.put(ref, *c, gen, now)
	return c, nil
}

// saveChat creates or updates the chat with its kind and collective. A chat
// that sends a command is active; an empty title keeps the known one.
func (db *DB) saveChat(ctx context.Context, tx *sql.Tx, ref commands.ChatRef, title, kind string, collectiveID sql.NullInt64) error {
	now := formatTime(db.now())
	_, err := tx.ExecContext(ctx, `INSERT INTO chats (platform, chat_id, title, kind, collective_id, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (platform, chat_id) DO UPDATE SET
			title = CASE WHEN excluded.title = '' THEN chats.title ELSE excluded.title END,
			kind = excluded.kind, collective_id = excluded.collective_id,
			active = 1, updated_at = excluded.updated_at`,
		ref.Platform, ref.ID, title, kind, collectiveID, now, now)
	if err != nil {
		return fmt.Errorf("save chat: %w", err)
	}
	return nil
}

// LinkChat links the chat to the collective with the code (compared
// case-insensitively). Relinking a collective's chat to another collective
// is allowed. Returns ENOTFOUND for an unknown code, ECONFLICT for a staff chat.
func (db *DB) LinkChat(ctx context.Context, ev string, ref commands.ChatRef, title, code string, by commands.UserRef) (*commands.Collective, error) {
	var c *commands.Collective
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		var err error
		c, err = findCollective(ctx, tx, `code = ?`, strings.ToUpper(strings.TrimSpace(code)))
		if err != nil {
			return err
		}
		chat, _, err := findChat(ctx, tx, ref)
		if err != nil {
			return err
		}
		if chat.Kind == commands.ChatStaff {
			return fmt.Errorf("chat is a staff chat: %w", commands.ErrConflict)
		}
		return db.saveChat(ctx, tx, ref, title, commands.ChatCollective, sql.NullInt64{Int64: c.ID, Valid: true})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UnlinkChat takes the chat's link to its collective away; the chat stays
// known (title, language) as an unlinked chat. Returns ENOTFOUND if it is
// not linked to a collective.
func (db *DB) UnlinkChat(ctx context.Context, ev string, ref commands.ChatRef, by commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE chats SET kind = '', collective_id = NULL, updated_at = ?
			WHERE platform = ? AND chat_id = ? AND kind = 'collective'`, formatTime(db.now()), ref.Platform, ref.ID)
		if err != nil {
			return fmt.Errorf("unlink chat: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("unlink chat: %w", err)
		} else if n == 0 {
			return fmt.Errorf("unlink chat: not linked: %w", commands.ErrNotFound)
		}
		return nil
	})
}

// AddStaffChat makes the chat a staff chat.
// Returns ECONFLICT if the chat is linked to a collective.
func (db *DB) AddStaffChat(ctx context.Context, ev string, ref commands.ChatRef, title string, by commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		chat, _, err := findChat(ctx, tx, ref)
		if err != nil {
			return err
		}
		if chat.Kind == commands.ChatCollective {
			return fmt.Errorf("chat is linked to a collective: %w", commands.ErrConflict)
		}
		return db.saveChat(ctx, tx, ref, title, commands.ChatStaff, sql.NullInt64{})
	})
}

// StaffChats returns the active staff chats.
func (db *DB) StaffChats(ctx context.Context) ([]commands.Chat, error) {
	var chats []commands.Chat
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		chats, err = queryAll(ctx, tx, scanChat, `SELECT `+chatColumns+` FROM chats
			WHERE kind = 'staff' AND active = 1 ORDER BY created_at, platform, chat_id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("staff chats: %w", err)
	}
	return chats, nil
}

// CollectiveChats returns the collective's active chats.
func (db *DB) CollectiveChats(ctx context.Context, collectiveID int64) ([]commands.Chat, error) {
	var chats []commands.Chat
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		chats, err = queryAll(ctx, tx, scanChat, `SELECT `+chatColumns+` FROM chats
			WHERE kind = 'collective' AND collective_id = ? AND active = 1 ORDER BY created_at, platform, chat_id`, collectiveID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("collective chats: %w", err)
	}
	return chats, nil
}

// SetChatLang sets the chat's language ("" for the programme default).
func (db *DB) SetChatLang(ctx context.Context, ev string, ref commands.ChatRef, lang commands.Lang) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		return db.setChatLang(ctx, tx, ref, lang, "")
	})
}

// SetPrivateChatLang sets the language of the owner's one-to-one chat with
// the bot and records whose chat it is, so that /vergeetmij deletes it and
// /mijngegevens shows it. A chat whose id is the owner's own (Telegram)
// is found by that id (see chats.title in Personal) and gets no owner.
func (db *DB) SetPrivateChatLang(ctx context.Context, ev string, ref commands.ChatRef, lang commands.Lang, owner commands.UserRef) error {
	if owner.Platform != ref.Platform || owner.ID == ref.ID {
		owner.ID = ""
	}
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		return db.setChatLang(ctx, tx, ref, lang, owner.ID)
	})
}

// SetPrivateChatOwner records owner as the person whose one-to-one chat
// with the bot the stored chat is, where it has none: a DM whose language
// was set before migration 082 by someone who is no expert was stored
// without one, and /vergeetmij could not find it. The person writing in a
// one-to-one chat is the one it belongs to. A chat the store does not keep
// gets no row (there is nothing to erase), and a chat whose id is the
// owner's own (Telegram) needs no owner; nor does a linked or staff chat,
// which is not the person's.
func (db *DB) SetPrivateChatOwner(ctx context.Context, ref commands.ChatRef, owner commands.UserRef) error {
	if owner.Platform != ref.Platform || owner.ID == ref.ID || owner.ID == "" {
		return nil
	}
	return db.write(ctx, "", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE chats SET owner_id = ?, updated_at = ?
			WHERE platform = ? AND chat_id = ? AND owner_id = '' AND kind = ''`,
			owner.ID, formatTime(db.now()), ref.Platform, ref.ID)
		if err != nil {
			return fmt.Errorf("set private chat owner: %w", err)
		}
		return nil
	})
}

// setChatLang stores the chat's language, and the owner ("" for none) if
// the chat has none yet: a one-to-one chat has one person for good.
func (db *DB) setChatLang(ctx context.Context, tx *sql.Tx, ref commands.ChatRef, lang commands.Lang, owner string) error {
	now := formatTime(db.now())
	_, err := tx.ExecContext(ctx, `INSERT INTO chats (platform, chat_id, lang, owner_id, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (platform, chat_id) DO UPDATE SET lang = excluded.lang,
			owner_id = CASE WHEN chats.owner_id = '' THEN excluded.owner_id ELSE chats.owner_id END,
			active = 1, updated_at = excluded.updated_at`,
		ref.Platform, ref.ID, string(lang), owner, now, now)
	if err != nil {
		return fmt.Errorf("set chat lang: %w", err)
	}
	return nil
}

// SetChatActive records whether the bot is still in the chat (adapters call it
// when the bot is removed or added back). An unknown chat is left alone.
func (db *DB) SetChatActive(ctx context.Context, ref commands.ChatRef, active bool) error {
	return db.write(ctx, "", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE chats SET active = ?, updated_at = ? WHERE platform = ? AND chat_id = ?`,
			active, formatTime(db.now()), ref.Platform, ref.ID)
		if err != nil {
			return fmt.Errorf("set chat active: %w", err)
		}
		return nil
	})
}

// MoveChat gives the chat from a new id, keeping its link, title and
// language: Telegram turns a group into a supergroup with a new chat id.
// Moving an unknown chat (or moving twice) does nothing. An unlinked chat
// already stored under the new id is replaced. Returns ECONFLICT if the new
// id is already a linked or staff chat.
func (db *DB) MoveChat(ctx context.Context, from, to commands.ChatRef) error {
	if from == to {
		return nil
	}
	return db.write(ctx, "", func(tx *sql.Tx) error {
		_, ok, err := findChat(ctx, tx, from)
		if err != nil || !ok {
			return err
		}
		dst, ok, err := findChat(ctx, tx, to)
		if err != nil {
			return err
		}
		if ok && dst.Kind != "" {
			return fmt.Errorf("target chat is already linked: %w", commands.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM chats WHERE platform = ? AND chat_id = ?`, to.Platform, to.ID); err != nil {
			return fmt.Errorf("move chat: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET platform = ?, chat_id = ?, updated_at = ? WHERE platform = ? AND chat_id = ?`,
			to.Platform, to.ID, formatTime(db.now()), from.Platform, from.ID); err != nil {
			return fmt.Errorf("move chat: %w", err)
		}
		return nil
	})
}
