package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/plot/vg/draw"
)

// roundTrip encodes img with encodeOpaque, decodes it with image/png and
// fails unless every pixel came back.
func roundTrip(t *testing.T, name string, img *image.RGBA) []byte {
	t.Helper()
	data, err := encodeOpaque(img)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", name, err)
	}
	b := img.Bounds()
	if got.Bounds() != image.Rect(0, 0, b.Dx(), b.Dy()) {
		t.Fatalf("%s: bounds %v, want %v", name, got.Bounds(), b)
	}
	for y := range b.Dy() {
		for x := range b.Dx() {
			r1, g1, b1, a1 := got.At(x, y).RGBA()
			r2, g2, b2, a2 := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("%s: pixel %d,%d: %v, want %v", name, x, y, got.At(x, y), img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
	return data
}

// randomImage is an opaque w×h image of the kind charts are, and worse:
// runs of a few colours, rows repeated, and (with noise) every pixel
// different.
func randomImage(r *rand.Rand, w, h int, colours int, noise float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	palette := make([][3]byte, colours)
	for i := range palette {
		palette[i] = [3]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}
	}
	for y := range h {
		if y > 0 && r.IntN(3) == 0 { // a repeated row
			copy(img.Pix[y*img.Stride:(y+1)*img.Stride], img.Pix[(y-1)*img.Stride:y*img.Stride])
			continue
		}
		c := palette[r.IntN(colours)]
		for x := range w {
			switch {
			case r.Float64() < noise:
				c = [3]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}
			case r.IntN(40) == 0:
				c = palette[r.IntN(colours)]
			case y > 0 && r.IntN(5) == 0: // as the pixel above
				i := (y-1)*img.Stride + 4*x
				c = [3]byte{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}
			}
			i := y*img.Stride + 4*x
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c[0], c[1], c[2], 0xff
		}
	}
	return img
}

// TestEncodeOpaqueRoundTrips: the charts' own PNG encoder gives back every
// pixel: of random images (runs longer than a deflate match, repeated
// rows, noise filling several blocks, rows too wide to be matched from
// the row above), of a sub-image, and of real charts.
func TestEncodeOpaqueRoundTrips(t *testing.T) {
	// Neighbouring rows and columns all differ.
	img := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7919 >> 3)
		if i%4 == 3 {
			img.Pix[i] = 0xff
		}
	}
	roundTrip(t, "stripes", img)

	r := rand.New(rand.NewPCG(15, 6))
	for _, c := range []struct {
		w, h, colours int
		noise         float64
	}{
		{1, 1, 1, 0}, {1, 300, 2, 0}, {300, 1, 2, 0}, {2, 2, 4, 1},
		{1000, 900, 3, 0}, {1000, 400, 8, 0.05}, {999, 77, 200, 0.3},
		{400, 300, 5, 1},   // every pixel a literal: several blocks
		{11000, 3, 2, 0},   // a row beyond deflate's 32 KiB window
		{10922, 3, 3, 0},   // the widest row still within it
		{700, 50, 1, 0},    // one colour: rows of long matches only
		{87, 5000, 2, 0},   // many rows
		{1033, 20, 2, 0.5}, // odd width
	} {
		name := fmt.Sprintf("%dx%d/%d/%.2f", c.w, c.h, c.colours, c.noise)
		roundTrip(t, name, randomImage(r, c.w, c.h, c.colours, c.noise))
	}
	big := randomImage(r, 300, 200, 6, 0.1)
	roundTrip(t, "sub-image", big.SubImage(image.Rect(17, 33, 250, 180)).(*image.RGBA))

	// A real chart, as render drew it (the SVG seam lets the test see the
	// image before it is encoded).
	var drawn *image.RGBA
	_, _, err := renderPanelWith(samplePanel(), func(w, h int, paint func(c draw.Canvas)) ([]byte, error) {
		drawn = image.NewRGBA(image.Rect(0, 0, w, h))
		paintRGBA(drawn, paint)
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, "panel", drawn)
	// The other charts, decoded and encoded again.
	grid, err := GridPNG(sampleGrid())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	hist, err := HistoryPNG(History{Title: "eigenaarschap", Subtitle: "Noord", End: t0.AddDate(0, 10, 0),
		Points: []Point{{At: t0, Value: 2}, {At: t0.AddDate(0, 3, 0), Value: 5}, {At: t0.AddDate(0, 7, 0), Value: 7}}})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"grid": grid, "history": hist} {
		roundTrip(t, name, decode(t, data).(*image.RGBA))
	}
}

// TestEncodeOpaqueRefusesTranslucent: a pixel that is not opaque is not
// written as RGB (render then uses image/png, which keeps alpha).
func TestEncodeOpaqueRefusesTranslucent(t *testing.T) {
	// In the first row, in a row otherwise as the one above, in the last.
	for _, at := range []image.Point{{0, 0}, {25, 20}, {49, 39}} {
		img := randomImage(rand.New(rand.NewPCG(1, 2)), 50, 40, 3, 0)
		copy(img.Pix[img.PixOffset(0, 20):img.PixOffset(0, 21)], img.Pix[img.PixOffset(0, 19):img.PixOffset(0, 20)])
		img.Pix[img.PixOffset(at.X, at.Y)+3] = 0xfe
		if _, err := encodeOpaque(img); !errors.Is(err, errTranslucent) {
			t.Fatalf("translucent at %v: err=%v, want errTranslucent", at, err)
		}
	}
	// After a refusal the pooled encoder still writes the next image right.
	roundTrip(t, "after refusal", randomImage(rand.New(rand.NewPCG(3, 4)), 50, 40, 3, 0.2))
}

// TestHuffmanLengthsLimited: frequencies that make a Huffman tree deeper
// than deflate allows (Fibonacci) still get a complete code within the
// limit.
func TestHuffmanLengthsLimited(t *testing.T) {
	for _, c := range []struct{ n, maxBits int }{{30, 15}, {19, 7}, {286, 15}, {2, 15}, {1, 7}, {0, 15}} {
		freq := make([]uint32, max(c.n, 19))
		a, b := uint32(1), uint32(1)
		for i := range c.n {
			freq[i] = a
			a, b = b, a+b
		}
		lens := make([]uint8, len(freq))
		var h huffman
		h.lengths(freq, c.maxBits, lens)
		kraft, deepest := 0.0, 0
		for s, l := range lens {
			if freq[s] > 0 && l == 0 {
				t.Errorf("n=%d: symbol %d used but has no code", c.n, s)
			}
			if l > 0 {
				kraft += 1 / float64(uint64(1)<<l)
				deepest = max(deepest, int(l))
			}
		}
		if deepest > c.maxBits {
			t.Errorf("n=%d: a code of %d bits, limit %d", c.n, deepest, c.maxBits)
		}
		if kraft != 1 {
			t.Errorf("n=%d: Kraft sum %v, want 1 (a complete code)", c.n, kraft)
		}
	}
}

// TestRenderConcurrent: charts drawn at once share the pooled images and
// encoders without mixing them up (run with -race).
func TestRenderConcurrent(t *testing.T) {
	panels := make([]Panel, 4)
	want := make([][]byte, len(panels))
	for i := range panels {
		panels[i] = samplePanel()
		panels[i].Bars = panels[i].Bars[:3+2*i] // different sizes
		panels[i].Bars[0].Value = i
		var err error
		if want[i], err = PanelPNG(panels[i]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*len(panels))
	for g := range 8 {
		wg.Go(func() {
			for k := range 2 * len(panels) {
				i := (g + k) % len(panels)
				got, err := PanelPNG(panels[i])
				if err == nil && !bytes.Equal(got, want[i]) {
					err = fmt.Errorf("panel %d drawn concurrently differs", i)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// FuzzEncodeOpaque: any opaque image round-trips. The bytes give the
// width and the pixels, each byte a palette index or a colour channel, so
// the fuzzer reaches runs, repeated rows and far repeats as well as noise.
func FuzzEncodeOpaque(f *testing.F) {
	f.Add(uint16(1), []byte{0})
	f.Add(uint16(7), []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbcccccccccccccccc"))
	f.Add(uint16(300), bytes.Repeat([]byte{1, 2, 3, 1, 2, 3, 9}, 400))
	f.Fuzz(func(t *testing.T, w uint16, data []byte) {
		width := int(w%2000) + 1
		n := max(len(data), 1)
		img := image.NewRGBA(image.Rect(0, 0, width, (n+width-1)/width))
		palette := [4][3]byte{{255, 255, 255}, {0x1f, 0x5f, 0x8b}, {0xdd, 0xdd, 0xdd}, {0x1a, 0x1a, 0x1a}}
		for i := range img.Rect.Dx() * img.Rect.Dy() {
			c := palette[0]
			if len(data) > 0 {
				b := data[i%len(data)]
				if b < 200 {
					c = palette[b%4]
				} else {
					c = [3]byte{b, b * 7, b * 13}
				}
			}
			copy(img.Pix[4*i:], c[:])
			img.Pix[4*i+3] = 0xff
		}
		roundTrip(t, "fuzz", img)
	})
}
