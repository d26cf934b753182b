package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

var _ commands.SparringStore = (*DB)(nil)

// Weights of the evidence that a collective knows a theme (SparSuggestions).
// A milestone says more than an entry, a shared lesson more than both: it
// is experience the collective chose to pass on.
const (
	weightEntry     = 1.0
	weightMilestone = 2.0
	weightLesson    = 3.0
	// activityWindow: a collective active this recently gets a small bonus,
	// so of two with the same evidence the one that is still busy comes first.
	activityWindow = 30 * 24 * time.Hour
	weightActive   = 0.5
)

// SparSuggestions returns up to limit collectives other than collectiveID
// with evidence of the theme (entries, milestones, shared lessons), best
// first; recent activity breaks ties, then the name.
func (db *DB) SparSuggestions(ctx context.Context, collectiveID int64, theme string, limit int) ([]commands.SparSuggestion, error) {
	theme = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(theme), "#"))
	var list []commands.SparSuggestion
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		list, err = queryAll(ctx, tx, func(row scanner) (commands.SparSuggestion, error) {
			var s commands.SparSuggestion
			err := row.Scan(&s.Collective.ID, &s.Collective.Name, &s.Collective.Code, &s.Collective.Schedule,
				scanTime(&s.Collective.PausedUntil), scanTime(&s.Collective.CreatedAt),
				&s.Entries, &s.Milestones, &s.Lessons, scanTime(&s.LastActivity))
			return s, err
		}, `WITH ev AS (
				SELECT c.id,
					(SELECT COUNT(DISTINCT e.id) FROM entries e JOIN entry_themes t ON t.entry_id = e.id
						WHERE e.collective_id = c.id AND t.theme = ?1 AND e.milestone = 0) AS entries,
					(SELECT COUNT(DISTINCT e.id) FROM entries e JOIN entry_themes t ON t.entry_id = e.id
						WHERE e.collective_id = c.id AND t.theme = ?1 AND e.milestone = 1) AS milestones,
					(SELECT COUNT(DISTINCT l.number) FROM lessons l JOIN lesson_themes t ON t.lesson = l.number
						WHERE l.collective_id = c.id AND t.theme = ?1 AND l.sharing = 'network') AS lessons,
					MAX(COALESCE((SELECT MAX(created_at) FROM entries WHERE collective_id = c.id), ''),
						COALESCE((SELECT MAX(created_at) FROM lessons WHERE collective_id = c.id), '')) AS last
				FROM collectives c WHERE c.id <> ?2)
			SELECT c.id, c.name, c.code, c.schedule, c.paused_until, c.created_at,
				ev.entries, ev.milestones, ev.lessons, NULLIF(ev.last, '')
			FROM ev JOIN collectives c ON c.id = ev.id
			WHERE ev.entries + ev.milestones + ev.lessons > 0`, theme, collectiveID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("spar suggestions: %w", err)
	}
	now := db.now()
	for i := range list {
		s := &list[i]
		s.Score = weightEntry*float64(s.Entries) + weightMilestone*float64(s.Milestones) + weightLesson*float64(s.Lessons)
		if !s.LastActivity.IsZero() && now.Sub(s.LastActivity) <= activityWindow {
			s.Score += weightActive
		}
	}
	sortSuggestions(list)
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	return list, nil
}

// sortSuggestions orders by score, then the latest activity, then name.
func sortSuggestions(list []commands.SparSuggestion) {
	less := func(a, b *commands.SparSuggestion) bool {
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if !a.LastActivity.Equal(b.LastActivity) {
			return a.LastActivity.After(b.LastActivity)
		}
		return a.Collective.Name < b.Collective.Name
	}
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && less(&list[j], &list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

const invitationColumns = `i.id, i.from_collective_id, cf.name, i.to_collective_id, ct.name, i.theme, i.status,
	i.asked_by_name, i.asked_by_contact, i.answered_by_name, i.answered_by_contact,
	i.created_at, i.expires_at, i.answered_at, i.talked,
	COALESCE(pa.platform, ''), COALESCE(pa.user_id, ''), COALESCE(pb.platform, ''), COALESCE(pb.user_id, '')`

const invitationFrom = ` FROM spar_invitations i JOIN collectives cf ON cf.id = i.from_collective_id
	JOIN collectives ct ON ct.id = i.to_collective_id
	LEFT JOIN people pa ON pa.id = i.asked_by_id LEFT JOIN people pb ON pb.id = i.answered_by_id `

func scanInvitation(row scanner) (commands.Invitation, error) {
	var v commands.Invitation
	err := row.Scan(&v.ID, &v.FromID, &v.FromName, &v.ToID, &v.ToName, &v.Theme, &v.Status,
		&v.AskedBy, &v.AskedByContact, &v.AnsweredBy, &v.AnsweredByContact,
		scanTime(&v.CreatedAt), scanTime(&v.ExpiresAt), scanTime(&v.AnsweredAt), &v.Talked,
		&v.Asker.Platform, &v.Asker.ID, &v.Answerer.Platform, &v.Answerer.ID)
	v.Asker.Name, v.Asker.Contact = v.AskedBy, v.AskedByContact
	v.Answerer.Name, v.Answerer.Contact = v.AnsweredBy, v.AnsweredByContact
	return v, err
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findInvitation(ctx context.Context, q rowQuerier, where string, args ...any) (*commands.Invitation, error) {
	v, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationColumns+invitationFrom+`WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("invitation not found: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("invitation: %w", err)
	}
	return &v, nil
}

// expireInvitations closes the open invitations whose time is up, so the
// pair may invite again and an answer to them is refused.
func (db *DB) expireInvitations(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE spar_invitations SET status = 'expired'
		WHERE status = 'open' AND expires_at <= ?`, formatTime(db.now())); err != nil {
		return fmt.Errorf("expire invitations: %w", err)
	}
	return nil
}

// CreateInvitation stores an open invitation from inv.FromID to inv.ToID
// about inv.Theme. Returns EINVALID when both are the same collective,
// ENOTFOUND for an unknown collective, ECONFLICT (a *commands.InvitationError
// with the open invitation) when the pair has one open already, either way.
func (db *DB) CreateInvitation(ctx context.Context, ev string, inv *commands.Invitation, by commands.UserRef, contact string) error {
	if inv.FromID == inv.ToID {
		return fmt.Errorf("a collective cannot invite itself: %w", commands.ErrInvalid)
	}
	now := db.now()
	var created *commands.Invitation
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		for _, id := range []int64{inv.FromID, inv.ToID} {
			if _, err := findCollective(ctx, tx, `id = ?`, id); err != nil {
				return err
			}
		}
		if err := db.expireInvitations(ctx, tx); err != nil {
			return err
		}
		open, err := findInvitation(ctx, tx, `i.status = 'open' AND
			((i.from_collective_id = ?1 AND i.to_collective_id = ?2) OR (i.from_collective_id = ?2 AND i.to_collective_id = ?1))`,
			inv.FromID, inv.ToID)
		if err == nil {
			return &commands.InvitationError{Err: &commands.Error{Code: commands.ECONFLICT, Err: errors.New("open invitation exists")}, Invitation: open}
		} else if commands.ErrorCode(err) != commands.ENOTFOUND {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO spar_invitations (from_collective_id, to_collective_id, theme,
			asked_by_id, asked_by_name, asked_by_contact, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			inv.FromID, inv.ToID, strings.ToLower(inv.Theme), who.id, who.name, contact,
			formatTime(now), formatTime(now.Add(commands.InvitationTTL))).Scan(&id); err != nil {
			return fmt.Errorf("create invitation: %w", err)
		}
		created, err = findInvitation(ctx, tx, `i.id = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	*inv = *created
	return nil
}

// Invitation returns the invitation; an open one past its expiry is
// returned as expired. Returns ENOTFOUND.
func (db *DB) Invitation(ctx context.Context, id int64) (*commands.Invitation, error) {
	v, err := findInvitation(ctx, db.db, `i.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if v.Status == commands.InvitationOpen && !db.now().Before(v.ExpiresAt) {
		v.Status = commands.InvitationExpired
	}
	return v, nil
}

// AnswerInvitation accepts or declines an open invitation to the collective
// toID. Returns ENOTFOUND if it is not that collective's, ECONFLICT (with
// the invitation as it stands, a *commands.InvitationError) when it was
// answered or has expired.
func (db *DB) AnswerInvitation(ctx context.Context, ev string, id, toID int64, accept bool, by commands.UserRef, contact string) (*commands.Invitation, error) {
	status := commands.InvitationDeclined
	if accept {
		status = commands.InvitationAccepted
	}
	var v *commands.Invitation
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		if err := db.expireInvitations(ctx, tx); err != nil {
			return err
		}
		if v, err = findInvitation(ctx, tx, `i.id = ? AND i.to_collective_id = ?`, id, toID); err != nil {
			return err
		}
		if v.Status != commands.InvitationOpen {
			return &commands.InvitationError{Err: &commands.Error{Code: commands.ECONFLICT, Err: errors.New("invitation not open")}, Invitation: v}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE spar_invitations SET status = ?, answered_by_id = ?, answered_by_name = ?,
			answered_by_contact = ?, answered_at = ? WHERE id = ?`,
			status, who.id, who.name, contact, formatTime(db.now()), id); err != nil {
			return fmt.Errorf("answer invitation: %w", err)
		}
		v, err = findInvitation(ctx, tx, `i.id = ?`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// SetTalked records the check-back's answer of one of the two collectives
// of an introduction (the last answer counts). Returns ENOTFOUND if the
// introduction is not theirs, EINVALID for another answer.
func (db *DB) SetTalked(ctx context.Context, ev string, id, collectiveID int64, talked string, by commands.UserRef) (*commands.Invitation, error) {
	if talked != commands.TalkedYes && talked != commands.TalkedNo {
		return nil, fmt.Errorf("bad check-back answer: %w", commands.ErrInvalid)
	}
	var v *commands.Invitation
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE spar_invitations SET talked = ?, talked_by_id = ?, talked_at = ?
			WHERE id = ? AND status = 'accepted' AND ? IN (from_collective_id, to_collective_id)`,
			talked, who.id, formatTime(db.now()), id, collectiveID)
		if err != nil {
			return fmt.Errorf("set talked: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("set talked: %w", err)
		} else if n == 0 {
			return fmt.Errorf("introduction not found: %w", commands.ErrNotFound)
		}
		v, err = findInvitation(ctx, tx, `i.id = ?`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// CheckbacksDue returns the introductions accepted at or before until whose
// check-back (commands.CheckbackKey) was not claimed yet, oldest first.
// The scheduler asks every minute; on spar_invitations_checkback_pending
// (081) it reads the introductions whose check-back is still to be
// claimed, not every introduction ever made (TestCheckbacksDuePlan).
func (db *DB) CheckbacksDue(ctx context.Context, until time.Time) ([]commands.Invitation, error) {
	list, err := queryAll(ctx, db.db, scanInvitation, checkbacksDueSQL, formatTime(until), commands.SendCheckback)
	if err != nil {
		return nil, fmt.Errorf("check-backs due: %w", err)
	}
	return list, nil
}

// checkbacksDueSQL is CheckbacksDue's statement (?1 until, ?2
// commands.SendCheckback). checkback_claimed = 0 is a range of the index;
// the key's look-up stays as the rule (the column is its copy, kept by a
// trigger).
const checkbacksDueSQL = `SELECT ` + invitationColumns + invitationFrom + `
	WHERE i.status = 'accepted' AND i.checkback_claimed = 0 AND i.answered_at <= ?1
	AND NOT EXISTS (SELECT 1 FROM scheduler_sends s WHERE s.key = ?2 || ':' || i.id)
	ORDER BY i.answered_at, i.id`

// networkCountsSQL is NetworkCounts' statement: the introductions and the
// conversations are ranges of spar_invitations_talked (086), not sums over
// every invitation; TestNetworkCountsPlan holds it to that plan.
const networkCountsSQL = `SELECT
	(SELECT COUNT(*) FROM spar_invitations),
	(SELECT COUNT(*) FROM spar_invitations WHERE status = 'accepted'),
	(SELECT COUNT(*) FROM spar_invitations WHERE status = 'accepted' AND talked = 'ja')`

// NetworkCounts counts invitations, introductions and conversations.
func (db *DB) NetworkCounts(ctx context.Context) (*commands.NetworkCounts, error) {
	var n commands.NetworkCounts
	err := db.db.QueryRowContext(ctx, networkCountsSQL).
		Scan(&n.Invitations, &n.Introductions, &n.Conversations)
	if err != nil {
		return nil, fmt.Errorf("network counts: %w", err)
	}
	return &n, nil
}
