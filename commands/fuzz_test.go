package commands

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets below run their seed corpora (testdata/fuzz/...) and the
// parse table as ordinary tests; `go test ./commands -run XXX -fuzz FuzzParse`
// explores further. Anything the fuzzer finds is kept in testdata/fuzz so it
// stays a regression test.

// FuzzParse feeds arbitrary lines to Parse: it must never panic, must be
// deterministic, and a successful parse must name a command of the table and
// only that command's options.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in, "WijkBot")
	}
	f.Fuzz(func(t *testing.T, line, botName string) {
		cmd, args, err := Commands.Parse(line, botName)
		cmd2, args2, err2 := Commands.Parse(line, botName)
		if cmd != cmd2 || !reflect.DeepEqual(args, args2) || (err == nil) != (err2 == nil) {
			t.Fatalf("Parse(%q) not deterministic: %v %q %v, then %v %q %v", line, cmd, args, err, cmd2, args2, err2)
		}
		if err != nil && cmd == nil {
			if args != nil {
				t.Fatalf("Parse(%q): args %q without a command", line, args)
			}
			return
		}
		if cmd == nil {
			t.Fatalf("Parse(%q): no command and no error", line)
		}
		if !fuzzInTable(cmd) {
			t.Fatalf("Parse(%q): command %p /%s is not an entry of the table", line, cmd, cmd.Name)
		}
		if !strings.HasPrefix(strings.TrimSpace(line), "/") {
			t.Fatalf("Parse(%q) = /%s for a line without a slash", line, cmd.Name)
		}
		if err != nil {
			return
		}
		quoted := strings.ContainsFunc(line, isQuote)
		valid := utf8.ValidString(line)
		for i, o := range cmd.Options {
			v, ok := args[o.Name]
			if !ok {
				continue
			}
			last := i == len(cmd.Options)-1
			if valid && !utf8.ValidString(v) {
				t.Fatalf("Parse(%q): option %s=%q is not valid UTF-8 although the line is", line, o.Name, v)
			}
			if valid && !strings.Contains(line, v) {
				t.Fatalf("Parse(%q): option %s=%q is not part of the line", line, o.Name, v)
			}
			// A value typed without quotes is a word or a run of words: the
			// spaces around it separate it from its neighbours.
			if !quoted && v != strings.TrimSpace(v) {
				t.Fatalf("Parse(%q): option %s=%q has surrounding space", line, o.Name, v)
			}
			if !last && !quoted && strings.TrimSpace(v) == "" {
				t.Fatalf("Parse(%q): option %s is present but empty", line, o.Name)
			}
		}
		for name := range args {
			if cmd.Option(name) == nil {
				t.Fatalf("Parse(%q): /%s has no option %q", line, cmd.Name, name)
			}
		}
	})
}

// fuzzInTable reports whether cmd points into Commands (not a copy).
func fuzzInTable(cmd *Command) bool {
	for i := range Commands {
		if cmd == &Commands[i] {
			return true
		}
	}
	return false
}

// FuzzValidate feeds arbitrary option values to validate and CleanText:
// neither may panic, and whatever validate accepts is safe to store: valid
// UTF-8, no control characters except newline and tab, within the option's
// length, integers in range, choices from the list.
func FuzzValidate(f *testing.F) {
	f.Add(uint8(9), uint8(7), "eigenaarschap", "7", "we kochten het pand", false)
	f.Add(uint8(9), uint8(3), "zeggenschap", "7,0", "", true)
	f.Fuzz(func(t *testing.T, which, present uint8, v0, v1, v2 string, english bool) {
		for _, s := range []string{v0, v1, v2} {
			fuzzCheckClean(t, s, CleanText(s))
		}
		cmd := &Commands[int(which)%len(Commands)]
		raw := map[string]string{}
		for i, v := range []string{v0, v1, v2} {
			if i < len(cmd.Options) && present&(1<<i) != 0 {
				raw[cmd.Options[i].Name] = v
			}
		}
		lang := NL
		if english {
			lang = EN
		}
		a, err := validate(cmd, raw, lang, time.UTC)
		if err != nil {
			if got := ErrorCode(err); got != EINVALID {
				t.Fatalf("validate /%s %q: code %q, want %q (%v)", cmd.Name, raw, got, EINVALID, err)
			}
			if msg := ErrorMessage(lang, err); msg == "" || !utf8.ValidString(msg) {
				t.Fatalf("validate /%s %q: bad message %q", cmd.Name, raw, msg)
			}
			return
		}
		for i := range cmd.Options {
			o := &cmd.Options[i]
			if o.Required && !a.has(o.Name) {
				t.Fatalf("validate /%s %q: accepted without required %s", cmd.Name, raw, o.Name)
			}
			switch o.Type {
			case OptText:
				v, ok := a.text[o.Name]
				if !ok {
					continue
				}
				fuzzCheckClean(t, raw[o.Name], v)
				if v == "" {
					t.Fatalf("validate /%s: accepted empty %s", cmd.Name, o.Name)
				}
				max := o.MaxLen
				if max == 0 {
					max = DefaultMaxLen
				}
				if n := utf8.RuneCountInString(v); n > max {
					t.Fatalf("validate /%s: %s has %d runes, max %d", cmd.Name, o.Name, n, max)
				}
			case OptInt:
				n, ok := a.ints[o.Name]
				if ok && (n < o.Min || n > o.Max) {
					t.Fatalf("validate /%s: %s=%d outside [%d, %d]", cmd.Name, o.Name, n, o.Min, o.Max)
				}
			case OptChoice:
				v, ok := a.text[o.Name]
				if ok && !slices.Contains(o.Choices, v) {
					t.Fatalf("validate /%s: %s=%q not a choice", cmd.Name, o.Name, v)
				}
			}
		}
	})
}

// fuzzCheckClean asserts what CleanText promises about out, the cleaned in.
func fuzzCheckClean(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("CleanText(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			t.Fatalf("CleanText(%q) = %q: contains control %U", in, out, r)
		}
	}
	if out != strings.TrimSpace(out) {
		t.Fatalf("CleanText(%q) = %q: surrounding space", in, out)
	}
	if again := CleanText(out); again != out {
		t.Fatalf("CleanText not idempotent: %q -> %q -> %q", in, out, again)
	}
}
