package chart

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func resetGlyphCache() {
	glyphCache.Lock()
	glyphCache.m, glyphCache.bytes = map[glyphKey]glyph{}, 0
	glyphCache.alphas, glyphCache.pix = nil, nil
	glyphCache.Unlock()
}

// TestGlyphCacheDrawsAsFace: text drawn from the glyph cache has exactly
// the pixels of each glyph rasterised afresh by a new face, at every
// position within a pixel, in several fonts, with the cache cold, warm,
// and starting over when full.
func TestGlyphCacheDrawsAsFace(t *testing.T) {
	styles := []struct {
		sizePx float64
		bold   bool
	}{{24, false}, {34, true}, {20, false}, {13.5, true}}
	words := []string{"eigenaarschap", "Wé 10 (was 7)", "financiële duurzaamheid", "AVWAy,.;", "€ ‘x’ – …"}
	const w, h = 900, 700
	paint := func(own bool) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		r := rand.New(rand.NewPCG(10, 15)) // the same strings at the same places
		paintRGBA(img, func(c draw.Canvas) {
			for range 300 {
				s := styles[r.IntN(len(styles))]
				sty := sans(s.sizePx, s.bold)
				f := sty.Handler.(text.Plain).Fonts.Lookup(sty.Font, sty.Font.Size)
				pt := vg.Point{X: vg.Length(r.Float64()*(w-300)) * 72 / DPI, Y: vg.Length(40+r.Float64()*(h-80)) * 72 / DPI}
				word := words[r.IntN(len(words))]
				clr := []color.Color{inkColor, mutedColor, nowColor}[r.IntN(3)]
				if own {
					c.SetColor(clr)
					c.FillString(f, pt, word)
					continue
				}
				// The reference: x/image's own drawer with a new face.
				x, y := pt.X.Dots(DPI), h-pt.Y.Dots(DPI)
				d := xfont.Drawer{Dst: img, Src: image.NewUniform(clr), Face: f.FontFace(DPI),
					Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}}
				d.DrawString(word)
			}
		})
		return img
	}
	want := paint(false)
	compare := func(name string) {
		t.Helper()
		got := paint(true)
		differ := 0
		for i := range got.Pix {
			if got.Pix[i] != want.Pix[i] {
				differ++
			}
		}
		if differ > 0 {
			t.Errorf("%s: %d bytes differ from a fresh face's glyphs", name, differ)
		}
	}
	resetGlyphCache()
	compare("cold")
	compare("warm")
	defer func(n int) { maxGlyphBytes = n; resetGlyphCache() }(maxGlyphBytes)
	maxGlyphBytes = 3000
	resetGlyphCache()
	compare("starting over")
	if glyphCache.bytes > maxGlyphBytes {
		t.Errorf("cache holds %d bytes, limit %d", glyphCache.bytes, maxGlyphBytes)
	}
}
