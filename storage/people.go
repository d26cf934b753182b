package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wijkbv/wijkbot/commands"
)

// author is who wrote a record: the people row (NULL for writes without a
// user) and the display name kept with the record.
type author struct {
	id   sql.NullInt64
	name string
}

// personSQL finds a person on their platform and id
// (TestMixedLoadPlansUseIndexes).
const personSQL = `SELECT id, name FROM people WHERE platform = ? AND user_id = ?`

// upsertPerson creates or renames the person behind by and returns them as an
// author. A write without a user (the scheduler) has a NULL author.
func (db *DB) upsertPerson(ctx context.Context, tx *sql.Tx, by commands.UserRef) (author, error) {
	if by.Platform == "" || by.ID == "" {
		return author{name: by.Name}, nil
	}
	// Nearly always the person is known under the same name: the cache
	// (peoplecache.go) or a look-up then suffices, where the upsert below
	// would rewrite the row (and its page) with the values it has.
	if a, ok := db.commits.person(by); ok && (by.Name == "" || by.Name == a.name) {
		return a, nil
	}
	var id int64
	var name string
	err := tx.QueryRowContext(ctx, personSQL, by.Platform, by.ID).Scan(&id, &name)
	switch {
	case err == nil && (by.Name == "" || by.Name == name):
		a := author{id: sql.NullInt64{Int64: id, Valid: true}, name: name}
		db.commits.notePerson(by, a, false)
		return a, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return author{}, fmt.Errorf("find person: %w", err)
	}
	now := formatTime(db.now())
	// An empty name (a platform that did not send one) keeps the known name.
	err = tx.QueryRowContext(ctx, `INSERT INTO people (platform, user_id, name, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (platform, user_id) DO UPDATE SET
			name = CASE WHEN excluded.name = '' THEN people.name ELSE excluded.name END,
			updated_at = CASE WHEN excluded.name = '' OR excluded.name = people.name THEN people.updated_at ELSE excluded.updated_at END
		RETURNING id, name`,
		by.Platform, by.ID, by.Name, now, now).Scan(&id, &name)
	if err != nil {
		return author{}, fmt.Errorf("upsert person: %w", err)
	}
	a := author{id: sql.NullInt64{Int64: id, Valid: true}, name: name}
	db.commits.notePerson(by, a, true)
	return a, nil
}

// personID returns the id of the person, ok false if unknown.
func personID(ctx context.Context, tx *sql.Tx, user commands.UserRef) (id int64, ok bool, err error) {
	err = tx.QueryRowContext(ctx, `SELECT id FROM people WHERE platform = ? AND user_id = ?`,
		user.Platform, user.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("find person: %w", err)
	}
	return id, true, nil
}
