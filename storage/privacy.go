package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wijkbv/wijkbot/commands"
)

// What /vergeetmij erases and what it keeps.
//
// Erased: the people row (platform, user id, display name), and the author's
// name on every record; records point to people by id and that id becomes
// NULL when the row is deleted. The title of the person's own chat with the
// bot is cleared (see ownChatSQL).
//
// Kept, with ErasedAuthor as author: progress entries, help requests (asked
// or claimed), staff answers, slider changes and check-in answers. They are
// the collective's record of its own work, which the collective and the
// programme still need; their texts are not rewritten.
//
// Event ids in processed_events identify platform events, not people, and
// are kept so a re-delivered event is still recognised.

// PersonalData returns everything stored about the person: their name and
// every record they wrote. An unknown person gets an empty PersonalData.
func (db *DB) PersonalData(ctx context.Context, user commands.UserRef) (*commands.PersonalData, error) {
	pd := &commands.PersonalData{Platform: user.Platform, UserID: user.ID}
	err := db.read(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id, name FROM people WHERE platform = ? AND user_id = ?`,
			user.Platform, user.ID).Scan(&id, &pd.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if pd.Entries, err = queryAll(ctx, tx, scanEntry, `SELECT `+entryColumns+` FROM entries e
			WHERE e.author_id = ? ORDER BY e.id`, id); err != nil {
			return err
		}
		if pd.HelpRequests, err = queryAll(ctx, tx, scanRequest, `SELECT `+requestColumns+requestFrom+
			`WHERE r.asked_by_id = ? ORDER BY r.number`, id); err != nil {
			return err
		}
		if pd.Answers, err = queryAll(ctx, tx, scanAnswer, `SELECT text, author_name, created_at
			FROM help_answers WHERE author_id = ? ORDER BY id`, id); err != nil {
			return err
		}
		if pd.SliderChanges, err = queryAll(ctx, tx, scanSliderChange, `SELECT `+sliderChangeColumns+`
			FROM slider_changes s JOIN elements e ON e.id = s.element_id
			WHERE s.author_id = ? ORDER BY s.id`, id); err != nil {
			return err
		}
		pd.CheckinAnswers, err = queryAll(ctx, tx, scanCheckinAnswer, `SELECT round_id, text, author_name, created_at
			FROM checkin_answers WHERE author_id = ? ORDER BY id`, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("personal data: %w", err)
	}
	return pd, nil
}

// eraseSQL renames the person's records to ErasedAuthor before the people
// row is deleted (which sets their author ids to NULL).
var eraseSQL = []string{
	`UPDATE entries SET author_name = ?2 WHERE author_id = ?1`,
	`UPDATE help_requests SET asked_by_name = ?2 WHERE asked_by_id = ?1`,
	`UPDATE help_requests SET claimed_by_name = ?2 WHERE claimed_by_id = ?1`,
	`UPDATE help_answers SET author_name = ?2 WHERE author_id = ?1`,
	`UPDATE slider_changes SET author_name = ?2 WHERE author_id = ?1`,
	`UPDATE checkin_answers SET author_name = ?2 WHERE author_id = ?1`,
	// The network (issue 13): lessons and invitations stay, nameless and
	// without a way to reach the person; answers to meetings are only the
	// person's, so they go (the people row's deletion would cascade too).
	`UPDATE lessons SET author_name = ?2 WHERE author_id = ?1`,
	`UPDATE spar_invitations SET asked_by_name = ?2, asked_by_contact = '' WHERE asked_by_id = ?1`,
	`UPDATE spar_invitations SET answered_by_name = ?2, answered_by_contact = '' WHERE answered_by_id = ?1`,
	`UPDATE meetings SET created_by_name = ?2 WHERE created_by_id = ?1`,
	`DELETE FROM meeting_rsvps WHERE person_id = ?1`,
	`DELETE FROM people WHERE id = ?1`,
}

// ownChatSQL clears the title of the person's own chat with the bot: the
// chat whose id on the person's platform is the person's id. A platform
// that gives a one-to-one chat the id of the person in it also titles that
// chat with the person's name, which is personal data; on a platform whose
// one-to-one chats have ids of their own no chat matches. Storage compares
// ids only; which platform does what is the adapters' business.
const ownChatSQL = `UPDATE chats SET title = '' WHERE platform = ? AND chat_id = ?`

// ForgetPerson erases the person's name and ids; the records the collective
// needs are kept with ErasedAuthor as author (see the comment at the top of
// this file). Forgetting an unknown person does nothing.
func (db *DB) ForgetPerson(ctx context.Context, ev string, user commands.UserRef) error {
	return db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, ownChatSQL, user.Platform, user.ID); err != nil {
			return fmt.Errorf("forget person: %w", err)
		}
		id, ok, err := personID(ctx, tx, user)
		if err != nil || !ok {
			return err
		}
		if err := db.forgetExpert(ctx, tx, id); err != nil {
			return err
		}
		for _, q := range eraseSQL {
			if _, err := tx.ExecContext(ctx, q, id, commands.ErasedAuthor); err != nil {
				return fmt.Errorf("forget person: %w", err)
			}
		}
		return nil
	})
}
