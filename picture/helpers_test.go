package picture_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"dreambot/picture"
)

// webp3x2 is a real lossless WebP of 3x2 pixels, all NRGBA{0x40, 0x80, 0x20, 0xff}, written
// out as dreamstudiotest's webpOf builds one: RIFF and VP8L chunk headers, then a bitstream
// (RFC 9649 section 3) of the signature 0x2f, width-1 and height-1 in 14 bits each, no
// transform, no colour cache, and five simple prefix codes of one 8-bit symbol each (green,
// red, blue, alpha, distance), so that the pixels take no bits; the chunk is padded to an
// even length.
var webp3x2 = []byte("RIFF\x1a\x00\x00\x00WEBP" + "VP8L\x0d\x00\x00\x00" +
	"\x2f\x02\x40\x00\x00\x28\x60\x81\x0a\xd2\xff\x02\x00" + "\x00")

// gradient is a w x h picture whose pixels all differ, so that a crop or a resize shows.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: uint8(x ^ y), A: 255})
		}
	}
	return img
}

func pngOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}

func jpegOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatalf("encode jpeg: %v", err)
	}
	return buf.Bytes()
}

func gifOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White})
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatalf("encode gif: %v", err)
	}
	return buf.Bytes()
}

// pngHeader is the signature and IHDR chunk of an 8-bit RGBA PNG of w x h, with its CRC,
// and nothing else: enough for a decoder to learn the size, and no pixels.
func pngHeader(w, h uint32) []byte {
	be := binary.BigEndian
	chunk := []byte("IHDR")
	chunk = be.AppendUint32(chunk, w)
	chunk = be.AppendUint32(chunk, h)
	chunk = append(chunk, 8, 6, 0, 0, 0) // bit depth, RGBA, deflate, adaptive filter, no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = be.AppendUint32(out, 13)
	out = append(out, chunk...)
	return be.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

// reasonOf returns the Reason of err, which must be a *picture.Error.
func reasonOf(t *testing.T, err error) string {
	t.Helper()
	var pe *picture.Error
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v (%T), want *picture.Error", err, err)
	}
	return pe.Reason
}
