package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

var _ commands.MeetingStore = (*DB)(nil)

// CreateMeeting stores m with the next number (Number, CreatedBy and
// CreatedAt are set).
func (db *DB) CreateMeeting(ctx context.Context, ev string, m *commands.Meeting, by commands.UserRef) error {
	now := db.now()
	var number int64
	var who author
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		var err error
		if who, err = db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO meetings (title, place, starts_at, created_by_id, created_by_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING number`,
			m.Title, m.Place, formatTime(m.StartsAt), who.id, who.name, formatTime(now)).Scan(&number); err != nil {
			return fmt.Errorf("create meeting: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	m.Number, m.CreatedBy, m.CreatedAt = number, who.name, now
	return nil
}

const meetingColumns = `number, title, place, starts_at, created_by_name, created_at`

func scanMeeting(row scanner) (commands.Meeting, error) {
	var m commands.Meeting
	err := row.Scan(&m.Number, &m.Title, &m.Place, scanTime(&m.StartsAt), &m.CreatedBy, scanTime(&m.CreatedAt))
	return m, err
}

const rsvpColumns = `r.meeting, r.person_name, COALESCE(r.collective_id, 0), COALESCE(c.name, ''), r.platform, r.chat_id, r.answer, r.updated_at`

func scanRSVP(row scanner) (commands.RSVP, error) {
	var r commands.RSVP
	err := row.Scan(&r.Meeting, &r.Name, &r.CollectiveID, &r.CollectiveName, &r.Chat.Platform, &r.Chat.ID, &r.Answer, scanTime(&r.UpdatedAt))
	return r, err
}

// withRSVPs fills each meeting's answers, ordered by collective, chat and name.
func withRSVPs(ctx context.Context, tx *sql.Tx, list []commands.Meeting) error {
	for i := range list {
		var err error
		list[i].RSVPs, err = queryAll(ctx, tx, scanRSVP, `SELECT `+rsvpColumns+` FROM meeting_rsvps r
			LEFT JOIN collectives c ON c.id = r.collective_id
			WHERE r.meeting = ? ORDER BY COALESCE(c.name, ''), r.platform, r.chat_id, r.person_name`, list[i].Number)
		if err != nil {
			return err
		}
	}
	return nil
}

func findMeeting(ctx context.Context, tx *sql.Tx, number int64) (*commands.Meeting, error) {
	m, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("meeting not found: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("meeting: %w", err)
	}
	list := []commands.Meeting{m}
	if err := withRSVPs(ctx, tx, list); err != nil {
		return nil, fmt.Errorf("meeting: %w", err)
	}
	return &list[0], nil
}

// Meeting returns the meeting with its answers. Returns ENOTFOUND.
func (db *DB) Meeting(ctx context.Context, number int64) (*commands.Meeting, error) {
	var m *commands.Meeting
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		m, err = findMeeting(ctx, tx, number)
		return err
	})
	return m, err
}

// MeetingInfo returns the meeting without its answers (RSVPs nil): what
// the scheduler asks every minute of a claimed reminder. Returns
// ENOTFOUND.
func (db *DB) MeetingInfo(ctx context.Context, number int64) (*commands.Meeting, error) {
	m, err := scanMeeting(db.db.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("meeting not found: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("meeting: %w", err)
	}
	return &m, nil
}

// Meetings returns the meetings starting at or after from, soonest first,
// with their answers.
func (db *DB) Meetings(ctx context.Context, from time.Time) ([]commands.Meeting, error) {
	var list []commands.Meeting
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanMeeting, `SELECT `+meetingColumns+` FROM meetings
			WHERE starts_at >= ? ORDER BY starts_at, number`, formatTime(from))
		if err != nil {
			return err
		}
		return withRSVPs(ctx, tx, list)
	})
	if err != nil {
		return nil, fmt.Errorf("meetings: %w", err)
	}
	return list, nil
}

// SetRSVP records or changes by's answer to the meeting, given in chat (the
// chat's collective, if any, is kept with it). Returns ENOTFOUND for an
// unknown meeting, EINVALID for an unknown answer or a user without an id.
func (db *DB) SetRSVP(ctx context.Context, ev string, number int64, chat commands.ChatRef, answer string, by commands.UserRef) (*commands.Meeting, error) {
	switch answer {
	case commands.RSVPYes, commands.RSVPMaybe, commands.RSVPNo:
	default:
		return nil, fmt.Errorf("bad answer: %w", commands.ErrInvalid)
	}
	var m *commands.Meeting
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		if !who.id.Valid {
			return fmt.Errorf("an answer needs a person: %w", commands.ErrInvalid)
		}
		if _, err := findMeeting(ctx, tx, number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_rsvps (meeting, person_id, person_name, collective_id, platform, chat_id, answer, updated_at)
			VALUES (?1, ?2, ?3, (SELECT collective_id FROM chats WHERE platform = ?4 AND chat_id = ?5), ?4, ?5, ?6, ?7)
			ON CONFLICT (meeting, person_id) DO UPDATE SET person_name = excluded.person_name,
				collective_id = excluded.collective_id, platform = excluded.platform, chat_id = excluded.chat_id,
				answer = excluded.answer, updated_at = excluded.updated_at`,
			number, who.id, who.name, chat.Platform, chat.ID, answer, formatTime(db.now())); err != nil {
			return fmt.Errorf("set rsvp: %w", err)
		}
		m, err = findMeeting(ctx, tx, number)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ReminderChats returns the active chats with at least one "ja" or
// "misschien" for the meeting, each once.
func (db *DB) ReminderChats(ctx context.Context, number int64) ([]commands.Chat, error) {
	list, err := queryAll(ctx, db.db, scanChat, `SELECT `+chatColumns+` FROM chats
		WHERE active = 1 AND (platform, chat_id) IN (SELECT platform, chat_id FROM meeting_rsvps
			WHERE meeting = ? AND answer IN ('ja', 'misschien'))
		ORDER BY platform, chat_id`, number)
	if err != nil {
		return nil, fmt.Errorf("reminder chats: %w", err)
	}
	return list, nil
}

// MeetingRemindersDue returns the meetings starting in [from, until] whose
// reminder was not claimed yet, soonest first, without their answers. It
// reads a range of meetings_starts and looks each key up in scheduler_sends
// (TestMeetingRemindersDuePlan): the past meetings and those further
// ahead are not read, and no answer is.
func (db *DB) MeetingRemindersDue(ctx context.Context, from, until time.Time) ([]commands.Meeting, error) {
	list, err := queryAll(ctx, db.db, scanMeeting, meetingRemindersDueSQL,
		formatTime(from), formatTime(until), commands.SendMeetingReminder)
	if err != nil {
		return nil, fmt.Errorf("meeting reminders due: %w", err)
	}
	return list, nil
}

// meetingRemindersDueSQL is MeetingRemindersDue's statement (?1 from, ?2
// until, ?3 commands.SendMeetingReminder, the key's prefix).
const meetingRemindersDueSQL = `SELECT ` + meetingColumns + ` FROM meetings m
	WHERE m.starts_at >= ?1 AND m.starts_at <= ?2
	AND NOT EXISTS (SELECT 1 FROM scheduler_sends s WHERE s.key = ?3 || ':' || m.number)
	ORDER BY m.starts_at, m.number`
