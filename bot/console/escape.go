package console

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// visible returns s with every control character except newline and tab
// written out as an escape ("\x1b", "\r", "\u2028"), and every byte that is
// not UTF-8 as "\xNN". What the console prints comes partly from its input
// and from the database (names, progress texts): printed raw, an ESC
// sequence would clear the screen, retitle the terminal or hide text, a
// carriage return overwrite the line before it, and a lone byte 0x9b is a
// control sequence introducer on some terminals.
func visible(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case needsEscape(r, size) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r, size):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune, size int) bool {
	if r == utf8.RuneError && size == 1 {
		return true
	}
	if r == '\n' || r == '\t' {
		return false
	}
	// C0, DEL and C1 controls; the Unicode line and paragraph separators
	// break a line as \n would, without the chat prefix.
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
