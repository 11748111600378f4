package pnginfo_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// The helpers below read and write PNG chunks the long way, straight from the
// PNG specification and apart from the package's code, so that a mistake in
// the package cannot be hidden by the same mistake in the check. Go's
// image/png is the other independent reader: it verifies every chunk's CRC,
// ancillary ones included, and decodes the pixels.

// rawChunk is one chunk as the test sees it.
type rawChunk struct {
	typ  string
	data []byte
	raw  []byte // length + type + data + CRC
}

// splitPNG returns the chunks of b, failing the test on a bad signature,
// length or CRC.
func splitPNG(tb testing.TB, b []byte) []rawChunk {
	tb.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		tb.Fatalf("no png signature")
	}
	b = b[8:]
	var cs []rawChunk
	for len(b) > 0 {
		if len(b) < 12 {
			tb.Fatalf("%d stray bytes after chunk %d", len(b), len(cs))
		}
		n := int(binary.BigEndian.Uint32(b))
		if len(b) < 12+n {
			tb.Fatalf("chunk %d (%q) claims %d bytes, %d left", len(cs), b[4:8], n, len(b)-12)
		}
		if got, want := crc32.ChecksumIEEE(b[4:8+n]), binary.BigEndian.Uint32(b[8+n:]); got != want {
			tb.Fatalf("chunk %d (%q): crc %08x, stored %08x", len(cs), b[4:8], got, want)
		}
		cs = append(cs, rawChunk{typ: string(b[4:8]), data: b[8 : 8+n], raw: b[:12+n]})
		b = b[12+n:]
	}
	return cs
}

// iTXt is a decoded iTXt chunk.
type iTXt struct {
	keyword, language, translated, text string
	flag, method                        byte
}

// decodeITXt splits iTXt data: keyword NUL, compression flag, compression
// method, language tag NUL, translated keyword NUL, text. It inflates the
// text when the flag is 1.
func decodeITXt(tb testing.TB, data []byte) iTXt {
	tb.Helper()
	parts := bytes.SplitN(data, []byte{0}, 2)
	if len(parts) != 2 || len(parts[1]) < 2 {
		tb.Fatalf("iTXt %q: no keyword terminator or flags", data)
	}
	it := iTXt{keyword: string(parts[0]), flag: parts[1][0], method: parts[1][1]}
	rest := bytes.SplitN(parts[1][2:], []byte{0}, 3)
	if len(rest) != 3 {
		tb.Fatalf("iTXt %q: language tag or translated keyword not terminated", data)
	}
	it.language, it.translated = string(rest[0]), string(rest[1])
	text := rest[2]
	if it.flag == 1 {
		zr, err := zlib.NewReader(bytes.NewReader(text))
		if err != nil {
			tb.Fatalf("iTXt %q: %v", it.keyword, err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(zr); err != nil {
			tb.Fatalf("iTXt %q: %v", it.keyword, err)
		}
		text = buf.Bytes()
	}
	it.text = string(text)
	return it
}

// checkKeyword fails unless k is a valid PNG keyword: 1-79 printable Latin-1
// bytes with no leading, trailing or consecutive spaces.
func checkKeyword(tb testing.TB, k string) {
	tb.Helper()
	ok := len(k) >= 1 && len(k) <= 79 && k[0] != ' ' && k[len(k)-1] != ' '
	for i := 0; ok && i < len(k); i++ {
		c := k[i]
		ok = (c >= 32 && c <= 126 || c >= 161) && !(c == ' ' && k[i-1] == ' ')
	}
	if !ok {
		tb.Errorf("keyword %q is not a valid png keyword", k)
	}
}

// checkText fails unless s is UTF-8 without NUL, as iTXt text must be.
func checkText(tb testing.TB, keyword, s string) {
	tb.Helper()
	if !utf8.ValidString(s) || bytes.IndexByte([]byte(s), 0) >= 0 {
		tb.Errorf("%s: text %q is not UTF-8 without NUL", keyword, s)
	}
}

// makeChunk builds a chunk with its CRC.
func makeChunk(typ string, data ...[]byte) []byte {
	body := append([]byte(typ), bytes.Join(data, nil)...)
	c := binary.BigEndian.AppendUint32(nil, uint32(len(body)-4))
	c = append(c, body...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(body))
}

// withChunks returns base with extra chunks inserted right after IHDR.
func withChunks(tb testing.TB, base []byte, extra ...[]byte) []byte {
	tb.Helper()
	cs := splitPNG(tb, base)
	out := append([]byte("\x89PNG\r\n\x1a\n"), cs[0].raw...)
	for _, e := range extra {
		out = append(out, e...)
	}
	for _, c := range cs[1:] {
		out = append(out, c.raw...)
	}
	return out
}

func deflate(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// noiseImage is a deterministic NRGBA image: a gradient with its first
// noiseRows rows replaced by noise, which makes the PNG large.
func noiseImage(w, h, noiseRows int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), uint8(255 - x%7)}
			if y < noiseRows {
				c = color.NRGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// testImages are the source images the round-trip tests embed into: several
// IDAT chunks, a palette with transparency (PLTE and tRNS), and 16-bit gray.
func testImages() map[string]image.Image {
	pal := image.NewPaletted(image.Rect(0, 0, 40, 30), color.Palette{
		color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 0, 0, 128}, color.NRGBA{0, 0, 255, 255},
	})
	gray := image.NewGray16(image.Rect(0, 0, 33, 17))
	for y := range 30 {
		for x := range 40 {
			pal.SetColorIndex(x, y, uint8((x+y)%3))
			gray.SetGray16(x, y, color.Gray16{uint16(x*1999 + y*7)})
		}
	}
	return map[string]image.Image{
		"nrgba noise": noiseImage(256, 200, 150),
		"paletted":    pal,
		"gray16":      gray,
	}
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// smallPNG is a valid PNG for tests that only need some PNG.
func smallPNG(tb testing.TB) []byte {
	tb.Helper()
	return encodePNG(tb, noiseImage(16, 8, 4))
}

// samePixels fails unless got has want's bounds and every pixel's
// non-premultiplied 16-bit color equals want's.
func samePixels(tb testing.TB, want, got image.Image) {
	tb.Helper()
	if want.Bounds() != got.Bounds() {
		tb.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	b := want.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			w := color.NRGBA64Model.Convert(want.At(x, y))
			g := color.NRGBA64Model.Convert(got.At(x, y))
			if w != g {
				tb.Fatalf("pixel (%d,%d) = %v, want %v", x, y, g, w)
			}
		}
	}
}
