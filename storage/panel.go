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

// panelSQL lists the elements on a collective's panel (the defaults first,
// then its own, each in the order added) with the latest value of each.
const panelSQL = `SELECT e.id, COALESCE(e.collective_id, 0), e.name, e.description, s.value, s.created_at
	FROM elements e
	LEFT JOIN slider_changes s ON s.id = (
		SELECT MAX(id) FROM slider_changes WHERE collective_id = ?1 AND element_id = e.id)
	WHERE e.collective_id IS NULL OR e.collective_id = ?1
	ORDER BY e.collective_id IS NOT NULL, e.position, e.id`

// Panel returns the collective's elements (defaults first, then its own,
// each in the order added) with their current values.
// Returns ENOTFOUND if the collective does not exist.
func (db *DB) Panel(ctx context.Context, collectiveID int64) ([]commands.Element, error) {
	var list []commands.Element
	err := db.read(ctx, func(tx *sql.Tx) error {
		if _, err := findCollective(ctx, tx, `id = ?`, collectiveID); err != nil {
			return err
		}
		var err error
		if list, err = queryAll(ctx, tx, scanElement, panelSQL, collectiveID); err != nil {
			return fmt.Errorf("panel: %w", err)
		}
		return nil
	})
	return list, err
}

// AddElement adds an element of the collective's own.
// Returns EINVALID for an empty name, ENOTFOUND if the collective does not
// exist, ECONFLICT if an element with that name is on its panel already
// (case- and accent-insensitively, defaults included).
func (db *DB) AddElement(ctx context.Context, ev string, collectiveID int64, name, description string, by commands.UserRef) (*commands.Element, error) {
	name, description = strings.TrimSpace(name), strings.TrimSpace(description)
	key := commands.NormalizeName(name)
	if key == "" {
		return nil, fmt.Errorf("element needs a name: %w", commands.ErrInvalid)
	}
	e := &commands.Element{CollectiveID: collectiveID, Name: name, Description: description}
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		if _, err := findCollective(ctx, tx, `id = ?`, collectiveID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM elements
			WHERE (collective_id IS NULL OR collective_id = ?) AND name_key = ?`, collectiveID, key).Scan(&n); err != nil {
			return fmt.Errorf("add element: %w", err)
		} else if n > 0 {
			return fmt.Errorf("element name taken: %w", commands.ErrConflict)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO elements (collective_id, name, name_key, description, position, created_at)
			VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM elements WHERE collective_id = ?1), ?5)
			RETURNING id`, collectiveID, name, key, description, formatTime(db.now())).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("add element: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// panelElementSQL finds an element on a collective's panel by its key;
// sliderValueSQL reads the slider's current value, the last entry of its
// range of slider_changes_element (TestMixedLoadPlansUseIndexes).
const (
	panelElementSQL = `SELECT name FROM elements WHERE id = ? AND (collective_id IS NULL OR collective_id = ?)`
	sliderValueSQL  = `SELECT value FROM slider_changes WHERE collective_id = ? AND element_id = ?
		ORDER BY id DESC LIMIT 1`
)

// SetSlider moves a slider and records the change with the previous value.
// Returns EINVALID for a value outside 0–10, ENOTFOUND if the element is not
// on the collective's panel.
func (db *DB) SetSlider(ctx context.Context, ev string, collectiveID, elementID int64, value int, why string, by commands.UserRef) (*commands.SliderChange, error) {
	if value < 0 || value > 10 {
		return nil, fmt.Errorf("slider value %d outside 0-10: %w", value, commands.ErrInvalid)
	}
	now := db.now()
	ch := &commands.SliderChange{CollectiveID: collectiveID, ElementID: elementID, Value: value, Why: why, At: now}
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		who, err := db.upsertPerson(ctx, tx, by)
		if err != nil {
			return err
		}
		if _, err := findCollective(ctx, tx, `id = ?`, collectiveID); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, panelElementSQL, elementID, collectiveID).Scan(&ch.ElementName)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("element not on this panel: %w", commands.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("set slider: %w", err)
		}
		var prev sql.NullInt64
		err = tx.QueryRowContext(ctx, sliderValueSQL, collectiveID, elementID).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("set slider: %w", err)
		}
		ch.Previous, ch.HadPrevious, ch.Who = int(prev.Int64), prev.Valid, who.name
		err = tx.QueryRowContext(ctx, `INSERT INTO slider_changes
			(collective_id, element_id, value, previous, author_id, author_name, why, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			collectiveID, elementID, value, prev, who.id, who.name, why, formatTime(now)).Scan(&ch.ID)
		if err != nil {
			return fmt.Errorf("set slider: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ch, nil
}

const sliderChangeColumns = `s.id, s.collective_id, s.element_id, e.name, s.value, s.previous, s.author_name, s.why, s.created_at`

// SliderChanges returns the collective's slider changes at or after since,
// oldest first; elementID 0 means every element.
func (db *DB) SliderChanges(ctx context.Context, collectiveID, elementID int64, since time.Time) ([]commands.SliderChange, error) {
	var list []commands.SliderChange
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, scanSliderChange, `SELECT `+sliderChangeColumns+`
			FROM slider_changes s JOIN elements e ON e.id = s.element_id
			WHERE s.collective_id = ?1 AND (?2 = 0 OR s.element_id = ?2) AND s.created_at >= ?3
			ORDER BY s.created_at, s.id`, collectiveID, elementID, formatTime(since))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("slider changes: %w", err)
	}
	return list, nil
}
