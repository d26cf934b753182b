package commands

import (
	"strings"
	"unicode/utf8"
)

// replyMaxChars bounds a listing reply: about two Telegram messages (4,096
// characters each) or three Discord ones (2,000), so one command costs a
// group a few of the 20 messages a minute Telegram lets a bot send there,
// not dozens. A list cut short says how many it left out and where they
// are ("en nog N, zie …").
const replyMaxChars = 6000

// bounded writes the items of a list into b while the text stays within
// replyMaxChars, keeping room for a closing line and the "en nog N" line.
type bounded struct {
	b     *strings.Builder
	n     int // characters in b
	room  int // characters kept for what follows the list
	added int // items written
}

func newBounded(b *strings.Builder, tail string) *bounded {
	return &bounded{b: b, n: utf8.RuneCountInString(b.String()), room: utf8.RuneCountInString(tail) + 200}
}

// add writes item if it fits (the first always does) and reports whether it did.
func (l *bounded) add(item string) bool {
	n := utf8.RuneCountInString(item)
	if l.added > 0 && l.n+n+l.room > replyMaxChars {
		return false
	}
	l.b.WriteString(item)
	l.n += n
	l.added++
	return true
}
