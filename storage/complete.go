package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/wijkbv/wijkbot/commands"
)

// Autocompletion of collective names (collectives_fts, 084). Discord asks
// at every keystroke, so each query reads at most what it shows: a range
// of an index and a limit, never every collective.

// namesStartingSQL is the names whose key starts with ?1, in name order:
// a range of the name_key index, read up to the limit. ?2 is ?1 followed
// by the byte 0xF5, which no UTF-8 text holds, so the range is exactly the
// keys that start with ?1.
const namesStartingSQL = `SELECT name FROM collectives
	WHERE name_key >= ?1 AND name_key < ?2 AND id <> ?3
	ORDER BY name_key LIMIT ?4`

// namesWithWordSQL is the names with a word (not the first: those are
// namesStartingSQL's) that starts with the phrase ?1, an FTS5 prefix
// query. It reads the matches in the index's order and stops at the
// limit; their names are put in order afterwards.
const namesWithWordSQL = `SELECT c.name, c.name_key FROM collectives_fts f JOIN collectives c ON c.id = f.rowid
	WHERE collectives_fts MATCH ?1 AND NOT (c.name_key >= ?2 AND c.name_key < ?3) AND c.id <> ?4
	LIMIT ?5`

// CollectiveNames returns the names of at most limit collectives for the
// autocompletion of partial, what the user typed so far (case and accents
// ignored, as NormalizeName compares names): first the names that start
// with it, in name order, then names with a later word that starts with
// it ("noord" finds "Bewonersbedrijf Noord"), in name order among
// themselves. except (0 for none) is left out. When more than limit
// later-word matches exist, the ones shown are the first found, not the
// first by name: finding those would read every match.
func (db *DB) CollectiveNames(ctx context.Context, partial string, except int64, limit int) ([]string, error) {
	if limit <= 0 {
		return nil, nil
	}
	key := commands.NormalizeName(partial)
	names, err := queryAll(ctx, db.db, scanString, namesStartingSQL, key, key+"\xf5", except, limit)
	if err != nil {
		return nil, fmt.Errorf("collective names: %w", err)
	}
	match := phrasePrefix(partial)
	if len(names) == limit || match == "" {
		return names, nil
	}
	type named struct{ name, key string }
	more, err := queryAll(ctx, db.db, func(row scanner) (n named, err error) {
		err = row.Scan(&n.name, &n.key)
		return n, err
	}, namesWithWordSQL, match, key, key+"\xf5", except, limit-len(names))
	if err != nil {
		return nil, fmt.Errorf("collective names: %w", err)
	}
	slices.SortFunc(more, func(a, b named) int { return strings.Compare(a.key, b.key) })
	for _, n := range more {
		names = append(names, n.name)
	}
	return names, nil
}

// phrasePrefix turns what a user typed into an FTS5 phrase whose last word
// is a prefix ("de pij" finds "De Pijp"): its words (as FTSQuery reads
// them: runs of letters, digits and marks) in one quoted string, which
// holds no operator, followed by *. It returns "" when partial has no word.
func phrasePrefix(partial string) string {
	var words []string
	for _, w := range strings.FieldsFunc(partial, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
	}) {
		if r := []rune(w); len(r) > maxQueryWordLen {
			w = string(r[:maxQueryWordLen])
		}
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		words = append(words, w)
		if len(words) == maxQueryWords {
			break
		}
	}
	if len(words) == 0 {
		return ""
	}
	return `"` + strings.Join(words, " ") + `"*`
}
