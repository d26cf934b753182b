package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// htmlTags are the tags the Bot API accepts in parse_mode HTML.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// parseHTML returns the text a Telegram user sees for a message sent with
// parse_mode HTML, or the Bot API's complaint. It is strict where the API
// documentation is: every <, > and & that is not part of a tag or entity
// must be escaped.
func parseHTML(s string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("can't parse entities: Unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			name := strings.ToLower(strings.Fields(strings.TrimPrefix(tag, "/") + " ")[0])
			if !htmlTags[name] {
				if closing {
					return "", fmt.Errorf("can't parse entities: Unexpected end tag at byte offset %d", i)
				}
				return "", fmt.Errorf("can't parse entities: Unsupported start tag %q at byte offset %d", name, i)
			}
			if closing {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("can't parse entities: Unmatched end tag at byte offset %d", i)
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, name)
			}
			i += end + 1
		case '>':
			return "", fmt.Errorf("can't parse entities: Character '>' is reserved and must be escaped at byte offset %d", i)
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 12 {
				return "", fmt.Errorf("can't parse entities: Character '&' is reserved and must be escaped at byte offset %d", i)
			}
			r, ok := entity(s[i+1 : i+end])
			if !ok {
				return "", fmt.Errorf("can't parse entities: Unsupported HTML entity at byte offset %d", i)
			}
			out.WriteRune(r)
			i += end + 1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", fmt.Errorf("text must be encoded in UTF-8")
			}
			out.WriteRune(r)
			i += size
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't parse entities: Can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return out.String(), nil
}

// entity decodes the named entities the API supports and numeric ones.
func entity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	if !strings.HasPrefix(name, "#") {
		return 0, false
	}
	num, base := name[1:], 10
	if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
		num, base = num[1:], 16
	}
	n, err := strconv.ParseUint(num, base, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// utf16Len is the length the Bot API's limits count. Written differently
// from the adapter's count on purpose: the fake checks it independently.
func utf16Len(s string) int {
	return len(utf16.Encode([]rune(s)))
}
