package discord

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var escapeTests = []struct{ in, want string }{
	{"gewoon tekst", "gewoon tekst"},
	{"*vet* en _schuin_", `\*vet\* en \_schuin\_`},
	{"~~weg~~ `code` ||spoiler||", `\~\~weg\~\~ \` + "`code\\`" + ` \|\|spoiler\|\|`},
	{"<@123> en <@&456>", `\<@123\> en \<@&456\>`},
	{"[klik](https://evil.example)", `\[klik\](https://evil.example)`},
	{"# kop\n- punt\n  + punt\n> citaat", "\\# kop\n\\- punt\n  \\+ punt\n\\> citaat"},
	{"1. eerste\n12) tweede", "1\\. eerste\n12\\) tweede"},
	{"#vastgoed midden - in 3. de zin", "\\#vastgoed midden - in 3. de zin"},
	{"zie https://example.com/a_b*c en verder_", `zie https://example.com/a_b*c en verder\_`},
	{`back\slash`, `back\\slash`},
	{"@everyone kijk", "@everyone kijk"}, // allowed_mentions keeps it silent
	{"café ☕ *", `café ☕ \*`},
}

func TestEscape(t *testing.T) {
	t.Parallel()
	for _, tt := range escapeTests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChunks(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("regel met *sterren* en _lijntjes_\n", 200) // ~7000 characters
	parts := chunks(long)
	if len(parts) < 4 {
		t.Fatalf("%d chunks, want at least 4", len(parts))
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(Escape(p)); n > maxContent {
			t.Fatalf("escaped chunk has %d characters, over %d", n, maxContent)
		}
		if i < len(parts)-1 && !strings.HasSuffix(p, "_") {
			t.Fatalf("chunk not cut at a line end: ...%q", p[len(p)-10:])
		}
	}
	if got := strings.Join(parts, "\n"); got != long {
		t.Fatal("chunks lost or changed text")
	}
	if got := chunks("kort"); len(got) != 1 || got[0] != "kort" {
		t.Fatalf("chunks(kort) = %q", got)
	}
	if got := chunks(strings.Repeat("é", 2500)); len(got) != 3 {
		t.Fatalf("one long line of 2500 runes gave %d chunks, want 3", len(got))
	}
}
