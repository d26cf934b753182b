// Package chart draws the bot's PNG charts (the mengpaneel, one element's
// history, the staff's comparison of all panels) from plain data with
// gonum.org/v1/plot.
//
// It knows no platform and no storage: callers hand it names and numbers.
// Sizes are chosen for a phone: images are about 1000 pixels wide and the
// type is large, because chat clients shrink images to the screen width.
// Rendering is deterministic: the same data gives the same bytes.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"git.sr.ht/~sbinet/gg"

	"github.com/wijkbv/wijkbot/commands"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// DPI is the resolution of every chart. Lengths below are written in pixels
// and converted with px, so the layout reads in the unit the phone shows.
const DPI = 96

// Width is the width in pixels of the panel and history charts.
const Width = 1000

// px converts pixels to vg lengths (points) at DPI.
func px(n float64) vg.Length { return vg.Length(n * 72 / DPI) }

// topx converts a vg length back to pixels.
func topx(l vg.Length) float64 { return float64(l) * DPI / 72 }

// Colours, chosen to stay apart for the common colour blindnesses and to
// survive a phone's dark-mode dimming.
var (
	inkColor    = color.RGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
	mutedColor  = color.RGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff}
	gridColor   = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	nowColor    = color.RGBA{R: 0x1f, G: 0x5f, B: 0x8b, A: 0xff}
	beforeColor = color.RGBA{R: 0xc6, G: 0xd8, B: 0xe6, A: 0xff}
	unsetColor  = color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
)

// sans returns a text style in Liberation Sans, which gonum/plot embeds, so
// no system fonts are needed.
func sans(sizePx float64, bold bool) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{
		Color:   inkColor,
		Font:    font.From(f, px(sizePx)),
		Handler: plot.DefaultTextHandler,
	}
}

// italic is sans in italics, for "nog niet gezet".
func italic(sizePx float64) text.Style {
	s := sans(sizePx, false)
	s.Font.Style = xfont.StyleItalic
	return s
}

// render draws onto a white canvas of w×h pixels and encodes it as PNG.
//
// A chart is drawn often (every /mengpaneel) and its pixels are most of
// its cost: vgimg.NewWith would allocate the image and then gg would copy
// it into a second one. The pixel buffer and the encoder's state are
// pooled instead, so a chart allocates little more than the PNG it
// returns.
func render(w, h int, paint func(c draw.Canvas)) ([]byte, error) {
	img := getRGBA(w, h)
	defer rgbaPool.Put(img)
	paintRGBA(img, paint)
	data, err := encodeOpaque(img)
	if errors.Is(err, errTranslucent) { // never on the white background
		var buf bytes.Buffer
		err = pngEncoder.Encode(&buf, img)
		data = buf.Bytes()
	}
	if err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return data, nil
}

// paintRGBA paints img white and then draws on it.
func paintRGBA(img *image.RGBA, paint func(c draw.Canvas)) {
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	// UseImageWithContext paints the background white, as UseBackgroundColor did.
	cv := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(DPI))
	if ggText {
		paint(draw.New(cv))
		return
	}
	fc := newFastCanvas(img, ctx, cv)
	defer fc.close()
	paint(draw.New(fc))
}

// ggText draws text and rectangles the slow way, through vgimg and gg (a
// test compares).
var ggText = false

// pngEncoder encodes a chart encodeOpaque cannot (one with transparency,
// which the white background rules out). Its BufferPool keeps the
// compressor between charts.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderPool{}}

// encoderPool is a png.EncoderBufferPool on a sync.Pool.
type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

var rgbaPool = sync.Pool{New: func() any { return &image.RGBA{} }}

// getRGBA returns a pooled w×h image; its pixels are whatever the last
// chart left (the canvas paints the background over all of them).
func getRGBA(w, h int) *image.RGBA {
	img := rgbaPool.Get().(*image.RGBA)
	n := 4 * w * h
	if cap(img.Pix) < n {
		img.Pix = make([]uint8, n)
	}
	img.Pix = img.Pix[:n]
	img.Stride = 4 * w
	img.Rect = image.Rect(0, 0, w, h)
	return img
}

// wrap breaks s into lines no wider than max in the style, at spaces where
// possible and inside a word only when the word alone is too wide. Nothing is
// dropped: a long element name gets more lines, never an ellipsis.
func wrap(sty text.Style, s string, max vg.Length) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if sty.Width(try) <= max {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		// The word alone may still be too wide: cut it where it stops fitting.
		for sty.Width(word) > max {
			cut := fitPrefix(sty, word, max)
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// fitPrefix returns the byte length of the longest prefix of word (at least
// one rune) that fits in max.
func fitPrefix(sty text.Style, word string, max vg.Length) int {
	n := 0
	for i, r := range word {
		end := i + utf8.RuneLen(r)
		if n > 0 && sty.Width(word[:end]) > max {
			break
		}
		n = end
	}
	return n
}

// DutchDate writes t as "27 november 2026", the way a date reads in a Dutch
// title.
func DutchDate(t time.Time) string {
	return commands.DutchDate(t)
}

// shortDate writes t as "27 nov" in l, for axis ticks.
func shortDate(l commands.Lang, t time.Time) string {
	return fmt.Sprintf("%d %s", t.Day(), l.MonthShort(t.Month()))
}

// longDate writes t as "27 november 2026" in l, for titles.
func longDate(l commands.Lang, t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), l.Month(t.Month()), t.Year())
}
