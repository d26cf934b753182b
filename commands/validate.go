package commands

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CleanText makes user text safe to store and show: invalid UTF-8 becomes
// U+FFFD, control characters other than newline and tab are dropped, and
// surrounding space is trimmed.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// validate checks raw option values against the command's options and
// converts them. The error names the option, what was wrong and what is allowed.
func validate(cmd *Command, raw map[string]string, l Lang, loc *time.Location) (args, error) {
	a := args{text: map[string]string{}, ints: map[string]int{}, date: map[string]time.Time{}}
	for i := range cmd.Options {
		o := &cmd.Options[i]
		name := optName(o, l)
		v, present := raw[o.Name]
		if o.Type == OptText {
			v = CleanText(v)
		} else {
			v = strings.TrimSpace(v)
		}
		if !present || v == "" {
			if o.Required {
				return a, Errorf(EINVALID, "%s", l.Msg(MsgOptionMissing, capitalize(name), cmd.Usage(l)))
			}
			continue
		}
		switch o.Type {
		case OptText:
			max := o.MaxLen
			if max == 0 {
				max = DefaultMaxLen
			}
			if n := utf8.RuneCountInString(v); n > max {
				return a, Errorf(EINVALID, "%s", l.Msg(MsgOptionTooLong, capitalize(name), n, max))
			}
			a.text[o.Name] = v
		case OptInt:
			n, err := strconv.Atoi(v)
			if err != nil || n < o.Min || n > o.Max {
				return a, Errorf(EINVALID, "%s", intRangeMessage(l, name, v, o))
			}
			a.ints[o.Name] = n
		case OptChoice:
			lv := strings.ToLower(v)
			found := false
			for _, ch := range o.Choices {
				if ch == lv {
					found = true
				}
			}
			if !found {
				return a, Errorf(EINVALID, "%s", l.Msg(MsgOptionUnknownChoice, name, clip(v, 40), strings.Join(o.Choices, ", ")))
			}
			a.text[o.Name] = lv
		case OptDate:
			if word := strings.ToLower(v); slices.Contains(o.Choices, word) {
				a.text[o.Name] = word
				break
			}
			d, err := time.ParseInLocation("2006-01-02", v, loc)
			if err != nil {
				or := ""
				if len(o.Choices) > 0 {
					or = l.Msg(MsgOptionDateOr, strings.Join(o.Choices, ", "))
				}
				return a, Errorf(EINVALID, "%s", l.Msg(MsgOptionNotDate, clip(v, 40), name, or))
			}
			a.date[o.Name] = d
		}
	}
	return a, nil
}

func intRangeMessage(l Lang, name, v string, o *Option) string {
	if o.Max >= 1<<30 {
		return l.Msg(MsgOptionIntMin, capitalize(name), o.Min, clip(v, 20))
	}
	return l.Msg(MsgOptionIntRange, capitalize(name), o.Min, o.Max, clip(v, 20))
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
