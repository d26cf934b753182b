package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"strings"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// renderSVG draws onto a white canvas of w×h pixels and returns it as an
// SVG element for a web page (see inlineSVG).
func renderSVG(w, h int, paint func(c draw.Canvas)) ([]byte, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(px(float64(w)), px(float64(h))))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(rect(0, 0, px(float64(w)), px(float64(h))))
	paint(dc)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode svg: %w", err)
	}
	return inlineSVG(buf.Bytes()), nil
}

var (
	svgProlog = regexp.MustCompile(`(?s)^.*?<svg `)
	svgSize   = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*" `)
	svgStyle  = regexp.MustCompile(`style="([^"]*)"`)
)

// fontFamily is the family the charts are measured in (gonum/plot embeds
// Liberation Sans), then look-alikes a browser has when it has not.
const fontFamily = "Liberation Sans, Arial, Helvetica, sans-serif"

// inlineSVG makes vgsvg's document an element to put inside HTML: without
// the XML prolog, sized by the page (viewBox only), hidden from screen
// readers (the page lists the values as text), and with every style
// attribute turned into presentation attributes, because a strict
// Content-Security-Policy (style-src 'self') blocks style attributes but
// not presentation attributes.
func inlineSVG(doc []byte) []byte {
	s := svgProlog.ReplaceAllString(string(doc), "<svg ")
	s = svgSize.ReplaceAllString(s, `<svg aria-hidden="true" focusable="false" class="chart" `)
	s = svgStyle.ReplaceAllStringFunc(s, func(m string) string {
		decls := svgStyle.FindStringSubmatch(m)[1]
		var b strings.Builder
		for i, d := range strings.Split(decls, ";") {
			k, v, ok := strings.Cut(d, ":")
			if !ok {
				continue
			}
			if k == "font-family" {
				v = fontFamily
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, `%s="%s"`, strings.TrimSpace(k), strings.TrimSpace(v))
		}
		return b.String()
	})
	return []byte(s)
}
