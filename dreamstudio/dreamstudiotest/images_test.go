package dreamstudiotest_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// pngOf is a real PNG of width x height, a flat grey.
func pngOf(t *testing.T, width, height int) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, image.NewGray(image.Rect(0, 0, width, height))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noisePNG is a real PNG of width x height of random colours, stored uncompressed: about
// 4*width*height bytes, for uploads that must be large.
func noisePNG(t *testing.T, width, height int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	r := rand.New(rand.NewPCG(3, 4))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.Uint32())
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegOf(t *testing.T, width, height int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, width, height)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gifOf(t *testing.T, width, height int) []byte {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewPaletted(image.Rect(0, 0, width, height), color.Palette{color.Black, color.White})
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpOf is a real lossless WebP of width x height (each at most 16,384, as the format allows),
// one colour. Its bitstream needs no encoder:
// with no transform, no colour cache and a single symbol in each of the five prefix codes, the
// pixels themselves take no bits (WebP lossless bitstream, RFC 9649 section 3).
func webpOf(width, height int) []byte {
	var w bitWriter
	w.put(0x2f, 8) // VP8L signature
	w.put(uint32(width-1), 14)
	w.put(uint32(height-1), 14)
	w.put(0, 1) // alpha_is_used
	w.put(0, 3) // version
	w.put(0, 1) // no transform
	w.put(0, 1) // no colour cache
	w.put(0, 1) // no meta prefix codes
	// The prefix codes of green, red, blue, alpha and distance.
	for _, symbol := range []uint32{0x80, 0x40, 0x20, 0xff, 0} {
		w.put(1, 1) // simple code
		w.put(0, 1) // one symbol
		w.put(1, 1) // of 8 bits
		w.put(symbol, 8)
	}
	data := w.bytes()
	if len(data)%2 == 1 {
		data = append(data, 0) // chunks are padded to an even length
	}
	le := binary.LittleEndian
	out := []byte("RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00")
	le.PutUint32(out[16:], uint32(len(w.bytes())))
	out = append(out, data...)
	le.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// bitWriter packs values least significant bit first, as VP8L reads them.
type bitWriter struct {
	buf []byte
	n   uint
}

func (w *bitWriter) put(v uint32, bits uint) {
	for i := range bits {
		if w.n%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		w.buf[len(w.buf)-1] |= byte(v>>i&1) << (w.n % 8)
		w.n++
	}
}

func (w *bitWriter) bytes() []byte { return w.buf }

// truncated keeps the first two thirds of an image: for the sizes used, its header and not all
// of its data.
func truncated(image []byte) []byte {
	return image[:len(image)*2/3]
}
