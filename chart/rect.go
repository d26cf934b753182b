package chart

import (
	"encoding/binary"
	"math"

	"gonum.org/v1/plot/vg"
)

// Fill implements vg.Canvas, filling an axis-aligned rectangle itself.
//
// A chart's bars, cells and legend boxes are such rectangles, and gg
// fills them through a general polygon rasteriser and a painter that
// blends every pixel, the interior too. fillRect gives each pixel the
// coverage gg's rasteriser would (corners rounded to 1/64 pixel, the area
// covered, in 12 bits) and blends it as gg's painter does, so the pixels
// are the same; the interior of an opaque colour is copied. Other paths
// go to vgimg.
func (c *fastCanvas) Fill(p vg.Path) {
	if r, ok := c.rectOf(p); ok && c.inside(r) {
		c.fillRect(r)
		return
	}
	c.Canvas.Fill(p)
}

// Stroke implements vg.Canvas, drawing a straight horizontal or vertical
// line (the grid, the ticks) as the rectangle gg's stroker would make of
// it with butt caps; other paths go to vgimg.
func (c *fastCanvas) Stroke(p vg.Path) {
	if c.width <= 0 { // vgimg strokes nothing
		return
	}
	st := c.top()
	if st.dashed || len(p) != 2 || p[0].Type != vg.MoveComp || p[1].Type != vg.LineComp || !c.flipOnly() {
		c.Canvas.Stroke(p)
		return
	}
	x0, y0 := c.pixel(p[0].Pos)
	x1, y1 := c.pixel(p[1].Pos)
	a, b := fix(x0, y0), fix(x1, y1)
	half := fix1(st.width) / 2 // as gg's stroker halves its fixed width
	var r fixRect
	switch {
	case a.x == b.x:
		r = fixRect{a.x - half, min(a.y, b.y), a.x + half, max(a.y, b.y)}
	case a.y == b.y:
		r = fixRect{min(a.x, b.x), a.y - half, max(a.x, b.x), a.y + half}
	default:
		c.Canvas.Stroke(p)
		return
	}
	if !c.inside(r) {
		c.Canvas.Stroke(p)
		return
	}
	c.fillRect(r)
}

// inside reports whether r lies within the image. Only then are its
// pixels gg's: freetype's rasteriser divides negative coordinates towards
// zero, which folds what lies beyond the top or left edge into the first
// row or column. A chart draws nothing there.
func (c *fastCanvas) inside(r fixRect) bool {
	b := c.img.Bounds()
	return r.x0 >= b.Min.X<<6 && r.y0 >= b.Min.Y<<6 && r.x1 <= b.Max.X<<6 && r.y1 <= b.Max.Y<<6
}

// fixRect is a rectangle in pixels of 1/64, as gg rounds points: x0 ≤ x1,
// y0 ≤ y1, y down.
type fixRect struct{ x0, y0, x1, y1 int }

type fixPoint struct{ x, y int }

// fix1 rounds a length in pixels to 1/64 as gg does.
func fix1(v float64) int { return int(math.Round(v * 64)) }

func fix(x, y float64) fixPoint { return fixPoint{fix1(x), fix1(y)} }

// rectOf reports whether p is an axis-aligned rectangle (four corners in
// order, closed or not) on an unrotated canvas, and which.
func (c *fastCanvas) rectOf(p vg.Path) (fixRect, bool) {
	if len(p) == 5 && p[4].Type == vg.CloseComp {
		p = p[:4]
	}
	if len(p) != 4 || p[0].Type != vg.MoveComp || !c.flipOnly() {
		return fixRect{}, false
	}
	var q [4]fixPoint
	for i, comp := range p {
		if i > 0 && comp.Type != vg.LineComp {
			return fixRect{}, false
		}
		q[i] = fix(c.pixel(comp.Pos))
	}
	// Corners in either turn: each side horizontal or vertical, in turns.
	horizontalFirst := q[0].y == q[1].y && q[1].x == q[2].x && q[2].y == q[3].y && q[3].x == q[0].x
	verticalFirst := q[0].x == q[1].x && q[1].y == q[2].y && q[2].x == q[3].x && q[3].y == q[0].y
	if !horizontalFirst && !verticalFirst {
		return fixRect{}, false
	}
	return fixRect{min(q[0].x, q[2].x), min(q[0].y, q[2].y), max(q[0].x, q[2].x), max(q[0].y, q[2].y)}, true
}

// fillRect paints r, which is inside the image, in the current colour with
// gg's coverage and blending.
func (c *fastCanvas) fillRect(r fixRect) {
	// The pixels touched (r is inside the image).
	px0, px1 := r.x0>>6, (r.x1+63)>>6
	py0, py1 := r.y0>>6, (r.y1+63)>>6
	if px0 >= px1 || py0 >= py1 {
		return
	}
	cr, cg, cb, ca := c.top().color.RGBA()
	// cover is how many 1/64 of pixel i the span lo–hi covers.
	cover := func(lo, hi, i int) int { return max(0, min(hi, (i+1)<<6)-max(lo, i<<6)) }
	opaque := ca == 0xffff
	ix0, ix1 := (r.x0+63)>>6, r.x1>>6 // columns wholly covered
	if opaque && ix0 < ix1 {
		// Wholly covered pixels of an opaque colour: gg's blend gives the
		// colour itself.
		for y := py0; y < py1; y++ {
			if cover(r.y0, r.y1, y) != 64 {
				continue
			}
			span := c.img.Pix[c.img.PixOffset(ix0, y):c.img.PixOffset(ix1, y)]
			span[0], span[1], span[2], span[3] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), 0xff
			for n := 4; n < len(span); n *= 2 {
				copy(span[n:], span[:n])
			}
		}
	}
	// The rest, column by column: along a line's edge the pixel below and
	// its coverage are mostly those of the pixel above, so the last blend
	// is remembered. The coverage is freetype's areaToAlpha: the area in
	// 1/4096 pixel, clamped to 12 bits, widened to 16.
	var lastIn, lastOut, lastA uint32
	lastA = 1 << 31 // nothing remembered
	for x := px0; x < px1; x++ {
		cx := cover(r.x0, r.x1, x)
		inside := opaque && x >= ix0 && x < ix1
		step := 1
		if inside { // only the first and the last row can be partly covered
			step = max(1, py1-1-py0)
		}
		for y := py0; y < py1; y += step {
			cy := cover(r.y0, r.y1, y)
			if inside && cy == 64 {
				continue // filled above
			}
			a := uint32(min(cx*cy, 0x0fff))
			if a == 0 {
				continue
			}
			a = a<<4 | a>>8
			p := c.img.Pix[c.img.PixOffset(x, y):][:4]
			in := binary.LittleEndian.Uint32(p)
			if in != lastIn || a != lastA {
				blend(p, cr, cg, cb, ca, a)
				lastIn, lastA, lastOut = in, a, binary.LittleEndian.Uint32(p)
				continue
			}
			binary.LittleEndian.PutUint32(p, lastOut)
		}
	}
}

// blend composites the colour (16-bit, premultiplied) over one RGBA pixel
// with coverage ma, as freetype's RGBAPainter does with draw.Over.
func blend(p []byte, cr, cg, cb, ca, ma uint32) {
	if ma == 0 {
		return
	}
	const m = 1<<16 - 1
	a := (m - (ca * ma / m)) * 0x101
	p = p[:4]
	p[0] = uint8((uint32(p[0])*a + cr*ma) / m >> 8)
	p[1] = uint8((uint32(p[1])*a + cg*ma) / m >> 8)
	p[2] = uint8((uint32(p[2])*a + cb*ma) / m >> 8)
	p[3] = uint8((uint32(p[3])*a + ca*ma) / m >> 8)
}
