package chart

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"math/bits"
	"slices"
	"sync"
)

// errTranslucent is encodeOpaque's answer to an image it cannot write as
// RGB; render then uses image/png.
var errTranslucent = errors.New("png: image is not opaque")

// encodeOpaque returns img as an 8-bit RGB PNG with filter None,
// compressed by a deflate made for charts, or errTranslucent if a pixel is
// not opaque.
//
// Encoding was most of a chart's time, and compress/flate's fastest level
// still searched a hash table at every byte and built Huffman tables with a
// sort for every 64 KiB. A chart is flat colour with anti-aliased edges:
// nearly every pixel repeats the one to its left or the one above it (and
// half the rows repeat the row above), so those two matches, at distance 3
// and one row, are tried first, by comparing whole pixels (a repeated row
// with one comparison). Only where neither goes far (edges, text) is a
// hash of the next two pixels looked up for a repeat further back: the
// same letter's edge written again. What remains goes as literals, and
// each block of tokens gets its own Huffman codes. The Adler-32 of a
// repeated row is known without reading it. PNG is lossless, so the
// pixels are the same whatever the encoder; TestEncodeOpaqueRoundTrips
// decodes random images and real charts back.
func encodeOpaque(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, errors.New("png: empty image")
	}
	e := deflaterPool.Get().(*deflater)
	defer deflaterPool.Put(e)
	e.reset()
	e.out = append(e.out, 0x78, 0x01) // zlib: deflate, 32 KiB window, no dictionary
	adler, err := e.image(img)
	if err != nil {
		return nil, err
	}
	e.flush(true)
	e.out = binary.BigEndian.AppendUint32(e.out, adler)

	const signature = "\x89PNG\r\n\x1a\n"
	data := make([]byte, 0, len(signature)+3*12+13+len(e.out))
	data = append(data, signature...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:4], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:8], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits a sample, RGB; compression, filter, interlace 0
	data = appendChunk(data, "IHDR", ihdr[:])
	data = appendChunk(data, "IDAT", e.out)
	data = appendChunk(data, "IEND", nil)
	return data, nil
}

// Deflate's limits (RFC 1951).
const (
	maxMatch  = 258
	minMatch  = 3
	maxDist   = 32768
	adlerMod  = 65521
	endBlock  = 256
	numLit    = 286
	numDist   = 30
	blockToks = 1 << 15 // tokens a block; bounds the buffer, lets codes adapt
)

// A token is a literal byte (< 256) or a match: matchFlag, the length
// (3–258) in bits 16–24 and the distance minus one in bits 0–14.
const matchFlag = 1 << 31

// deflater is the state of one encoding, pooled between charts.
type deflater struct {
	tokens   []uint32
	litFreq  [numLit]uint32
	distFreq [numDist]uint32
	litLen   [numLit]uint8
	distLen  [numDist]uint8
	litCode  [numLit]uint16
	distCode [numDist]uint16
	huff     huffman
	seen     [1 << 12]int32 // stream position+1 of a literal pixel pair, by hash
	out      []byte
	acc      uint64 // bits not yet in out, first bit lowest
	nacc     uint
}

var deflaterPool = sync.Pool{New: func() any { return new(deflater) }}

func (e *deflater) reset() {
	e.tokens = e.tokens[:0]
	e.litFreq, e.distFreq = [numLit]uint32{}, [numDist]uint32{}
	e.out = e.out[:0]
	e.acc, e.nacc = 0, 0
	clear(e.seen[:])
}

// image tokenizes img's rows (filter byte 0, then R, G, B per pixel) and
// returns their Adler-32.
func (e *deflater) image(img *image.RGBA) (uint32, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	rowLen := 1 + 3*w
	vertical := rowLen <= maxDist // rows are within reach of a match
	var s1, s2 uint64 = 1, 0      // Adler-32
	var sum, weighted uint64      // the last row's share of it
	var above []byte
	for y := range h {
		row := pixRow(img, y)
		if vertical && above != nil && bytes.Equal(row, above) {
			e.match(rowLen, rowLen)
		} else {
			var opaque bool
			sum, weighted, opaque = rowSums(row, rowLen)
			if !opaque {
				return 0, errTranslucent
			}
			e.literal(0)
			if !vertical {
				above = nil
			}
			e.pixels(img, y, above, rowLen)
		}
		// Adler-32 over the row: s1 gains its bytes; s2 gains s1 once per
		// byte and each byte once per byte after it, itself included.
		s2 = (s2 + uint64(rowLen)*s1 + weighted) % adlerMod
		s1 = (s1 + sum) % adlerMod
		above = row
	}
	return uint32(s2<<16 | s1), nil
}

// rowSums returns the sum of a row's filtered bytes and their sum weighted
// by how many bytes of the row (n of them, the filter byte 0 first) each
// one counts in Adler-32's s2; opaque is false if any alpha is not 0xff.
func rowSums(row []byte, n int) (sum, weighted uint64, opaque bool) {
	k := uint64(n - 1) // weight of the first red byte
	alpha := byte(0xff)
	for i := 0; i+3 < len(row); i += 4 {
		p := row[i : i+4 : i+4]
		r, g, b := uint64(p[0]), uint64(p[1]), uint64(p[2])
		alpha &= p[3]
		sum += r + g + b
		weighted += k*(r+g+b) - g - 2*b
		k -= 3
	}
	return sum, weighted, alpha == 0xff
}

// pixels tokenizes row y of img after its filter byte: runs that repeat
// the pixel to the left or the pixel above (when above is not nil) become
// matches, the longer of the two. A pixel that repeats neither starts a
// match if the same two pixels were seen at such a pixel before (the same
// letter's edge, written again further on); otherwise it is a literal.
func (e *deflater) pixels(img *image.RGBA, y int, above []byte, rowLen int) {
	row := pixRow(img, y)
	w := len(row) / 4
	for x := 0; x < w; {
		up := 0
		if above != nil {
			up = samePrefix(row[4*x:], above[4*x:]) / 4
		}
		left := 0
		if x > 0 {
			left = runOf(row[4*x:], binary.LittleEndian.Uint32(row[4*x-4:]))
		}
		near := max(left, up)
		if near < 4 && x+1 < w {
			// Short or no run: a repeat from further back may be longer.
			pos := int32(y*rowLen + 1 + 3*x)                                              // in the filtered stream
			slot := &e.seen[binary.LittleEndian.Uint64(row[4*x:])*0x9e3779b97f4a7c15>>52] // 12 bits
			cand := *slot - 1
			*slot = pos + 1
			if d := int(pos - cand); cand >= 0 && d <= maxDist {
				cy, cx := int(cand)/rowLen, (int(cand)%rowLen-1)/3
				if k := samePrefix(row[4*x:], pixRow(img, cy)[4*cx:]) / 4; k >= 2 && k > near+1 {
					e.match(3*k, d)
					x += k
					continue
				}
			}
		}
		switch {
		case near == 0:
		case left >= up: // the cheaper distance on a tie
			e.match(3*left, 3)
			x += left
			continue
		default:
			e.match(3*up, rowLen)
			x += up
			continue
		}
		p := row[4*x : 4*x+3]
		e.literal(p[0])
		e.literal(p[1])
		e.literal(p[2])
		x++
	}
}

// pixRow is row y of img, RGBA.
func pixRow(img *image.RGBA, y int) []byte {
	i := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y)
	return img.Pix[i : i+4*img.Rect.Dx()]
}

// samePrefix is the number of leading bytes a and b have in common.
func samePrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if d := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); d != 0 {
			return i + bits.TrailingZeros64(d)/8
		}
	}
	for ; i < n && a[i] == b[i]; i++ {
	}
	return i
}

// runOf is the number of leading pixels of row that are c.
func runOf(row []byte, c uint32) int {
	cc := uint64(c) | uint64(c)<<32
	i := 0
	for ; i+8 <= len(row); i += 8 {
		if d := binary.LittleEndian.Uint64(row[i:]) ^ cc; d != 0 {
			return (i + bits.TrailingZeros64(d)/8) / 4
		}
	}
	if i+4 <= len(row) && binary.LittleEndian.Uint32(row[i:]) == c {
		i += 4
	}
	return i / 4
}

func (e *deflater) literal(b byte) {
	if len(e.tokens) == blockToks {
		e.flush(false)
	}
	e.tokens = append(e.tokens, uint32(b))
	e.litFreq[b]++
}

// match adds a copy of n ≥ 3 bytes from dist back, in pieces deflate takes.
func (e *deflater) match(n, dist int) {
	dc := distSym(dist)
	for n > 0 {
		l := min(n, maxMatch)
		if rest := n - l; rest > 0 && rest < minMatch {
			l = n - minMatch
		}
		if len(e.tokens) == blockToks {
			e.flush(false)
		}
		e.tokens = append(e.tokens, matchFlag|uint32(l)<<16|uint32(dist-1))
		e.litFreq[lengthSym[l]]++
		e.distFreq[dc]++
		n -= l
	}
}

// flush writes the tokens so far as one block with its own Huffman codes.
func (e *deflater) flush(final bool) {
	e.litFreq[endBlock]++
	e.huff.lengths(e.litFreq[:], 15, e.litLen[:])
	e.huff.lengths(e.distFreq[:], 15, e.distLen[:])
	canonical(e.litLen[:], e.litCode[:])
	canonical(e.distLen[:], e.distCode[:])

	last := uint64(0)
	if final {
		last = 1
	}
	e.bits(last, 1)
	e.bits(2, 2) // dynamic Huffman codes
	e.writeCodeLengths()
	for _, t := range e.tokens {
		if t&matchFlag == 0 {
			e.bits(uint64(e.litCode[t]), uint(e.litLen[t]))
			continue
		}
		l, d := int(t>>16&0x1ff), int(t&0x7fff)+1
		ls := lengthSym[l]
		e.bits(uint64(e.litCode[ls]), uint(e.litLen[ls]))
		if n := lengthExtra[ls-257]; n > 0 {
			e.bits(uint64(l-int(lengthBase[ls-257])), n)
		}
		ds := distSym(d)
		e.bits(uint64(e.distCode[ds]), uint(e.distLen[ds]))
		if n, base := distExtra(ds); n > 0 {
			e.bits(uint64(d-base), n)
		}
	}
	e.bits(uint64(e.litCode[endBlock]), uint(e.litLen[endBlock]))
	if final {
		for e.nacc > 0 {
			e.out = append(e.out, byte(e.acc))
			e.acc >>= 8
			e.nacc -= min(8, e.nacc)
		}
	}
	e.tokens = e.tokens[:0]
	e.litFreq, e.distFreq = [numLit]uint32{}, [numDist]uint32{}
}

// clOrder is the order in which the code length code's lengths are sent.
var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// writeCodeLengths writes a dynamic block's header: the literal/length and
// distance code lengths, run-length coded with the code length code.
func (e *deflater) writeCodeLengths() {
	nl, nd := numLit, numDist
	for nl > 257 && e.litLen[nl-1] == 0 {
		nl--
	}
	for nd > 1 && e.distLen[nd-1] == 0 {
		nd--
	}
	lens := append(append(e.huff.seq[:0], e.litLen[:nl]...), e.distLen[:nd]...)
	// Symbols 0–15 are lengths; 16 repeats the last 3–6 times, 17 and 18
	// are 3–10 and 11–138 zeros. Each entry: symbol, extra value.
	syms := e.huff.clSyms[:0]
	var freq [19]uint32
	for i := 0; i < len(lens); {
		v, run := lens[i], 1
		for i+run < len(lens) && lens[i+run] == v {
			run++
		}
		i += run
		if v == 0 {
			for run >= 11 {
				n := min(run, 138)
				syms = append(syms, [2]uint8{18, uint8(n - 11)})
				run -= n
			}
			if run >= 3 {
				syms = append(syms, [2]uint8{17, uint8(run - 3)})
				run = 0
			}
		} else {
			syms = append(syms, [2]uint8{v, 0})
			run--
			for run >= 3 {
				n := min(run, 6)
				syms = append(syms, [2]uint8{16, uint8(n - 3)})
				run -= n
			}
		}
		for ; run > 0; run-- {
			syms = append(syms, [2]uint8{v, 0})
		}
	}
	for _, s := range syms {
		freq[s[0]]++
	}
	var clLen [19]uint8
	var clCode [19]uint16
	e.huff.lengths(freq[:], 7, clLen[:])
	canonical(clLen[:], clCode[:])
	ncl := 19
	for ncl > 4 && clLen[clOrder[ncl-1]] == 0 {
		ncl--
	}
	e.bits(uint64(nl-257), 5)
	e.bits(uint64(nd-1), 5)
	e.bits(uint64(ncl-4), 4)
	for _, s := range clOrder[:ncl] {
		e.bits(uint64(clLen[s]), 3)
	}
	for _, s := range syms {
		e.bits(uint64(clCode[s[0]]), uint(clLen[s[0]]))
		switch s[0] {
		case 16:
			e.bits(uint64(s[1]), 2)
		case 17:
			e.bits(uint64(s[1]), 3)
		case 18:
			e.bits(uint64(s[1]), 7)
		}
	}
	e.huff.seq, e.huff.clSyms = lens, syms
}

// bits appends the n ≤ 16 low bits of v, first bit first.
func (e *deflater) bits(v uint64, n uint) {
	e.acc |= v << e.nacc
	e.nacc += n
	if e.nacc >= 32 {
		e.out = binary.LittleEndian.AppendUint32(e.out, uint32(e.acc))
		e.acc >>= 32
		e.nacc -= 32
	}
}

// huffman builds length-limited Huffman codes; its slices are kept
// between blocks.
type huffman struct {
	syms   []int32
	weight []uint64
	parent []int32
	depth  []uint8
	seq    []uint8
	clSyms [][2]uint8
}

// lengths sets lens to the code lengths of a Huffman code for freq with no
// code longer than maxBits. The code is always complete (at least two
// symbols get a code), which every inflater accepts.
func (h *huffman) lengths(freq []uint32, maxBits int, lens []uint8) {
	clear(lens)
	h.syms = h.syms[:0]
	for s, f := range freq {
		if f > 0 {
			h.syms = append(h.syms, int32(s))
		}
	}
	for s := 0; len(h.syms) < 2; s++ { // a code that is never written
		if freq[s] == 0 {
			h.syms = append(h.syms, int32(s))
		}
	}
	// Too long a code: flatten the frequencies and build again.
	for shift := 0; ; shift++ {
		wt := func(s int32) uint64 { return max(uint64(freq[s])>>shift, 1) }
		slices.SortFunc(h.syms, func(a, b int32) int {
			if wa, wb := wt(a), wt(b); wa != wb {
				if wa < wb {
					return -1
				}
				return 1
			}
			return int(a - b)
		})
		n := len(h.syms)
		h.weight = slices.Grow(h.weight[:0], 2*n)[:2*n-1]
		h.parent = slices.Grow(h.parent[:0], 2*n)[:2*n-1]
		h.depth = slices.Grow(h.depth[:0], 2*n)[:2*n-1]
		for i, s := range h.syms {
			h.weight[i] = wt(s)
		}
		// Two queues: the sorted leaves and the merged nodes, which are
		// made in order of weight.
		leaf, node, next := 0, n, n
		take := func() int {
			if leaf < n && (node >= next || h.weight[leaf] <= h.weight[node]) {
				leaf++
				return leaf - 1
			}
			node++
			return node - 1
		}
		for ; next < 2*n-1; next++ {
			a, b := take(), take()
			h.weight[next] = h.weight[a] + h.weight[b]
			h.parent[a], h.parent[b] = int32(next), int32(next)
		}
		h.depth[2*n-2] = 0
		deepest := 0
		for i := 2*n - 3; i >= 0; i-- {
			h.depth[i] = h.depth[h.parent[i]] + 1
			if i < n {
				deepest = max(deepest, int(h.depth[i]))
			}
		}
		if deepest <= maxBits {
			for i, s := range h.syms {
				lens[s] = h.depth[i]
			}
			return
		}
	}
}

// canonical gives each symbol its canonical code (RFC 1951 3.2.2), bit
// reversed because deflate sends Huffman codes first bit first.
func canonical(lens []uint8, codes []uint16) {
	var count, next [16]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	code := uint16(0)
	for b := 1; b < 16; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	for s, l := range lens {
		if l > 0 {
			codes[s] = bits.Reverse16(next[l]) >> (16 - l)
			next[l]++
		}
	}
}

// Length symbols 257–285: the first length of each and its extra bits.
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	lengthSym   [maxMatch + 1]uint16 // by length
)

func init() {
	for i := range 28 {
		for l := int(lengthBase[i]); l < int(lengthBase[i])+1<<lengthExtra[i] && l < maxMatch; l++ {
			lengthSym[l] = uint16(257 + i)
		}
	}
	lengthSym[maxMatch] = 285
}

// distSym is the distance symbol (0–29) of a distance 1–32768.
func distSym(d int) int {
	d--
	if d < 4 {
		return d
	}
	n := bits.Len32(uint32(d))
	return 2*(n-1) + (d>>(n-2))&1
}

// distExtra is the number of extra bits of a distance symbol and its first
// distance.
func distExtra(sym int) (uint, int) {
	if sym < 4 {
		return 0, sym + 1
	}
	n := uint(sym/2 - 1)
	return n, (2+sym&1)<<n + 1
}

// appendChunk appends one PNG chunk: length, type, data, CRC of type and
// data.
func appendChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}
