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

// textCanvas is a vgimg canvas that draws unrotated text itself.
//
// vgimg draws every string through gg, which builds a new font face for
// each string (so each glyph is rasterised anew) and composites each glyph
// with a general affine transform that reads the destination pixel by
// pixel through image.Image.At: one allocation per pixel, most of a chart's
// allocations and a good part of its time. A chart's text is never rotated
// or scaled, so the glyphs land on whole pixels and draw.DrawMask composites
// them directly, from faces built once per chart. Anything else (a rotated
// or scaled canvas) still goes through vgimg.
type textCanvas struct {
	*vgimg.Canvas
	ctx    *gg.Context
	img    *image.RGBA
	colors []color.Color // gg's current colour, pushed and popped with it
	faces  map[font.Font]xfont.Face
}

func newTextCanvas(img *image.RGBA, ctx *gg.Context, cv *vgimg.Canvas) *textCanvas {
	// gg starts transparent; vgimg sets no colour before the first SetColor.
	return &textCanvas{Canvas: cv, ctx: ctx, img: img, colors: []color.Color{color.Transparent}, faces: map[font.Font]xfont.Face{}}
}

// SetColor implements vg.Canvas, noting the colour text is drawn in.
func (c *textCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.colors[len(c.colors)-1] = clr
	c.Canvas.SetColor(clr)
}

// Push implements vg.Canvas.
func (c *textCanvas) Push() {
	c.colors = append(c.colors, c.colors[len(c.colors)-1])
	c.Canvas.Push()
}

// Pop implements vg.Canvas.
func (c *textCanvas) Pop() {
	c.colors = c.colors[:len(c.colors)-1]
	c.Canvas.Pop()
}

// FillString implements vg.Canvas.
func (c *textCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Size == 0 {
		return
	}
	h := float64(c.img.Bounds().Dy())
	// vgimg's own transform is a flip of the y axis (y → h−y); anything
	// more (a rotation, a scale, a translation) is left to vgimg.
	x0, y0 := c.ctx.TransformPoint(0, 0)
	x1, y1 := c.ctx.TransformPoint(1, 1)
	if x0 != 0 || y0 != h || x1 != 1 || y1 != h-1 {
		c.Canvas.FillString(f, pt, str)
		return
	}
	face, ok := c.faces[f.Font]
	if !ok {
		face = f.FontFace(c.DPI())
		c.faces[f.Font] = face
	}
	x, y := pt.X.Dots(c.DPI()), h-pt.Y.Dots(c.DPI())
	d := xfont.Drawer{
		Dst:  c.img,
		Src:  image.NewUniform(c.colors[len(c.colors)-1]),
		Face: face,
		Dot:  fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))},
	}
	// xfont.Drawer.DrawString, with draw.Over as gg composites.
	prev := rune(-1)
	for _, r := range str {
		if prev >= 0 {
			d.Dot.X += face.Kern(prev, r)
		}
		dr, mask, maskp, advance, ok := face.Glyph(d.Dot, r)
		if !ok {
			continue
		}
		draw.DrawMask(d.Dst, dr, d.Src, image.Point{}, mask, maskp, draw.Over)
		d.Dot.X += advance
		prev = r
	}
}

// close releases the faces.
func (c *textCanvas) close() {
	for _, f := range c.faces {
		f.Close()
	}
}
