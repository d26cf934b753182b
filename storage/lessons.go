package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/wijkbv/wijkbot/commands"
)

var _ commands.LessonStore = (*DB)(nil)

// AddLesson stores l with the next programme-wide number (Number, Sharing,
// Author and CreatedAt are set). Returns ENOTFOUND if the collective does
// not exist.
func (db *DB) AddLesson(ctx context.Context, ev string, l *commands.Lesson, by commands.UserRef) error {
	now := db.now()
	var number int64
	var who author
	var collective string
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		var err error
		if who, err = db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		c, err := findCollective(ctx, tx, `id = ?`, l.CollectiveID)
		if err != nil {
			return err
		}
		collective = c.Name
		err = tx.QueryRowContext(ctx, `INSERT INTO lessons (collective_id, text, author_id, author_name, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING number`,
			l.CollectiveID, l.Text, who.id, who.name, l.Source, formatTime(now)).Scan(&number)
		if err != nil {
			return fmt.Errorf("add lesson: %w", err)
		}
		for i, theme := range l.Themes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lesson_themes (lesson, position, theme) VALUES (?, ?, ?)`,
				number, i, strings.ToLower(theme)); err != nil {
				return fmt.Errorf("add lesson theme: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.Number, l.CollectiveName, l.Sharing, l.Author, l.CreatedAt = number, collective, commands.SharingPending, who.name, now
	return nil
}

// lessonColumns are read by scanLesson; the last one is the excerpt.
const lessonColumns = `l.number, l.collective_id, c.name, l.text, l.sharing, l.author_name, l.source, l.created_at, l.sharing_at,
	COALESCE((SELECT group_concat(theme, char(31) ORDER BY position) FROM lesson_themes t WHERE t.lesson = l.number), '')`

const lessonFrom = ` FROM lessons l JOIN collectives c ON c.id = l.collective_id `

func scanLesson(row scanner) (commands.Lesson, error) {
	var l commands.Lesson
	var themes string
	err := row.Scan(&l.Number, &l.CollectiveID, &l.CollectiveName, &l.Text, &l.Sharing, &l.Author, &l.Source,
		scanTime(&l.CreatedAt), scanTime(&l.SharingAt), &themes, &l.Excerpt)
	if themes != "" {
		l.Themes = strings.Split(themes, "\x1f")
	}
	return l, err
}

func findLesson(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, number int64) (*commands.Lesson, error) {
	l, err := scanLesson(q.QueryRowContext(ctx, `SELECT `+lessonColumns+`, ''`+lessonFrom+`WHERE l.number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("lesson not found: %w", commands.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("lesson: %w", err)
	}
	return &l, nil
}

// Lesson returns the lesson. Returns ENOTFOUND.
func (db *DB) Lesson(ctx context.Context, number int64) (*commands.Lesson, error) {
	return findLesson(ctx, db.db, number)
}

// SetLessonSharing sets a lesson of the collective to SharingNetwork or
// SharingTeam. Returns ENOTFOUND if the collective has no such lesson,
// EINVALID for another state.
func (db *DB) SetLessonSharing(ctx context.Context, ev string, collectiveID, number int64, sharing string, by commands.UserRef) (*commands.Lesson, error) {
	if sharing != commands.SharingNetwork && sharing != commands.SharingTeam {
		return nil, fmt.Errorf("bad sharing state: %w", commands.ErrInvalid)
	}
	var l *commands.Lesson
	err := db.write(ctx, ev, func(tx *sql.Tx) error {
		if _, err := db.upsertPerson(ctx, tx, by); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE lessons SET sharing = ?, sharing_at = ? WHERE number = ? AND collective_id = ?`,
			sharing, formatTime(db.now()), number, collectiveID)
		if err != nil {
			return fmt.Errorf("set lesson sharing: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("set lesson sharing: %w", err)
		} else if n == 0 {
			return fmt.Errorf("lesson not found: %w", commands.ErrNotFound)
		}
		l, err = findLesson(ctx, tx, number)
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Lessons returns the lessons the filter selects: ranked by relevance when
// it has a query (bm25, then newest), else newest first.
func (db *DB) Lessons(ctx context.Context, f commands.LessonFilter) ([]commands.Lesson, error) {
	var where []string
	var args []any
	switch f.Scope {
	case commands.LessonsShared:
		where = append(where, `l.sharing = 'network'`)
	case commands.LessonsSharedAndOwn:
		where = append(where, `(l.sharing = 'network' OR l.collective_id = ?)`)
		args = append(args, f.CollectiveID)
	case commands.LessonsAll:
		if f.CollectiveID != 0 {
			where = append(where, `l.collective_id = ?`)
			args = append(args, f.CollectiveID)
		}
	default:
		return nil, fmt.Errorf("lessons: unknown scope %d", f.Scope)
	}
	if !f.Since.IsZero() {
		where = append(where, `l.created_at >= ?`)
		args = append(args, formatTime(f.Since))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}
	var query string
	if strings.TrimSpace(f.Query) == "" {
		query = `SELECT ` + lessonColumns + `, ''` + lessonFrom + cond + ` ORDER BY l.number DESC LIMIT ? OFFSET ?`
	} else {
		match := FTSQuery(f.Query)
		if match == "" {
			return nil, nil // no word at all: nothing can match
		}
		// The match runs first, in a CTE, so rank and snippet see the
		// full-text table as the query they belong to.
		query = `WITH m AS (SELECT rowid AS number, rank, snippet(lessons_fts, 0, '', '', '…', ` + excerptTokens + `) AS excerpt
			FROM lessons_fts WHERE lessons_fts MATCH ?)
			SELECT ` + lessonColumns + `, m.excerpt FROM m JOIN lessons l ON l.number = m.number
			JOIN collectives c ON c.id = l.collective_id` + cond + ` ORDER BY m.rank, l.number DESC LIMIT ? OFFSET ?`
		args = append([]any{match}, args...)
	}
	args = append(args, limit, max(0, f.Offset))
	list, err := queryAll(ctx, db.db, scanLesson, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lessons: %w", err)
	}
	return list, nil
}

// excerptTokens is how many words an excerpt around a match has.
const excerptTokens = "12"

// Bounds on a search, so a pasted page cannot make a query of thousands of
// phrases.
const (
	maxQueryWords   = 16
	maxQueryWordLen = 64
)

// FTSQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: each word (a run of letters, digits and combining marks;
// everything else separates, so "#thema" is the word "thema") becomes a
// quoted string, and the strings are joined by spaces, which FTS5 reads as
// AND. No FTS5 operator, column filter or prefix can come from the input:
// inside quotes nothing is an operator, and a word holds no quote. It
// returns "" when the input has no word.
func FTSQuery(s string) string {
	var words []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
	}) {
		if r := []rune(w); len(r) > maxQueryWordLen {
			w = string(r[:maxQueryWordLen])
		}
		// A word of marks alone ("\u0301") has no letter left once
		// diacritics are removed; it would match nothing.
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		key := strings.ToLower(w)
		if seen[key] {
			continue
		}
		seen[key] = true
		words = append(words, `"`+w+`"`)
		if len(words) == maxQueryWords {
			break
		}
	}
	return strings.Join(words, " ")
}
