package picture_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"dreambot/picture"
)

// sdxl are the sizes SDXL models accept, in the order the bot lists them.
var sdxl = []image.Point{
	{1024, 1024}, {1152, 896}, {1216, 832}, {1344, 768}, {1536, 640},
	{640, 1536}, {768, 1344}, {832, 1216}, {896, 1152},
}

func TestFit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		src   image.Point
		sizes []image.Point
		want  image.Point
	}{
		{"square", image.Pt(300, 300), sdxl, image.Pt(1024, 1024)},
		{"4:3 photo", image.Pt(400, 300), sdxl, image.Pt(1152, 896)},
		{"3:2 photo", image.Pt(300, 200), sdxl, image.Pt(1216, 832)},
		{"16:9 screen", image.Pt(192, 108), sdxl, image.Pt(1344, 768)},
		{"panorama", image.Pt(300, 100), sdxl, image.Pt(1536, 640)},
		{"tall banner", image.Pt(100, 400), sdxl, image.Pt(640, 1536)},
		{"9:16 phone", image.Pt(108, 192), sdxl, image.Pt(768, 1344)},
		{"2:3 portrait", image.Pt(200, 300), sdxl, image.Pt(832, 1216)},
		{"3:4 portrait", image.Pt(96, 128), sdxl, image.Pt(896, 1152)},
		{"one pixel", image.Pt(1, 1), sdxl, image.Pt(1024, 1024)},
		{"tie goes to the first", image.Pt(100, 100), []image.Point{{200, 100}, {100, 200}}, image.Pt(200, 100)},
		{"tie goes to the first, reversed", image.Pt(100, 100), []image.Point{{100, 200}, {200, 100}}, image.Pt(100, 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, size := picture.Fit(image.NewRGBA(image.Rectangle{Max: tt.src}), tt.sizes)
			if size != tt.want || img.Bounds() != (image.Rectangle{Max: tt.want}) {
				t.Errorf("got %v, image %v, want %v", size, img.Bounds(), tt.want)
			}
		})
	}
}

// TestFitEverySize checks that a picture of each SDXL size is fitted to that size, which
// TestFit checks for pictures of about their aspect ratios.
func TestFitEverySize(t *testing.T) {
	t.Parallel()
	for _, s := range sdxl {
		img, got := picture.Fit(image.NewRGBA(image.Rectangle{Max: s}), sdxl)
		if got != s || img.Bounds() != (image.Rectangle{Max: s}) {
			t.Errorf("%v: got %v, image %v", s, got, img.Bounds())
		}
	}
}

// TestFitCropsCentred checks that a wide picture loses its left and right edges, not one side.
func TestFitCropsCentred(t *testing.T) {
	t.Parallel()
	src := image.NewRGBA(image.Rect(0, 0, 300, 100))
	red := color.RGBA{R: 255, A: 255}
	for y := range 100 {
		for x := 100; x < 200; x++ {
			src.Set(x, y, red)
		}
	}
	img, _ := picture.Fit(src, []image.Point{{50, 50}})
	for _, p := range []image.Point{{0, 0}, {49, 49}, {25, 25}} {
		if got := img.At(p.X, p.Y); got != red {
			t.Errorf("pixel %v: got %v, want %v (the centre square)", p, got, red)
		}
	}
}

func TestShrink(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		src       image.Rectangle
		maxPixels int
		step      int
		want      image.Point
	}{
		{"4:3 photo", image.Rect(0, 0, 400, 300), 1 << 14, 8, image.Pt(144, 104)},
		{"tall", image.Rect(0, 0, 100, 300), 1 << 14, 8, image.Pt(72, 216)},
		{"within, trimmed", image.Rect(0, 0, 1000, 700), 1 << 20, 64, image.Pt(960, 640)},
		{"side below step", image.Rect(0, 0, 50, 300), 1 << 20, 64, image.Pt(64, 256)},
		{"odd origin", image.Rect(7, 9, 407, 309), 1 << 14, 8, image.Pt(144, 104)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, size := picture.Shrink(image.NewRGBA(tt.src), tt.maxPixels, tt.step)
			if size != tt.want || img.Bounds() != (image.Rectangle{Max: tt.want}) {
				t.Errorf("got %v, image %v, want %v", size, img.Bounds(), tt.want)
			}
			if size.X*size.Y > tt.maxPixels || size.X%tt.step != 0 || size.Y%tt.step != 0 {
				t.Errorf("got %v, want at most %d pixels in multiples of %d", size, tt.maxPixels, tt.step)
			}
		})
	}
}

// TestShrinkWithinOnlyCrops checks that a picture within the limit keeps its pixels: the
// result is its centre, unresampled, or the picture itself.
func TestShrinkWithinOnlyCrops(t *testing.T) {
	t.Parallel()
	src := gradient(100, 70)
	img, size := picture.Shrink(src, 1<<20, 32)
	if size != image.Pt(96, 64) {
		t.Fatalf("got %v, want 96x64", size)
	}
	for _, p := range []image.Point{{0, 0}, {95, 63}, {40, 30}} {
		got := color.NRGBAModel.Convert(img.At(p.X, p.Y))
		if want := src.At(p.X+2, p.Y+3); got != want {
			t.Errorf("pixel %v: got %v, want %v", p, got, want)
		}
	}
	exact := gradient(96, 64)
	if img, _ := picture.Shrink(exact, 1<<20, 32); img != image.Image(exact) {
		t.Errorf("got a new image for a picture already within, want it unchanged")
	}
}

func TestScale(t *testing.T) {
	t.Parallel()
	for _, want := range []image.Point{{25, 20}, {100, 80}, {64, 64}, {200, 160}} {
		img := picture.Scale(gradient(100, 80), want)
		if img.Bounds() != (image.Rectangle{Max: want}) {
			t.Errorf("Scale to %v: got %v", want, img.Bounds())
		}
	}
}

func TestEncodePNG(t *testing.T) {
	t.Parallel()
	src := gradient(30, 20)
	data, err := picture.EncodePNG(src)
	if err != nil {
		t.Fatalf("EncodePNG: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode the PNG: %v", err)
	}
	if got, want := color.NRGBAModel.Convert(img.At(29, 19)), src.At(29, 19); got != want {
		t.Errorf("got pixel %v, want %v", got, want)
	}
}

// BenchmarkFit fits a 12-megapixel photo, as a phone takes them, to the SDXL sizes: an RGBA
// one (from a PNG) and a YCbCr 4:2:0 one (from a JPEG).
func BenchmarkFit(b *testing.B) {
	rgba := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	ycbcr := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for _, bc := range []struct {
		name string
		img  image.Image
	}{{"rgba", rgba}, {"ycbcr", ycbcr}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				picture.Fit(bc.img, sdxl)
			}
		})
	}
}
