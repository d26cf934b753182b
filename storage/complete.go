package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wijkbv/wijkbot/commands"
)

// Autocompletion of collective names (collective_names and its full-text
// indexes, 087). Discord asks at every keystroke, so each query reads at
// most what it shows, and a few it skips: a range of an index and a
// limit, never every collective. The full-text indexes are keyed by a
// position in name order, so their matches come in name order too.

// namesStartingSQL is the names whose key starts with ?1, in name order:
// a range of the name_key index, read up to the limit. ?2 is ?1 followed
// by the byte 0xF5, which no UTF-8 text holds, so the range is exactly the
// keys that start with ?1.
const namesStartingSQL = `SELECT name FROM collectives
	WHERE name_key >= ?1 AND name_key < ?2 AND id <> ?3
	ORDER BY name_key LIMIT ?4`

// namesMatchingSQL is the names that match ?1 in the full-text index %s
// (collective_names_words or collective_names_grams), in name order (the
// index's rowid order, so it stops at the limit), leaving out those that
// start with ?2 (namesStartingSQL's). Its rows read are the limit plus
// those left out (fewer than a limit each, or there would be no call).
const namesMatchingSQL = `SELECT c.id, c.name FROM %[1]s f
	JOIN collective_names n ON n.pos = f.rowid
	JOIN collectives c ON c.id = n.collective_id
	WHERE %[1]s MATCH ?1 AND NOT (n.name_key >= ?2 AND n.name_key < ?3) AND n.collective_id <> ?4
	ORDER BY f.rowid LIMIT ?5`

var (
	// namesWithWordSQL is the names with a word (not the first: those are
	// namesStartingSQL's) that starts with the phrase ?1, an FTS5 prefix
	// query on the words of the names.
	namesWithWordSQL = fmt.Sprintf(namesMatchingSQL, "collective_names_words")
	// namesContainingSQL is the names that contain ?1, a quoted FTS5
	// string, on the trigrams of the names: at least 3 characters.
	namesContainingSQL = fmt.Sprintf(namesMatchingSQL, "collective_names_grams")
)

// CollectiveNames returns the names of at most limit collectives for the
// autocompletion of partial, what the user typed so far (case and accents
// ignored, as NormalizeName compares names): first the names that start
// with it, then names with a later word that starts with it ("noord"
// finds "Bewonersbedrijf Noord"), then, from 3 characters on, names that
// contain it elsewhere ("bedrijf" finds "Bewonersbedrijf Noord"), each
// group in name order, no name twice. except (0 for none) is left out.
func (db *DB) CollectiveNames(ctx context.Context, partial string, except int64, limit int) ([]string, error) {
	if limit <= 0 {
		return nil, nil
	}
	key := commands.NormalizeName(partial)
	names, err := queryAll(ctx, db.db, scanString, namesStartingSQL, key, key+"\xf5", except, limit)
	if err != nil {
		return nil, fmt.Errorf("collective names: %w", err)
	}
	type named struct {
		id   int64
		name string
	}
	scanNamed := func(row scanner) (n named, err error) {
		err = row.Scan(&n.id, &n.name)
		return n, err
	}
	shown := map[int64]bool{}
	for _, q := range []struct{ sql, match string }{
		{namesWithWordSQL, phrasePrefix(partial)},
		{namesContainingSQL, substring(key)},
	} {
		if len(names) == limit || q.match == "" {
			continue
		}
		// The names already shown by the words are read again here, and
		// skipped: at most limit of them.
		more, err := queryAll(ctx, db.db, scanNamed, q.sql, q.match, key, key+"\xf5", except, limit-len(names)+len(shown))
		if err != nil {
			return nil, fmt.Errorf("collective names: %w", err)
		}
		for _, n := range more {
			if !shown[n.id] && len(names) < limit {
				shown[n.id] = true
				names = append(names, n.name)
			}
		}
	}
	return names, nil
}

// substring turns key, what a user typed as NormalizeName reads it, into
// an FTS5 string for the trigram index: the text in double quotes (a
// quote doubled), so that *, -, :, ( and ^ are characters to find, not
// operators. It returns "" for fewer than 3 characters, which the
// trigrams cannot find and nearly every name contains.
func substring(key string) string {
	if utf8.RuneCountInString(key) < 3 {
		return ""
	}
	return `"` + strings.ReplaceAll(key, `"`, `""`) + `"`
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
