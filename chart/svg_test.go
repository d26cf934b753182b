package chart

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// TestPanelSVG checks the web's inline chart: one element, no prolog, no
// style attributes (a strict CSP blocks them), every name escaped, and
// well-formed.
func TestPanelSVG(t *testing.T) {
	p := samplePanel()
	p.Bars = append(p.Bars, Bar{Name: `<script>alert("x")</script>`, Value: 3, Set: true})
	svg, err := PanelSVG(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, "<svg ") {
		t.Fatalf("svg starts with %q", s[:min(len(s), 40)])
	}
	for _, bad := range []string{` style="`, "<script", "<?xml", `svg width="`, "\tstyle=\""} {
		if strings.Contains(s, bad) {
			t.Errorf("svg contains %q", bad)
		}
	}
	if !strings.Contains(s, "&lt;script&gt;") {
		t.Errorf("element name not in the svg as escaped text")
	}
	for _, b := range p.Bars[:1] {
		if !strings.Contains(s, b.Name) {
			t.Errorf("svg lacks element %q", b.Name)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("svg is not well-formed: %v", err)
			}
			break
		}
	}
}
