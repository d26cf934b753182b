package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// Experts: the role, its invite, the offers of help requests, and the
// expert's side of claiming, answering and resolving (DESIGN.md "Experts").

const expertColumns = `e.id, e.name, e.platform, e.chat_id, COALESCE(p.user_id, ''), COALESCE(p.name, ''),
	e.away_until, e.unreachable, e.active, e.created_at, e.joined_at, e.ended_at,
	COALESCE((SELECT group_concat(x.expertise, ',') FROM expert_expertises x WHERE x.expert_id = e.id), '')`

const expertFrom = ` FROM experts e LEFT JOIN people p ON p.id = e.person_id `

func scanExpert(row scanner) (commands.Expert, error) {
	var e commands.Expert
	var userID, userName, expertises string
	err := row.Scan(&e.ID, &e.Name, &e.Chat.Platform, &e.Chat.ID, &userID, &userName,
		scanTime(&e.AwayUntil), &e.Unreachable, &e.Active, scanTime(&e.CreatedAt), scanTime(&e.JoinedAt),
		scanTime(&e.EndedAt), &expertises)
	if e.Chat.Platform != "" && userID != "" {
		e.User = commands.UserRef{Platform: e.Chat.Platform, ID: userID, Name: userName}
	}
	e.Expertises = sortExpertises(strings.Split(expertises, ","))
	return e, err
}

// sortExpertises puts expertises in the order of commands.Expertises
// (group_concat has no order of its own), dropping empty ones.
func sortExpertises(list []string) []string {
	order := func(x string) int {
		if i := slices.Index(commands.Expertises, x); i >= 0 {
			return i
		}
		return len(commands.Expertises)
	}
	list = slices.DeleteFunc(list, func(x string) bool { return x == "" })
	sort.SliceStable(list, func(i, j int) bool { return order(list[i]) < order(list[j]) })
	if len(list) == 0 {
		return nil
	}
	return list
}

// findExpert returns the one expert matching where. Returns ErrExpertNotFound.
func findExpert(ctx context.Context, tx *sql.Tx, where string, args ...any) (*commands.Expert, error) {
	e, err := scanExpert(tx.QueryRowContext(ctx, `SELECT `+expertColumns+expertFrom+`WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, commands.ErrExpertNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find expert: %w", err)
	}
	return &e, nil
}

// CreateExpert stores e (ID, Active and CreatedAt are set; Name trimmed,
// expertises in table order) with an invite code (stored upper case) that
// can be redeemed once until expires. Returns EINVALID for no name or no
// expertise, ErrExpertNameTaken, ErrCodeTaken.
func (db *DB) CreateExpert(ctx context.Context, ev string, e *commands.Expert, code string, expires time.Time, by commands.UserRef) error {
	name := strings.TrimSpace(e.Name)
	key := commands.NormalizeName(name)
	code = strings.ToUpper(strings.TrimSpace(code))
	expertises := sortExpertises(slices.Compact(slices.Sorted(slices.Values(e.Expertises))))
	if key == "" || code == "" || len(expertises) == 0 {
		return fmt.Errorf("expert needs a name, an expertise and a code: %w", commands.ErrInvalid)
	}
	now := db.now()
	var stored *commands.Expert
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM experts WHERE name_key = ? AND active = 1`, key).Scan(&n); err != nil {
			return fmt.Errorf("create expert: %w", err)
		} else if n > 0 {
			return commands.ErrExpertNameTaken
		}
		// A code is unique among invites and link codes alike, so a code
		// typed in the wrong place is never someone else's.
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM expert_invites WHERE code = ?1)
			+ (SELECT COUNT(*) FROM collectives WHERE code = ?1)`, code).Scan(&n); err != nil {
			return fmt.Errorf("create expert: %w", err)
		} else if n > 0 {
			return commands.ErrCodeTaken
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO experts (name, name_key, invited_by_id, invited_by_name, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, name, key, who.id, who.name, formatTime(now)).Scan(&id); err != nil {
			return fmt.Errorf("create expert: %w", err)
		}
		for _, x := range expertises {
			if _, err := tx.ExecContext(ctx, `INSERT INTO expert_expertises (expert_id, expertise) VALUES (?, ?)`, id, x); err != nil {
				return fmt.Errorf("create expert: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_invites (code, expert_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			code, id, formatTime(now), formatTime(expires)); err != nil {
			return fmt.Errorf("create expert invite: %w", err)
		}
		stored, err = findExpert(ctx, tx, `e.id = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	*e = *stored
	return nil
}

// RedeemInvite makes by the expert of the invite, working in chat. The
// invite is marked used in the same transaction, so it works once.
// Returns ErrInviteUnknown, ErrInviteUsed, ErrInviteExpired,
// ErrAlreadyExpert, ErrExpertNotFound (the role ended before it was used).
func (db *DB) RedeemInvite(ctx context.Context, ev string, code string, chat commands.ChatRef, by commands.UserRef) (*commands.Expert, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	var stored *commands.Expert
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		var expertID int64
		var expires time.Time
		var used sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT expert_id, expires_at, used_at FROM expert_invites WHERE code = ?`, code).
			Scan(&expertID, scanTime(&expires), &used)
		if errors.Is(err, sql.ErrNoRows) {
			return commands.ErrInviteUnknown
		} else if err != nil {
			return fmt.Errorf("redeem invite: %w", err)
		}
		now := db.now()
		switch {
		case used.Valid:
			return commands.ErrInviteUsed
		case !now.Before(expires):
			return commands.ErrInviteExpired
		}
		e, err := findExpert(ctx, tx, `e.id = ? AND e.active = 1`, expertID)
		if err != nil {
			return err
		}
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM experts WHERE person_id = ? AND active = 1`, who.id).Scan(&n); err != nil {
			return fmt.Errorf("redeem invite: %w", err)
		} else if n > 0 {
			return commands.ErrAlreadyExpert
		}
		if _, err := tx.ExecContext(ctx, `UPDATE experts SET person_id = ?, platform = ?, chat_id = ?, joined_at = ?, unreachable = 0
			WHERE id = ?`, who.id, chat.Platform, chat.ID, formatTime(now), e.ID); err != nil {
			return fmt.Errorf("redeem invite: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE expert_invites SET used_at = ? WHERE code = ?`, formatTime(now), code); err != nil {
			return fmt.Errorf("redeem invite: %w", err)
		}
		stored, err = findExpert(ctx, tx, `e.id = ?`, e.ID)
		return err
	})
	return stored, err
}

// readExpert runs findExpert in a read transaction.
func (db *DB) readExpert(ctx context.Context, where string, args ...any) (*commands.Expert, error) {
	var e *commands.Expert
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		e, err = findExpert(ctx, tx, where, args...)
		return err
	})
	return e, err
}

// Expert returns the expert, also an ended one. Returns ErrExpertNotFound.
func (db *DB) Expert(ctx context.Context, id int64) (*commands.Expert, error) {
	return db.readExpert(ctx, `e.id = ?`, id)
}

// ExpertByUser returns the active expert the person is.
// Returns ErrExpertNotFound.
func (db *DB) ExpertByUser(ctx context.Context, user commands.UserRef) (*commands.Expert, error) {
	return db.readExpert(ctx, `e.active = 1 AND p.platform = ? AND p.user_id = ?`, user.Platform, user.ID)
}

// ExpertByChat returns the active expert whose private chat it is.
// Returns ErrExpertNotFound.
func (db *DB) ExpertByChat(ctx context.Context, chat commands.ChatRef) (*commands.Expert, error) {
	return db.readExpert(ctx, `e.active = 1 AND e.platform = ? AND e.chat_id = ?`, chat.Platform, chat.ID)
}

// ExpertByName returns the active expert with the name.
// Returns ErrExpertNotFound.
func (db *DB) ExpertByName(ctx context.Context, name string) (*commands.Expert, error) {
	return db.readExpert(ctx, `e.active = 1 AND e.name_key = ?`, commands.NormalizeName(name))
}

// Experts returns every active expert with their figures, by name.
func (db *DB) Experts(ctx context.Context) ([]commands.ExpertStats, error) {
	var list []commands.ExpertStats
	err := db.read(ctx, func(tx *sql.Tx) error {
		experts, err := queryAll(ctx, tx, scanExpert, `SELECT `+expertColumns+expertFrom+`WHERE e.active = 1 ORDER BY e.name_key`)
		if err != nil {
			return err
		}
		for _, e := range experts {
			s := commands.ExpertStats{Expert: e}
			if err := expertFigures(ctx, tx, &s); err != nil {
				return err
			}
			list = append(list, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("experts: %w", err)
	}
	return list, nil
}

// expertFigures fills in what the expert did.
func expertFigures(ctx context.Context, tx *sql.Tx, s *commands.ExpertStats) error {
	id := s.ID
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM help_offers WHERE expert_id = ?1),
		(SELECT COUNT(*) FROM help_requests WHERE claimed_by_expert_id = ?1),
		(SELECT COUNT(DISTINCT number) FROM help_answers WHERE expert_id = ?1),
		(SELECT COUNT(*) FROM help_requests r WHERE r.feedback = 'ja'
			AND EXISTS (SELECT 1 FROM help_answers a WHERE a.number = r.number AND a.expert_id = ?1)),
		(SELECT COUNT(*) FROM help_requests r WHERE r.feedback = 'nee'
			AND EXISTS (SELECT 1 FROM help_answers a WHERE a.number = r.number AND a.expert_id = ?1))`, id).
		Scan(&s.Offered, &s.Taken, &s.Answered, &s.ThumbsUp, &s.ThumbsDown); err != nil {
		return fmt.Errorf("expert figures: %w", err)
	}
	// Time to first answer counts from the offer: what the expert could
	// have seen, not when the collective asked.
	type pair struct{ offered, first time.Time }
	pairs, err := queryAll(ctx, tx, func(row scanner) (pair, error) {
		var p pair
		err := row.Scan(scanTime(&p.offered), scanTime(&p.first))
		return p, err
	}, `SELECT o.offered_at, MIN(a.created_at) FROM help_answers a
		JOIN help_offers o ON o.number = a.number AND o.expert_id = a.expert_id
		WHERE a.expert_id = ? GROUP BY a.number`, id)
	if err != nil {
		return fmt.Errorf("expert answer times: %w", err)
	}
	var waits []time.Duration
	for _, p := range pairs {
		waits = append(waits, max(p.first.Sub(p.offered), 0))
	}
	s.MedianFirstAnswer = median(waits)
	return nil
}

// median is the middle value (the mean of the two middle ones for an even
// count); zero for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return (ds[m-1] + ds[m]) / 2
}

// AvailableExperts returns the active, onboarded, reachable experts with the
// expertise who are not away at the time, by name.
func (db *DB) AvailableExperts(ctx context.Context, expertise string, at time.Time) ([]commands.Expert, error) {
	var list []commands.Expert
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanExpert, `SELECT `+expertColumns+expertFrom+`
			WHERE e.active = 1 AND e.chat_id <> '' AND e.unreachable = 0
				AND (e.away_until IS NULL OR e.away_until <= ?)
				AND EXISTS (SELECT 1 FROM expert_expertises x WHERE x.expert_id = e.id AND x.expertise = ?)
			ORDER BY e.name_key`, formatTime(at), expertise)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("available experts: %w", err)
	}
	return list, nil
}

// OfferRequest records that the request is offered to the experts.
// Offering again keeps the first time (and marks it assigned when it now
// is). Returns ENOTFOUND for an unknown request, ErrExpertNotFound for an
// expert that is not active, ErrResolved.
func (db *DB) OfferRequest(ctx context.Context, ev string, number int64, expertIDs []int64, assigned bool, by commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		r, err := findRequest(ctx, tx, number)
		if err != nil {
			return err
		}
		if r.Status == commands.StatusResolved {
			return fmt.Errorf("help request #%d: %w", number, commands.ErrResolved)
		}
		now := formatTime(db.now())
		for _, id := range expertIDs {
			if _, err := findExpert(ctx, tx, `e.id = ? AND e.active = 1`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO help_offers (number, expert_id, assigned, offered_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (number, expert_id) DO UPDATE SET assigned = max(assigned, excluded.assigned)`,
				number, id, assigned, now); err != nil {
				return fmt.Errorf("offer help request: %w", err)
			}
		}
		return nil
	})
}

// OfferedExperts returns the experts the request was offered to, in the
// order offered.
func (db *DB) OfferedExperts(ctx context.Context, number int64) ([]commands.Expert, error) {
	var list []commands.Expert
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanExpert, `SELECT `+expertColumns+expertFrom+`
			JOIN help_offers o ON o.expert_id = e.id WHERE o.number = ? ORDER BY o.offered_at, e.name_key`, number)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("offered experts: %w", err)
	}
	return list, nil
}

const offerColumns = requestColumns + `, o.offered_at, o.assigned, COALESCE(r.claimed_by_expert_id = o.expert_id, 0)`

func scanOffer(row scanner) (commands.ExpertOffer, error) {
	var o commands.ExpertOffer
	r := &o.Request
	err := row.Scan(&r.Number, &r.CollectiveID, &r.CollectiveName, &r.Expertise, &r.Question, &r.Status,
		&r.AskedBy, &r.ClaimedBy, &r.Feedback, scanTime(&r.CreatedAt), scanTime(&r.ClaimedAt),
		scanTime(&r.AnsweredAt), scanTime(&r.ResolvedAt), &r.ClaimedByExpert,
		scanTime(&o.OfferedAt), &o.Assigned, &o.Taken)
	return o, err
}

// ExpertOffers returns the requests offered to the expert, newest first.
// Who asked is left out: an expert sees the collective and the question.
func (db *DB) ExpertOffers(ctx context.Context, expertID int64) ([]commands.ExpertOffer, error) {
	var list []commands.ExpertOffer
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = expertOffers(ctx, tx, expertID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("expert offers: %w", err)
	}
	return list, nil
}

func expertOffers(ctx context.Context, tx *sql.Tx, expertID int64) ([]commands.ExpertOffer, error) {
	list, err := queryAll(ctx, tx, scanOffer, `SELECT `+offerColumns+requestFrom+`
		JOIN help_offers o ON o.number = r.number WHERE o.expert_id = ? ORDER BY r.number DESC`, expertID)
	for i := range list {
		list[i].Request.AskedBy = ""
	}
	return list, err
}

// asExpert runs change on a request the expert works on, in one write
// transaction: the expert must be active and the request offered to them
// (ErrNotOffered) and unresolved (ErrResolved).
func (db *DB) asExpert(ctx context.Context, ev string, number, expertID int64, by commands.UserRef,
	change func(tx *sql.Tx, r *commands.HelpRequest, e *commands.Expert, who author) error) (*commands.HelpRequest, error) {
	return db.changeRequest(ctx, ev, number, by, func(tx *sql.Tx, r *commands.HelpRequest, _ sql.NullInt64, who author) error {
		e, err := findExpert(ctx, tx, `e.id = ? AND e.active = 1`, expertID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM help_offers WHERE number = ? AND expert_id = ?`,
			number, expertID).Scan(&n); err != nil {
			return fmt.Errorf("help offer: %w", err)
		} else if n == 0 {
			return fmt.Errorf("help request #%d: %w", number, commands.ErrNotOffered)
		}
		if r.Status == commands.StatusResolved {
			return fmt.Errorf("help request #%d: %w", number, commands.ErrResolved)
		}
		return change(tx, r, e, who)
	})
}

// ClaimAsExpert assigns the request to the expert; the first claim wins
// (see takeSQL). Claiming again is fine. Returns ENOTFOUND, ErrNotOffered,
// ErrTakenByOther, ErrResolved, ErrExpertNotFound.
func (db *DB) ClaimAsExpert(ctx context.Context, ev string, number, expertID int64, by commands.UserRef) (*commands.HelpRequest, error) {
	return db.asExpert(ctx, ev, number, expertID, by, func(tx *sql.Tx, r *commands.HelpRequest, e *commands.Expert, who author) error {
		return db.takeRequest(ctx, tx, number, who, e)
	})
}

// AnswerAsExpert adds the expert's answer (under the expert's name) and
// marks the request answered, claiming it first when unclaimed. Returns
// ENOTFOUND, ErrNotOffered, ErrTakenByOther, ErrResolved, ErrExpertNotFound.
func (db *DB) AnswerAsExpert(ctx context.Context, ev string, number, expertID int64, text string, by commands.UserRef) (*commands.HelpRequest, error) {
	return db.asExpert(ctx, ev, number, expertID, by, func(tx *sql.Tx, r *commands.HelpRequest, e *commands.Expert, who author) error {
		if err := db.takeRequest(ctx, tx, number, who, e); err != nil {
			return err
		}
		now := formatTime(db.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO help_answers (number, text, author_id, author_name, expert_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, number, text, who.id, e.Name, e.ID, now); err != nil {
			return fmt.Errorf("answer help request: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'answered', answered_at = ? WHERE number = ?`,
			now, number); err != nil {
			return fmt.Errorf("answer help request: %w", err)
		}
		return nil
	})
}

// ResolveAsExpert closes a request the expert has taken, claiming it first
// when unclaimed. Returns ENOTFOUND, ErrNotOffered, ErrTakenByOther (not
// theirs), ErrResolved, ErrExpertNotFound.
func (db *DB) ResolveAsExpert(ctx context.Context, ev string, number, expertID int64, by commands.UserRef) (*commands.HelpRequest, error) {
	return db.asExpert(ctx, ev, number, expertID, by, func(tx *sql.Tx, r *commands.HelpRequest, e *commands.Expert, who author) error {
		if err := db.takeRequest(ctx, tx, number, who, e); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'resolved', resolved_at = ? WHERE number = ?`,
			formatTime(db.now()), number); err != nil {
			return fmt.Errorf("resolve help request: %w", err)
		}
		return nil
	})
}

// updateExpert applies set to the active expert. Returns ErrExpertNotFound.
func (db *DB) updateExpert(ctx context.Context, tx *sql.Tx, expertID int64, set string, args ...any) error {
	res, err := tx.ExecContext(ctx, `UPDATE experts SET `+set+` WHERE id = ? AND active = 1`, append(args, expertID)...)
	if err != nil {
		return fmt.Errorf("update expert: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update expert: %w", err)
	} else if n == 0 {
		return commands.ErrExpertNotFound
	}
	return nil
}

// SetExpertAway stops offers until the date (zero: available again).
// Returns ErrExpertNotFound.
func (db *DB) SetExpertAway(ctx context.Context, ev string, expertID int64, until time.Time, by commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		return db.updateExpert(ctx, tx, expertID, `away_until = ?`, nullTime(until))
	})
}

// SetExpertReachable records whether the expert's private chat takes
// messages; changed is false when it already was so. Returns
// ErrExpertNotFound.
func (db *DB) SetExpertReachable(ctx context.Context, expertID int64, reachable bool) (changed bool, err error) {
	err = db.write(ctx, "", func(tx *sql.Tx) error {
		if _, err := findExpert(ctx, tx, `e.id = ? AND e.active = 1`, expertID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE experts SET unreachable = ?1 WHERE id = ?2 AND unreachable <> ?1`, !reachable, expertID)
		if err != nil {
			return fmt.Errorf("expert reachable: %w", err)
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	return changed, err
}

// EndExpert ends the role: no more offers, the invite (if unused) stops
// working, past answers keep the name. Returns ErrExpertNotFound if the
// expert is not active.
func (db *DB) EndExpert(ctx context.Context, ev string, expertID int64, by commands.UserRef) (*commands.Expert, error) {
	var stored *commands.Expert
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		if err := db.updateExpert(ctx, tx, expertID, `active = 0, ended_at = ?`, formatTime(db.now())); err != nil {
			return err
		}
		var err error
		stored, err = findExpert(ctx, tx, `e.id = ?`, expertID)
		return err
	})
	return stored, err
}

// ExpertData returns what is stored about the person as an expert (their
// latest role), nil when they never were one.
func (db *DB) ExpertData(ctx context.Context, user commands.UserRef) (*commands.ExpertData, error) {
	var d *commands.ExpertData
	err := db.read(ctx, func(tx *sql.Tx) error {
		e, err := findExpert(ctx, tx, `p.platform = ? AND p.user_id = ? ORDER BY e.active DESC, e.id DESC LIMIT 1`,
			user.Platform, user.ID)
		if errors.Is(err, commands.ErrExpertNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		d = &commands.ExpertData{Expert: *e}
		if d.Offers, err = expertOffers(ctx, tx, e.ID); err != nil {
			return err
		}
		d.Answered, err = queryAll(ctx, tx, func(row scanner) (n int64, err error) {
			err = row.Scan(&n)
			return n, err
		}, `SELECT DISTINCT number FROM help_answers WHERE expert_id = ? ORDER BY number`, e.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("expert data: %w", err)
	}
	return d, nil
}

// forgetExpertSQL ends the role of a person who is an expert when they ask
// /vergeetmij, before their personal columns are erased as storage.Personal
// says (the name, the private chat, the person id): an erased person offers
// no more help. Run with ?1 the people id, ?2 now.
var forgetExpertSQL = []string{
	`UPDATE experts SET active = 0, ended_at = COALESCE(ended_at, ?2) WHERE person_id = ?1`,
}

// forgetExpert runs forgetExpertSQL for the person.
func (db *DB) forgetExpert(ctx context.Context, tx *sql.Tx, personID int64) error {
	for _, q := range forgetExpertSQL {
		if _, err := tx.ExecContext(ctx, q, personID, formatTime(db.now())); err != nil {
			return fmt.Errorf("forget expert: %w", err)
		}
	}
	return nil
}
