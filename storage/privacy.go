package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// What /vergeetmij erases and what it keeps is decided column by column in
// Personal (personal.go): the people row goes, names become ErasedAuthor,
// the title of the person's own chat is cleared where its id is the
// person's (Telegram) and the chat is deleted where it is recorded as
// theirs (a Discord DM), and the texts the
// collective keeps as its record (progress, help requests, answers, slider
// changes, check-in answers) stay without their author. Event ids in
// processed_events identify platform events, not people, and are kept so a
// re-delivered event is still recognised.

// PersonalData returns everything stored about the person: their name,
// their own chat with the bot, every record they wrote and every
// help request they took as staff. The fields match Personal's Access
// fields. An unknown person gets an empty PersonalData.
func (db *DB) PersonalData(ctx context.Context, user commands.UserRef) (*commands.PersonalData, error) {
	pd := &commands.PersonalData{Platform: user.Platform, UserID: user.ID}
	err := db.read(ctx, func(tx *sql.Tx) error {
		// The person's own chat: by its id where that is theirs
		// (Telegram), else by its recorded owner (a Discord DM).
		chat, err := scanChat(tx.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats
			WHERE platform = ?1 AND (chat_id = ?2 OR owner_id = ?2) ORDER BY chat_id = ?2 DESC LIMIT 1`,
			user.Platform, user.ID))
		if err == nil {
			pd.PrivateChat = &chat
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `SELECT id, name, created_at, updated_at FROM people WHERE platform = ? AND user_id = ?`,
			user.Platform, user.ID).Scan(&id, &pd.Name, scanTime(&pd.KnownSince), scanTime(&pd.NameUpdated))
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
		if pd.Claimed, err = queryAll(ctx, tx, scanRequest, `SELECT `+requestColumns+requestFrom+
			`WHERE r.claimed_by_id = ? ORDER BY r.number`, id); err != nil {
			return err
		}
		if pd.Answers, err = queryAll(ctx, tx, scanStaffAnswer, `SELECT a.number, c.name, a.text, a.author_name, a.created_at, COALESCE(a.expert_id, 0)
			FROM help_answers a JOIN help_requests r ON r.number = a.number JOIN collectives c ON c.id = r.collective_id
			WHERE a.author_id = ? ORDER BY a.id`, id); err != nil {
			return err
		}
		if pd.SliderChanges, err = queryAll(ctx, tx, scanSliderChange, `SELECT `+sliderChangeColumns+`
			FROM slider_changes s JOIN elements e ON e.id = s.element_id
			WHERE s.author_id = ? ORDER BY s.id`, id); err != nil {
			return err
		}
		if pd.InvitedExperts, err = queryAll(ctx, tx, func(row scanner) (x commands.InvitedExpert, err error) {
			err = row.Scan(&x.Expert, &x.By, scanTime(&x.At))
			return x, err
		}, `SELECT name, invited_by_name, created_at FROM experts WHERE invited_by_id = ? ORDER BY id`, id); err != nil {
			return err
		}
		if pd.Lessons, err = queryAll(ctx, tx, scanLesson, `SELECT `+lessonColumns+`, ''`+lessonFrom+
			`WHERE l.author_id = ? ORDER BY l.number`, id); err != nil {
			return err
		}
		if pd.SparAsked, err = queryAll(ctx, tx, scanInvitation, `SELECT `+invitationColumns+invitationFrom+
			`WHERE i.asked_by_id = ? ORDER BY i.id`, id); err != nil {
			return err
		}
		if pd.SparAnswered, err = queryAll(ctx, tx, scanInvitation, `SELECT `+invitationColumns+invitationFrom+
			`WHERE i.answered_by_id = ? ORDER BY i.id`, id); err != nil {
			return err
		}
		if pd.Meetings, err = queryAll(ctx, tx, scanMeeting, `SELECT `+meetingColumns+` FROM meetings
			WHERE created_by_id = ? ORDER BY number`, id); err != nil {
			return err
		}
		if pd.RSVPs, err = queryAll(ctx, tx, scanRSVP, `SELECT `+rsvpColumns+` FROM meeting_rsvps r
			LEFT JOIN collectives c ON c.id = r.collective_id WHERE r.person_id = ? ORDER BY r.meeting`, id); err != nil {
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

// scanStaffAnswer reads number, collective name, text, author_name,
// created_at and expert id of an answer.
func scanStaffAnswer(row scanner) (commands.Answer, error) {
	var a commands.Answer
	err := row.Scan(&a.Number, &a.CollectiveName, &a.Text, &a.Author, scanTime(&a.CreatedAt), &a.ExpertID)
	return a, err
}

// eraseSQL is what ForgetPerson runs, derived once from Personal.
var eraseSQL = eraseStatements(Personal)

// ForgetPerson erases the person's personal data as Personal says (see the
// comment at the top of this file). Forgetting an unknown person still
// clears the title of their own chat, and otherwise does nothing.
//
// The old values must not stay readable in the file: secure_delete (in the
// DSN) zeroes freed space in the database file, and once the erasure has
// committed, a TRUNCATE checkpoint copies the pages into the database file
// and empties the WAL, which still holds the pages as they were.
func (db *DB) ForgetPerson(ctx context.Context, ev string, user commands.UserRef) error {
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		id, ok, err := personID(ctx, tx, user)
		if err != nil {
			return err
		}
		// An expert's role ends first (see forgetExpert); then the
		// personal columns are erased as Personal says.
		if ok {
			if err := db.forgetExpert(ctx, tx, id); err != nil {
				return err
			}
		}
		pid := sql.NullInt64{Int64: id, Valid: ok}
		for _, q := range eraseSQL {
			if _, err := tx.ExecContext(ctx, q, pid, user.Platform, user.ID, commands.ErasedAuthor); err != nil {
				return fmt.Errorf("forget person: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.checkpoint(ctx)
}

// checkpoint copies every committed page from the WAL into the database
// file and truncates the WAL to zero bytes. It waits (busy_timeout) for
// readers still using older pages of the WAL; if some reader outlasts that,
// an error says so and the checkpointer's next pause truncates instead
// (scrubLater).
//
// While another checkpoint runs (the idle checkpointer's, in every pause,
// or another program's) SQLite refuses this one at once, busy_timeout or
// not, and reports no pages (-1): it is tried again until that one is
// done, for up to checkpointTurnWait.
func (db *DB) checkpoint(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			db.commits.ckpt.scrubLater()
		}
	}()
	deadline := time.Now().Add(checkpointTurnWait)
	for {
		var busy, logPages, done int
		if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		switch {
		case busy == 0:
			return nil
		case logPages != -1:
			return fmt.Errorf("checkpoint: readers kept %d of %d pages in the WAL", logPages-done, logPages)
		case time.Now().After(deadline):
			return fmt.Errorf("checkpoint: another checkpoint still runs after %v", checkpointTurnWait)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("checkpoint: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// checkpointTurnWait bounds how long checkpoint waits for another
// checkpoint to finish: as long as busy_timeout lets it wait for readers.
const checkpointTurnWait = 5 * time.Second
