package chart

import (
	"image"
	"image/draw"
	"sync"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
)

// glyphKey names one rasterised glyph: its font (typeface, style, weight,
// size), the rune, and where the pen stands within its pixel, which is all
// a glyph's mask depends on (opentype.Face.Glyph moves the rest to whole
// pixels).
type glyphKey struct {
	font   font.Font
	dpi    float64
	r      rune
	fx, fy fixed.Int26_6 // the pen's position modulo one pixel
}

// glyph is a rasterised glyph as opentype.Face.Glyph gave it, its
// rectangle relative to the pixel the pen stands in.
type glyph struct {
	dr      image.Rectangle
	mask    *image.Alpha // at the origin
	advance fixed.Int26_6
	ok      bool
}

// glyphCache keeps rasterised glyphs between charts. Every chart writes
// the same few dozen glyphs in a handful of sizes (the default elements'
// names, digits, the legend, Dutch month names), and rasterising a glyph
// from its outline cost far more than compositing it. It is bounded: when
// the masks exceed maxGlyphBytes it starts over.
var glyphCache = struct {
	sync.RWMutex
	m     map[glyphKey]*glyph
	bytes int
}{m: map[glyphKey]*glyph{}}

var maxGlyphBytes = 4 << 20 // a variable for a test

// glyphAt returns the glyph of r at the pen position dot, from the cache
// or rasterised by face (which only the caller's goroutine uses).
func glyphAt(f font.Font, dpi float64, face xfont.Face, dot fixed.Point26_6, r rune) (dr image.Rectangle, mask *image.Alpha, advance fixed.Int26_6, ok bool) {
	k := glyphKey{font: f, dpi: dpi, r: r, fx: dot.X & 63, fy: dot.Y & 63}
	pen := image.Pt(int(dot.X>>6), int(dot.Y>>6))
	glyphCache.RLock()
	g := glyphCache.m[k]
	glyphCache.RUnlock()
	if g == nil {
		g = rasterise(face, fixed.Point26_6{X: k.fx, Y: k.fy}, r)
		glyphCache.Lock()
		if glyphCache.bytes+len(g.mask.Pix) > maxGlyphBytes {
			glyphCache.m, glyphCache.bytes = map[glyphKey]*glyph{}, 0
		}
		if _, dup := glyphCache.m[k]; !dup {
			glyphCache.m[k] = g
			glyphCache.bytes += len(g.mask.Pix)
		}
		glyphCache.Unlock()
	}
	return g.dr.Add(pen), g.mask, g.advance, g.ok
}

// rasterise draws r with its pen at dot, within the first pixel, and keeps
// a copy of the mask (the face reuses its own).
func rasterise(face xfont.Face, dot fixed.Point26_6, r rune) *glyph {
	dr, mask, maskp, advance, ok := face.Glyph(dot, r)
	g := &glyph{dr: dr, advance: advance, ok: ok, mask: image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))}
	if ok && mask != nil {
		draw.Draw(g.mask, g.mask.Rect, mask, maskp, draw.Src)
	}
	return g
}
