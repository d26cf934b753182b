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
// names, digits, the legend, month names), and rasterising a glyph
// from its outline cost far more than compositing it. It is bounded: when
// the masks exceed maxGlyphBytes it starts over. Masks are cut from slabs,
// so a new glyph costs no allocation of its own.
var glyphCache = struct {
	sync.RWMutex
	m      map[glyphKey]glyph
	bytes  int
	alphas []image.Alpha // slab of mask headers
	pix    []byte        // slab of mask pixels
}{m: map[glyphKey]glyph{}}

var maxGlyphBytes = 4 << 20 // a variable for a test

// glyphAt returns the glyph of r at the pen position dot, from the cache
// or rasterised by face (which only the caller's goroutine uses).
func glyphAt(f font.Font, dpi float64, face xfont.Face, dot fixed.Point26_6, r rune) (dr image.Rectangle, mask *image.Alpha, advance fixed.Int26_6, ok bool) {
	k := glyphKey{font: f, dpi: dpi, r: r, fx: dot.X & 63, fy: dot.Y & 63}
	pen := image.Pt(int(dot.X>>6), int(dot.Y>>6))
	glyphCache.RLock()
	g, hit := glyphCache.m[k]
	glyphCache.RUnlock()
	if !hit {
		g = rasterise(face, k)
	}
	return g.dr.Add(pen), g.mask, g.advance, g.ok
}

// rasterise draws the glyph of k with its pen within the first pixel and
// keeps it in the cache, with a copy of the mask (the face reuses its own).
func rasterise(face xfont.Face, k glyphKey) glyph {
	dr, mask, maskp, advance, ok := face.Glyph(fixed.Point26_6{X: k.fx, Y: k.fy}, k.r)
	n := dr.Dx() * dr.Dy()
	c := &glyphCache
	c.Lock()
	defer c.Unlock()
	if g, dup := c.m[k]; dup { // drawn meanwhile by another chart
		return g
	}
	if c.bytes+n > maxGlyphBytes {
		c.m, c.bytes, c.alphas, c.pix = map[glyphKey]glyph{}, 0, nil, nil
	}
	if len(c.alphas) == cap(c.alphas) {
		c.alphas = make([]image.Alpha, 0, 256)
	}
	if cap(c.pix)-len(c.pix) < n {
		c.pix = make([]byte, 0, max(n, 64<<10))
	}
	end := len(c.pix) + n
	c.alphas = append(c.alphas, image.Alpha{Pix: c.pix[len(c.pix):end:end], Stride: dr.Dx(), Rect: image.Rect(0, 0, dr.Dx(), dr.Dy())})
	c.pix = c.pix[:end]
	g := glyph{dr: dr, mask: &c.alphas[len(c.alphas)-1], advance: advance, ok: ok}
	if ok && mask != nil {
		draw.Draw(g.mask, g.mask.Rect, mask, maskp, draw.Src)
	}
	c.m[k] = g
	c.bytes += n
	return g
}
