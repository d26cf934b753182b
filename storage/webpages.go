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

// The web pages' reads: a page of the programme, never all of it. Each
// query reads the collectives table once at most (a row per collective,
// no history: their last activity is kept in the row by 070_activity) and
// the history of the collectives on the page only.

var _ commands.WebPageStore = (*DB)(nil)

// unresolved are the help request states that still need the staff.
const unresolved = `('open', 'claimed', 'answered')`

// nameLike is a LIKE pattern matching names whose key contains part.
func nameLike(part string) string {
	key := commands.NormalizeName(part)
	key = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(key)
	return "%" + key + "%"
}

// ProgrammeTotals counts the whole programme in one statement of
// aggregates: collectives, those without activity since quietSince, the
// unresolved help requests (and those open since before lateSince), the
// lessons and the introductions. Each count reads an index of the few
// (the queue, the accepted invitations) or a row per collective or lesson,
// never their history. (Last week's check-ins answered would read 10,000
// rounds at 10,000 collectives, 80 ms: the cards show each collective's.)
func (db *DB) ProgrammeTotals(ctx context.Context, quietSince, lateSince time.Time) (commands.ProgrammeTotals, error) {
	var t commands.ProgrammeTotals
	err := db.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, programmeTotalsSQL, formatTime(quietSince), formatTime(lateSince)).Scan(
			&t.Collectives, &t.Quiet, &t.OpenRequests, &t.WithOpen, &t.Late,
			&t.Lessons, &t.SharedLessons, &t.Introductions)
	})
	if err != nil {
		return t, fmt.Errorf("programme totals: %w", err)
	}
	return t, nil
}

// programmeTotalsSQL is ProgrammeTotals' statement (?1 quietSince, ?2
// lateSince). The quiet ones are two ranges of collectives_activity
// (TestOverviewPlansUseIndexes).
const programmeTotalsSQL = `SELECT
	(SELECT COUNT(*) FROM collectives),
	(SELECT COUNT(*) FROM collectives WHERE last_activity_at IS NULL OR last_activity_at < ?1),
	(SELECT COUNT(*) FROM help_requests WHERE status IN ` + unresolved + `),
	(SELECT COUNT(DISTINCT collective_id) FROM help_requests WHERE status IN ` + unresolved + `),
	(SELECT COUNT(*) FROM help_requests WHERE status = 'open' AND created_at < ?2),
	(SELECT COUNT(*) FROM lessons),
	(SELECT COUNT(*) FROM lessons WHERE sharing = 'network'),
	(SELECT COUNT(*) FROM spar_invitations WHERE status = 'accepted')`

// CollectivesByAttention returns at most limit collectives whose name
// contains name ("" for all), skipping offset, in the overview's order:
// those with unresolved help requests first, then those without activity
// since quietSince (never active first, then the longest quiet), then the
// rest; by name within each group. It also returns how many match.
//
// The three groups are read apart so that a page costs what it shows: the
// waiting ones through help_requests_status (the queue, not the history);
// the quiet ones through collectives_activity (080: the never active and
// the longest quiet are two ranges of it, the quiet ones only); the rest,
// most of a lively programme, along the name index, stopping after the
// page. TestOverviewPlansUseIndexes holds the statements to those plans.
func (db *DB) CollectivesByAttention(ctx context.Context, name string, quietSince time.Time, offset, limit int) ([]commands.CollectiveSummary, int, error) {
	var list []commands.CollectiveSummary
	var matching int
	cond, args := `1`, []any{}
	if strings.TrimSpace(name) != "" {
		cond, args = `c.name_key LIKE ? ESCAPE '\'`, []any{nameLike(name)}
	}
	quietArg := formatTime(quietSince)
	with := func(extra ...any) []any { return append(append([]any(nil), args...), extra...) }
	err := db.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collectives c WHERE `+cond, args...).Scan(&matching); err != nil {
			return err
		}
		if offset >= matching || limit <= 0 {
			return nil
		}
		// Each group: how many match, then its part of the page.
		groups := attentionGroups
		skip := offset
		for i, g := range groups {
			if len(list) >= limit {
				break
			}
			var gargs []any
			if i > 0 {
				gargs = []any{quietArg}
			}
			var n int
			if i < len(groups)-1 {
				if err := tx.QueryRowContext(ctx, g.countSQL(cond), with(gargs...)...).Scan(&n); err != nil {
					return err
				}
				if skip >= n {
					skip -= n
					continue
				}
			}
			rows, err := tx.QueryContext(ctx, g.pageSQL(cond), with(append(gargs, limit-len(list), skip)...)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				s, err := scanSummary(rows)
				if err != nil {
					rows.Close()
					return err
				}
				list = append(list, s)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			skip = 0
		}
		return attachChats(ctx, tx, list)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("collectives by attention: %w", err)
	}
	return list, matching, nil
}

// attentionGroup is one group of the attention order: its condition on
// collectives c (the quiet time as its one argument, after the name's)
// and its order.
type attentionGroup struct{ where, order string }

// attentionGroups are CollectivesByAttention's groups, in its order: the
// collectives waiting for the staff, the quiet ones, the rest.
var attentionGroups = func() []attentionGroup {
	const waiting = `c.id IN (SELECT collective_id FROM help_requests WHERE status IN ` + unresolved + `)`
	const quiet = `(c.last_activity_at IS NULL OR c.last_activity_at < ?)`
	return []attentionGroup{
		{waiting, `c.name_key`},
		{`NOT ` + waiting + ` AND ` + quiet, `COALESCE(c.last_activity_at, ''), c.name_key`},
		{`NOT ` + waiting + ` AND NOT ` + quiet, `c.name_key`},
	}
}()

// countSQL counts the group's collectives matching cond (the name filter).
func (g attentionGroup) countSQL(cond string) string {
	return `SELECT COUNT(*) FROM collectives c WHERE ` + cond + ` AND ` + g.where
}

// pageSQL reads the group's part of a page (LIMIT and OFFSET last).
func (g attentionGroup) pageSQL(cond string) string {
	return `SELECT ` + summaryColumns + ` FROM collectives c WHERE ` + cond + ` AND ` + g.where +
		` ORDER BY ` + g.order + ` LIMIT ? OFFSET ?`
}

// attachChats adds each listed collective's active chats (on
// chats_collective: the listed collectives' chats only).
func attachChats(ctx context.Context, tx *sql.Tx, list []commands.CollectiveSummary) error {
	for i := range list {
		chats, err := queryAll(ctx, tx, scanChat, `SELECT `+chatColumns+` FROM chats
			WHERE collective_id = ? AND kind = 'collective' AND active = 1 ORDER BY created_at, platform, chat_id`, list[i].ID)
		if err != nil {
			return err
		}
		list[i].Chats = chats
	}
	return nil
}

// CollectiveSummary returns one collective with its active chats and last
// activity. Returns ENOTFOUND if it does not exist.
func (db *DB) CollectiveSummary(ctx context.Context, id int64) (*commands.CollectiveSummary, error) {
	var s commands.CollectiveSummary
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		s, err = scanSummary(tx.QueryRowContext(ctx, `SELECT `+summaryColumns+` FROM collectives WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("collective not found: %w", commands.ErrNotFound)
		} else if err != nil {
			return err
		}
		list := []commands.CollectiveSummary{s}
		if err := attachChats(ctx, tx, list); err != nil {
			return err
		}
		s = list[0]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("collective summary: %w", err)
	}
	return &s, nil
}

// CollectiveCounts counts one collective's posted check-in rounds (and
// those answered), lessons and accepted sparring invitations, on its own
// indexes: the unary + keeps the planner off checkin_rounds_status,
// which holds nearly every round of the programme (0.7 s a card at
// 10,000 collectives). The invitations a collective sent and received are
// looked up on spar_invitations_from (080) and spar_invitations_to
// (TestOverviewPlansUseIndexes).
func (db *DB) CollectiveCounts(ctx context.Context, id int64) (commands.CollectiveCounts, error) {
	var n commands.CollectiveCounts
	err := db.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, collectiveCountsSQL, id).Scan(&n.RoundsPosted, &n.RoundsAnswered, &n.Lessons, &n.Introductions)
	})
	if err != nil {
		return n, fmt.Errorf("collective counts: %w", err)
	}
	return n, nil
}

// collectiveCountsSQL is CollectiveCounts' statement (?1 the collective).
const collectiveCountsSQL = `SELECT
	(SELECT COUNT(*) FROM checkin_rounds WHERE collective_id = ?1 AND +status = 'posted'),
	(SELECT COUNT(*) FROM checkin_rounds r WHERE r.collective_id = ?1 AND +r.status = 'posted'
		AND EXISTS (SELECT 1 FROM checkin_answers a WHERE a.round_id = r.id)),
	(SELECT COUNT(*) FROM lessons WHERE collective_id = ?1),
	` + introductionsSQL

// introductionsSQL counts the accepted invitations the collective (?1)
// sent or received, each on its own index: one condition with OR read
// every accepted invitation of the programme (spar_invitations_answered).
const introductionsSQL = `(SELECT COUNT(*) FROM spar_invitations WHERE from_collective_id = ?1 AND status = 'accepted')
	+ (SELECT COUNT(*) FROM spar_invitations WHERE to_collective_id = ?1 AND status = 'accepted')`

// OpenRequestsOf returns the unresolved requests of one collective, oldest
// first, without answers.
func (db *DB) OpenRequestsOf(ctx context.Context, collectiveID int64) ([]commands.HelpRequest, error) {
	var list []commands.HelpRequest
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanRequest, `SELECT `+requestColumns+requestFrom+
			`WHERE r.collective_id = ? AND r.status IN `+unresolved+` ORDER BY r.number`, collectiveID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open help requests of a collective: %w", err)
	}
	return list, nil
}

// OpenRequestsPage returns at most limit unresolved requests, oldest
// first, skipping offset, without answers, and how many are unresolved.
func (db *DB) OpenRequestsPage(ctx context.Context, offset, limit int) ([]commands.HelpRequest, int, error) {
	var list []commands.HelpRequest
	var total int
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM help_requests WHERE status IN `+unresolved).Scan(&total); err != nil {
			return err
		}
		list, err = queryAll(ctx, tx, scanRequest, `SELECT `+requestColumns+requestFrom+
			`WHERE r.status IN `+unresolved+` ORDER BY r.number LIMIT ? OFFSET ?`, limit, offset)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("open help requests page: %w", err)
	}
	return list, total, nil
}

// MeetingTallies returns the meetings starting at or after from, soonest
// first, each with how many gave each answer and the first named answers
// (in Meetings' order: by collective, chat and name). A meeting of the
// whole network can have thousands of answers; they are counted in SQL,
// not loaded.
func (db *DB) MeetingTallies(ctx context.Context, from time.Time, named int) ([]commands.MeetingTally, error) {
	var list []commands.MeetingTally
	err := db.read(ctx, func(tx *sql.Tx) error {
		meetings, err := queryAll(ctx, tx, scanMeeting, `SELECT `+meetingColumns+` FROM meetings
			WHERE starts_at >= ? ORDER BY starts_at, number`, formatTime(from))
		if err != nil {
			return err
		}
		for _, m := range meetings {
			t := commands.MeetingTally{Meeting: m}
			rows, err := tx.QueryContext(ctx, `SELECT answer, COUNT(*) FROM meeting_rsvps WHERE meeting = ? GROUP BY answer`, m.Number)
			if err != nil {
				return err
			}
			for rows.Next() {
				var answer string
				var n int
				if err := rows.Scan(&answer, &n); err != nil {
					rows.Close()
					return err
				}
				switch answer {
				case commands.RSVPYes:
					t.Yes = n
				case commands.RSVPMaybe:
					t.Maybe = n
				case commands.RSVPNo:
					t.No = n
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			t.RSVPs, err = queryAll(ctx, tx, scanRSVP, `SELECT `+rsvpColumns+` FROM meeting_rsvps r
				LEFT JOIN collectives c ON c.id = r.collective_id
				WHERE r.meeting = ? ORDER BY COALESCE(c.name, ''), r.platform, r.chat_id, r.person_name LIMIT ?`, m.Number, named)
			if err != nil {
				return err
			}
			list = append(list, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("meeting tallies: %w", err)
	}
	return list, nil
}
