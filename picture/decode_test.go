package picture_test

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"dreambot/picture"
)

func TestDecode(t *testing.T) {
	t.Parallel()
	photo := gradient(40, 30)
	tests := []struct {
		name   string
		data   []byte
		format string
		size   image.Point
	}{
		{"png", pngOf(t, photo), "png", image.Pt(40, 30)},
		{"jpeg", jpegOf(t, photo), "jpeg", image.Pt(40, 30)},
		{"webp", webp3x2, "webp", image.Pt(3, 2)},
		{"at the pixel limit", pngOf(t, gradient(100, 50)), "png", image.Pt(100, 50)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, format, err := picture.Decode(tt.data, 5000)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if format != tt.format || img.Bounds().Size() != tt.size {
				t.Errorf("got %s %v, want %s %v", format, img.Bounds().Size(), tt.format, tt.size)
			}
		})
	}
}

func TestDecodeWebPPixels(t *testing.T) {
	t.Parallel()
	img, _, err := picture.Decode(webp3x2, picture.DefaultMaxPixels)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	got := color.NRGBAModel.Convert(img.At(2, 1))
	if want := (color.NRGBA{R: 0x40, G: 0x80, B: 0x20, A: 0xff}); got != want {
		t.Errorf("got pixel %v, want %v", got, want)
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	full := pngOf(t, gradient(40, 30))
	tests := []struct {
		name   string
		data   []byte
		reason string // a part of the Reason
	}{
		// Decoding it would allocate 40 GB; only the header may be read.
		{"bomb", pngHeader(100000, 100000), "sides can be at most 16384"},
		{"bomb within the side limit", pngHeader(16384, 16384), "at most 5000 pixels"},
		{"too many pixels", pngOf(t, gradient(100, 51)), "100x51 pixels; it can have at most 5000 pixels"},
		{"a side too long", pngHeader(16385, 1), "sides can be at most 16384"},
		{"no pixels", pngHeader(0, 10), "damaged"},
		{"header without pixels", pngHeader(10, 10), "damaged"},
		{"truncated png", full[:len(full)/2], "damaged"},
		{"truncated webp", webp3x2[:20], "damaged"},
		{"gif", gifOf(t, 4, 4), "PNG, JPEG or WebP"},
		{"bmp", []byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), "PNG, JPEG or WebP"},
		{"text", []byte("<html>a picture</html>"), "PNG, JPEG or WebP"},
		{"empty", nil, "PNG, JPEG or WebP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, _, err := picture.Decode(tt.data, 5000)
			if err == nil {
				t.Fatalf("got %v, want an error", img.Bounds())
			}
			if r := reasonOf(t, err); !strings.Contains(r, tt.reason) {
				t.Errorf("got reason %q, want it to contain %q", r, tt.reason)
			}
		})
	}
}
