package web

import (
	"bytes"
	"strings"
	"testing"
)

// TestMarkdownRawHTMLOff: the case report's Markdown may hold what
// residents typed; rendered, raw HTML and script links must not survive.
func TestMarkdownRawHTMLOff(t *testing.T) {
	src := "# Casus\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[klik](javascript:alert(3))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	var out bytes.Buffer
	if err := markdown.Convert([]byte(src), &out); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, bad := range []string{"<script", "<img", "onerror", "javascript:"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered report contains %q:\n%s", bad, html)
		}
	}
	for _, want := range []string{"<h1>Casus</h1>", "<table>", "<td>2</td>"} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered report lacks %q:\n%s", want, html)
		}
	}
}
