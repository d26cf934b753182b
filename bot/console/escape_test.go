package console

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// What the console prints never carries a terminal control sequence: an
// input line, a chat or user name, or a stored text with ESC, BEL or a
// carriage return is shown with those characters made visible, so a script
// or a stored progress entry cannot clear the screen, retitle the window
// or hide a line (issue 16, item 13).
func TestConsoleEscapesControlCharacters(t *testing.T) {
	f := newFixture(t)
	created, _ := f.run(t, ":staf\n/collectief Noord\x1b[2J\n", nil)
	code := regexp.MustCompile(`[A-HJ-NP-Z2-9]{8}`).FindString(created)
	out, _ := f.run(t, strings.Join([]string{
		":chat noord\x1b]0;pwned\x07",
		"/koppel " + code,
		":user bram\x1b[8m",
		"/voortgang rood \x1b[31mROOD\x1b[0m en \x9b31m ook\rverborgen",
		"/tijdlijn",
		"gewoon \x1b[5m tekst",
	}, "\n"), nil)
	out = created + out
	for _, r := range out {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			t.Fatalf("output holds control character %U:\n%q", r, out)
		}
	}
	if !strings.Contains(out, "— bram\\x1b[8m\n") { // the author, from the database
		t.Errorf("the timeline does not show the stored name escaped:\n%s", out)
	}
	if strings.Contains(out, "[noord") {
		t.Errorf("messages for the current chat are shown as for another:\n%s", out)
	}
	for _, want := range []string{`\x1b[31mROOD`, `\x9b31m`, `\rverborgen`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the visible %q:\n%s", want, out)
		}
	}
}
