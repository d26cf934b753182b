package telegramtest

import (
	"strings"
	"testing"
)

var htmlTests = []struct {
	in, shown, err string
}{
	{"plain text", "plain text", ""},
	{"&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39; &#x1F600;", `<b> & "x" 'y' 😀`, ""},
	{"<b>vet</b> en <i>schuin</i>", "vet en schuin", ""},
	{`<a href="https://example.org">link</a>`, "link", ""},
	{"1 < 2", "", "Unclosed start tag"},
	{"<script>x</script>", "", "Unsupported start tag"},
	{"a > b", "", "'>' is reserved"},
	{"Noord & Zuid", "", "'&' is reserved"},
	{"&nbsp;", "", "Unsupported HTML entity"},
	{"<b>open", "", "Can't find end tag"},
	{"<b><i>x</b></i>", "", "Unmatched end tag"},
}

func TestParseHTML(t *testing.T) {
	for _, tt := range htmlTests {
		got, err := parseHTML(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("parseHTML(%q) failed: %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseHTML(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && got != tt.shown:
			t.Errorf("parseHTML(%q) = %q, want %q", tt.in, got, tt.shown)
		}
	}
}
