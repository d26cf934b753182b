package discord

import (
	"strings"
	"unicode"
)

// maxContent is Discord's limit on a message's content, in characters.
const maxContent = 2000

// Escape makes text show literally in Discord: markdown characters get a
// backslash (which Discord hides), so a user's "*", "_" or "<@123>" cannot
// change formatting or form a mention. Web addresses are left alone so
// they stay clickable.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); {
		if hasURLPrefix(s[i:]) && (i == 0 || !isWordByte(s[i-1])) {
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && s[j] != '<' && s[j] != '>' {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			lineStart = false
			continue
		}
		c := s[i]
		switch {
		case strings.IndexByte("\\*_~`|[]<>", c) >= 0:
			b.WriteByte('\\')
		case lineStart && strings.IndexByte("#-+", c) >= 0:
			// Headings and list items only start a line.
			b.WriteByte('\\')
		case lineStart && c >= '0' && c <= '9':
			// "1. item" at a line start would become a numbered list.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && (s[j] == '.' || s[j] == ')') {
				b.WriteString(s[i:j])
				b.WriteByte('\\')
				b.WriteByte(s[j])
				i = j + 1
				lineStart = false
				continue
			}
		}
		b.WriteByte(c)
		switch {
		case c == '\n':
			lineStart = true
		case c == ' ' || c == '\t':
			// Indentation keeps the line start.
		default:
			lineStart = false
		}
		i++
	}
	return b.String()
}

func hasURLPrefix(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// chunks splits text into pieces that fit one message after escaping:
// at line ends where possible, never inside a character.
func chunks(text string) []string {
	const limit = maxContent / 2 // escaping at most doubles the length
	var out []string
	for len([]rune(text)) > limit {
		r := []rune(text)
		cut := limit
		for k := limit; k > limit/2; k-- {
			if r[k-1] == '\n' {
				cut = k
				break
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), "\n"))
		text = string(r[cut:])
	}
	if text != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}
