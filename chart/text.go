package chart

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"git.sr.ht/~sbinet/gg"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// fastCanvas is a vgimg canvas that draws unrotated text and axis-aligned
// rectangles and lines itself (rect.go).
//
// vgimg draws every string through gg, which builds a new font face for
// each string (so each glyph is rasterised anew) and composites each glyph
// with a general affine transform that reads the destination pixel by
// pixel through image.Image.At: one allocation per pixel, most of a chart's
// allocations and a good part of its time. A chart's text is never rotated
// or scaled, so the glyphs land on whole pixels and draw.DrawMask composites
// them directly, from faces built once per chart. Anything else (a rotated
// or scaled canvas) still goes through vgimg.
type fastCanvas struct {
	*vgimg.Canvas
	ctx   *gg.Context
	img   *image.RGBA
	state []drawState // gg's state as far as this canvas needs it, pushed and popped with it
	// width is vgimg's own line width, which vgimg does not push: a zero
	// or negative one means vgimg strokes nothing.
	width vg.Length
	faces map[font.Font]xfont.Face
}

// drawState is the part of gg's pushed state that fastCanvas reads.
type drawState struct {
	color  color.Color
	width  float64 // pixels
	dashed bool
}

func newFastCanvas(img *image.RGBA, ctx *gg.Context, cv *vgimg.Canvas) *fastCanvas {
	// gg starts transparent, one pixel wide; vgimg sets no colour before
	// the first SetColor.
	return &fastCanvas{Canvas: cv, ctx: ctx, img: img, state: []drawState{{color: color.Transparent, width: 1}}, faces: map[font.Font]xfont.Face{}}
}

func (c *fastCanvas) top() *drawState { return &c.state[len(c.state)-1] }

// SetColor implements vg.Canvas, noting the colour text is drawn in.
func (c *fastCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.top().color = clr
	c.Canvas.SetColor(clr)
}

// SetLineWidth implements vg.Canvas.
func (c *fastCanvas) SetLineWidth(w vg.Length) {
	c.width = w
	c.top().width = w.Dots(c.DPI())
	c.Canvas.SetLineWidth(w)
}

// SetLineDash implements vg.Canvas.
func (c *fastCanvas) SetLineDash(ds []vg.Length, offs vg.Length) {
	c.top().dashed = len(ds) > 0
	c.Canvas.SetLineDash(ds, offs)
}

// Push implements vg.Canvas.
func (c *fastCanvas) Push() {
	c.state = append(c.state, *c.top())
	c.Canvas.Push()
}

// Pop implements vg.Canvas.
func (c *fastCanvas) Pop() {
	c.state = c.state[:len(c.state)-1]
	c.Canvas.Pop()
}

// flipOnly reports whether gg's transform is vgimg's own, a flip of the y
// axis (y → h−y), and nothing more (no rotation, scale or translation):
// then vg points map to pixels as pixel does.
func (c *fastCanvas) flipOnly() bool {
	h := float64(c.img.Bounds().Dy())
	x0, y0 := c.ctx.TransformPoint(0, 0)
	x1, y1 := c.ctx.TransformPoint(1, 1)
	return x0 == 0 && y0 == h && x1 == 1 && y1 == h-1
}

// pixel is where gg puts a vg point when flipOnly: the same arithmetic.
func (c *fastCanvas) pixel(pt vg.Point) (x, y float64) {
	return pt.X.Dots(c.DPI()), float64(c.img.Bounds().Dy()) - pt.Y.Dots(c.DPI())
}

// FillString implements vg.Canvas.
func (c *fastCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Size == 0 {
		return
	}
	if !c.flipOnly() {
		c.Canvas.FillString(f, pt, str)
		return
	}
	x, y := c.pixel(pt)
	dst, src := c.img, image.NewUniform(c.top().color)
	dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
	// xfont.Drawer.DrawString, with draw.Over as gg composites and the
	// glyphs from glyphCache.
	face := c.face(f)
	prev := rune(-1)
	for _, r := range str {
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		dr, mask, advance, ok := glyphAt(f.Font, c.DPI(), face, dot, r)
		if !ok {
			continue
		}
		draw.DrawMask(dst, dr, src, image.Point{}, mask, image.Point{}, draw.Over)
		dot.X += advance
		prev = r
	}
}

// face returns the chart's face of f, built on first use.
func (c *fastCanvas) face(f font.Face) xfont.Face {
	face, ok := c.faces[f.Font]
	if !ok {
		face = f.FontFace(c.DPI())
		c.faces[f.Font] = face
	}
	return face
}

// close releases the faces.
func (c *fastCanvas) close() {
	for _, f := range c.faces {
		f.Close()
	}
}
