package chart

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestRectsDrawAsGG: the canvas's own rectangles and straight lines give
// exactly gg's pixels, at fractional positions, in translucent colours,
// partly outside the image, after Push and Pop; paths it does not take
// (diagonals, dashes, curves) still go to gg.
func TestRectsDrawAsGG(t *testing.T) {
	const w, h = 320, 240
	colours := []color.Color{nowColor, beforeColor, gridColor, color.NRGBA{R: 200, G: 30, B: 90, A: 128},
		color.RGBA{R: 10, G: 20, B: 30, A: 40}, color.Transparent, color.Black}
	paint := func(c draw.Canvas) {
		r := rand.New(rand.NewPCG(6, 15)) // both draw the same shapes
		coord := func(n float64) vg.Length { return vg.Length(r.Float64()*(n+40)-20) * 72 / DPI }
		for i := range 400 {
			c.SetColor(colours[r.IntN(len(colours))])
			x0, y0, x1, y1 := coord(w), coord(h), coord(w), coord(h)
			switch i % 8 {
			case 0, 1: // a rectangle, either way round
				c.Fill(rect(x0, y0, x1, y1))
			case 2:
				var p vg.Path
				p.Move(vg.Point{X: x0, Y: y0})
				p.Line(vg.Point{X: x0, Y: y1})
				p.Line(vg.Point{X: x1, Y: y1})
				p.Line(vg.Point{X: x1, Y: y0})
				c.Fill(p)
			case 3, 4: // a horizontal or a vertical line
				sty := draw.LineStyle{Color: colours[r.IntN(len(colours))], Width: vg.Length(r.Float64() * 6)}
				if i%8 == 3 {
					c.StrokeLine2(sty, x0, y0, x1, y0)
				} else {
					c.StrokeLine2(sty, x0, y0, x0, y1)
				}
			case 5: // a line in a pushed state with another width
				c.Push()
				c.SetLineStyle(draw.LineStyle{Color: colours[r.IntN(len(colours))], Width: vg.Length(r.Float64() * 4)})
				c.Pop()
				c.Stroke(vg.Path{{Type: vg.MoveComp, Pos: vg.Point{X: x0, Y: y0}}, {Type: vg.LineComp, Pos: vg.Point{X: x1, Y: y0}}})
			case 6: // a diagonal and a dashed line: gg's
				c.StrokeLine2(draw.LineStyle{Color: inkColor, Width: 2}, x0, y0, x1, y1)
				c.StrokeLine2(draw.LineStyle{Color: inkColor, Width: 2, Dashes: []vg.Length{3, 2}}, x0, y0, x1, y0)
			case 7: // not a rectangle: gg's
				var p vg.Path
				p.Move(vg.Point{X: x0, Y: y0})
				p.Line(vg.Point{X: x1, Y: y0})
				p.Line(vg.Point{X: x1, Y: y1})
				p.Line(vg.Point{X: (x0 + x1) / 2, Y: y1})
				p.Close()
				c.Fill(p)
			}
		}
	}
	draw := func(slow bool) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		ggText = slow
		defer func() { ggText = false }()
		paintRGBA(img, paint)
		return img
	}
	fast, slow := draw(false), draw(true)
	differ := 0
	for i := range fast.Pix {
		if fast.Pix[i] != slow.Pix[i] {
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("%d bytes differ from gg's", differ)
	}
	inked := 0
	for i := 0; i < len(fast.Pix); i += 4 {
		if fast.Pix[i] != 0xff || fast.Pix[i+1] != 0xff || fast.Pix[i+2] != 0xff {
			inked++
		}
	}
	if inked < w*h/2 {
		t.Errorf("only %d of %d pixels drawn on", inked, w*h)
	}
}
