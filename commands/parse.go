package commands

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parse errors that mean "stay silent": the text is not a command, or it is a
// command for another bot in the same group.
var (
	ErrNotCommand = errors.New("not a command")
	ErrOtherBot   = errors.New("command for another bot")
)

// UnknownCommandError is returned by Parse for a /word that is no command.
type UnknownCommandError struct{ Name string }

func (e *UnknownCommandError) Error() string { return "unknown command /" + e.Name }

// ExtraArgsError is returned by Parse when words are left after the last option.
type ExtraArgsError struct {
	Command *Command
	Extra   string
}

func (e *ExtraArgsError) Error() string { return "extra arguments for /" + e.Command.Name }

// UnclosedQuoteError is returned by Parse for a quote that is never closed.
type UnclosedQuoteError struct{ Command *Command }

func (e *UnclosedQuoteError) Error() string { return "unclosed quote in /" + e.Command.Name }

// Parse splits a typed command line ("/schuif zeggenschap 7 we stemmen nu samen")
// into its command and raw option values, by the order of the command's options:
//   - the last text option takes the rest of the line;
//   - a value may be quoted ("Bewonersbedrijf Noord"), also with “curly” quotes;
//   - a text option followed by an integer option takes the words up to the
//     first whole number, so "/schuif impact op wonen 7" needs no quotes.
//
// botName is the bot's username; "/cmd@Other" is ErrOtherBot. Values are not
// validated here; Handler does that with the command table.
func (t Table) Parse(line, botName string) (*Command, map[string]string, error) {
	cmd, rest, err := t.command(line, botName)
	if err != nil {
		return nil, nil, err
	}
	args := map[string]string{}
	for i, opt := range cmd.Options {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		last := i == len(cmd.Options)-1
		switch {
		case opt.Type == OptText && last:
			args[opt.Name] = unquoteWhole(strings.TrimSpace(rest))
			rest = ""
		case opt.Type == OptText && !isQuote(firstRune(rest)) && cmd.Options[i+1].Type == OptInt:
			args[opt.Name], rest = splitBeforeNumber(rest)
		default:
			v, r, ok := nextToken(rest)
			if !ok {
				return cmd, nil, &UnclosedQuoteError{Command: cmd}
			}
			args[opt.Name], rest = v, r
		}
	}
	if extra := strings.TrimSpace(rest); extra != "" {
		return cmd, args, &ExtraArgsError{Command: cmd, Extra: extra}
	}
	return cmd, args, nil
}

// Command is the command of a typed command line, found as Parse finds
// it (ErrNotCommand, ErrOtherBot, *UnknownCommandError alike), without
// reading its options: for an adapter that needs to know only which
// command it is (who may run it, whether it is slow) before the runtime
// parses the line itself, so the options are read once a command.
func (t Table) Command(line, botName string) (*Command, error) {
	cmd, _, err := t.command(line, botName)
	return cmd, err
}

// command finds the command of line and returns the rest of the line,
// its options.
func (t Table) command(line, botName string) (*Command, string, error) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "/") || len(line) < 2 {
		return nil, "", ErrNotCommand
	}
	head, rest := line[1:], ""
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 {
		head, rest = head[:i], head[i:]
	}
	name, addressee, _ := strings.Cut(head, "@")
	if addressee != "" && !strings.EqualFold(addressee, botName) {
		return nil, "", ErrOtherBot
	}
	if name == "" {
		return nil, "", ErrNotCommand
	}
	cmd := t.Lookup(name)
	if cmd == nil {
		return nil, "", &UnknownCommandError{Name: name}
	}
	return cmd, rest, nil
}

// Description is the command's description in language l, from the
// message catalogue (the entry's Desc).
func (c *Command) Description(l Lang) string {
	if c.Desc == 0 {
		return ""
	}
	return l.Msg(c.Desc)
}

// Description is the option's description in language l, from the message
// catalogue (the declaration's Desc); "" for a hidden option without one.
func (o Option) Description(l Lang) string {
	if o.Desc == 0 {
		return ""
	}
	return l.Msg(o.Desc)
}

// LocalName is the command's name in language l: the English alias in
// English, else the Dutch name (names are part of the command contract and
// live in the table; other languages type the Dutch ones).
func (c *Command) LocalName(l Lang) string {
	if l == EN && c.English != "" {
		return c.English
	}
	return c.Name
}

// Usage is the command as a user types it: "/schuif <element> <waarde> [toelichting]".
func (c *Command) Usage(lang Lang) string {
	var b strings.Builder
	b.WriteString("/")
	if lang == EN && c.English != "" {
		b.WriteString(c.English)
	} else {
		b.WriteString(c.Name)
	}
	for _, o := range c.Options {
		if o.Hidden {
			continue
		}
		n := o.Name
		if lang == EN && o.NameEN != "" {
			n = o.NameEN
		}
		if o.Required {
			b.WriteString(" <" + n + ">")
		} else {
			b.WriteString(" [" + n + "]")
		}
	}
	return b.String()
}

var quotePairs = map[rune]rune{'"': '"', '“': '”', '„': '”', '\'': '\'', '‘': '’'}

func isQuote(r rune) bool { _, ok := quotePairs[r]; return ok }

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// looksNumeric says whether a word was meant as a number ("7", "-1", "7,0"),
// so it ends a multi-word text option; "zeven" is not caught here.
func looksNumeric(w string) bool {
	w = strings.TrimLeft(w, "+-")
	return w != "" && w[0] >= '0' && w[0] <= '9'
}

// splitBeforeNumber splits "impact op wonen 7 reden" into the text before the
// first numeric-looking word and the rest. Without such a word the last word
// is taken as the (bad) number, so "/schuif zeggenschap zeven" complains about
// "zeven" instead of about an unknown element "zeggenschap zeven".
func splitBeforeNumber(s string) (text, rest string) {
	type span struct{ start, end int }
	var words []span
	// Decode runes, not bytes: the bytes of "à" (C3 A0) include A0, which as
	// a rune on its own is a no-break space (found by FuzzParse).
	isSpaceAt := func(i int) (bool, int) {
		r, size := utf8.DecodeRuneInString(s[i:])
		return unicode.IsSpace(r), size
	}
	for i := 0; i < len(s); {
		for i < len(s) {
			sp, size := isSpaceAt(i)
			if !sp {
				break
			}
			i += size
		}
		start := i
		for i < len(s) {
			sp, size := isSpaceAt(i)
			if sp {
				break
			}
			i += size
		}
		if i > start {
			words = append(words, span{start, i})
		}
	}
	if len(words) == 0 {
		return "", ""
	}
	cut := len(words) - 1
	if cut == 0 {
		cut = 1
	}
	for k := 1; k < len(words); k++ {
		if looksNumeric(s[words[k].start:words[k].end]) {
			cut = k
			break
		}
	}
	return strings.TrimSpace(s[:words[cut-1].end]), s[words[cut-1].end:]
}

// nextWord returns the next whitespace-separated word and what follows it.
func nextWord(s string) (string, string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// nextToken returns the next word or quoted phrase; ok is false for a quote
// that is never closed.
func nextToken(s string) (tok, rest string, ok bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	open := firstRune(s)
	if closeQ, quoted := quotePairs[open]; quoted {
		body := s[len(string(open)):]
		end := strings.IndexRune(body, closeQ)
		if closeQ == '”' && end < 0 { // some keyboards close with a straight quote
			end = strings.IndexRune(body, '"')
		}
		if end < 0 {
			return "", "", false
		}
		_, size := firstRuneSize(body[end:])
		return body[:end], body[end+size:], true
	}
	w, r := nextWord(s)
	return w, r, true
}

func firstRuneSize(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// unquoteWhole strips one pair of quotes around the whole value, if present.
func unquoteWhole(s string) string {
	open := firstRune(s)
	closeQ, ok := quotePairs[open]
	if !ok {
		return s
	}
	body := s[len(string(open)):]
	last := []rune(body)
	if len(last) > 0 && (last[len(last)-1] == closeQ || (closeQ == '”' && last[len(last)-1] == '"')) {
		inner := string(last[:len(last)-1])
		if !strings.ContainsRune(inner, closeQ) {
			return inner
		}
	}
	return s
}
