package picture

import (
	"bytes"
	"image"
	"image/png"
	"math"

	"golang.org/x/image/draw"
)

// Fit returns img cropped, centred, to the aspect ratio of the nearest of sizes and resized
// to exactly that size, and the size chosen. The nearest size has the smallest
// |log(aspect ratio difference)|; on a tie the first wins. sizes must not be empty.
func Fit(img image.Image, sizes []image.Point) (image.Image, image.Point) {
	if len(sizes) == 0 {
		panic("picture: Fit with no sizes")
	}
	src := img.Bounds().Size()
	best, bestDist := sizes[0], math.Inf(1)
	for _, s := range sizes {
		// max(a,b)/min(a,b) orders the candidates as |log(a/b)| does, and two equal ratios
		// of integer products round to the same float, so ties are exact.
		a, b := float64(src.X)*float64(s.Y), float64(src.Y)*float64(s.X)
		if d := max(a, b) / min(a, b); d < bestDist {
			best, bestDist = s, d
		}
	}
	return fitTo(img, best), best
}

// Shrink returns img scaled down, its aspect ratio kept, to at most maxPixels pixels with
// both sides multiples of step (rounded down, at least step), and its new size. An image
// already within maxPixels is only trimmed, centred, to the multiples of step, without
// resampling, or returned as it is when there is nothing to trim.
func Shrink(img image.Image, maxPixels, step int) (image.Image, image.Point) {
	src := img.Bounds().Size()
	f := min(1, math.Sqrt(float64(maxPixels)/(float64(src.X)*float64(src.Y))))
	fit := image.Pt(multiple(float64(src.X)*f, step), multiple(float64(src.Y)*f, step))
	for fit.X*fit.Y > maxPixels && max(fit.X, fit.Y) > step { // float rounding, or a side below step
		if fit.X >= fit.Y {
			fit.X -= step
		} else {
			fit.Y -= step
		}
	}
	switch {
	case fit == src:
		return img, fit
	case fit.X <= src.X && fit.Y <= src.Y && f == 1:
		return crop(img, fit), fit
	default:
		return fitTo(img, fit), fit
	}
}

// multiple rounds v down to a multiple of step, and up to step if it is smaller.
func multiple(v float64, step int) int {
	return max(step, int(v)/step*step)
}

// Scale resizes img to exactly size, whatever its aspect ratio: for the downscale before an
// upscale, whose result the model enlarges by a fixed factor.
func Scale(img image.Image, size image.Point) image.Image {
	if img.Bounds().Size() == size {
		return img
	}
	dst := image.NewRGBA(image.Rectangle{Max: size})
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// fitTo crops img, centred, to the aspect ratio of size and resizes the crop to size.
func fitTo(img image.Image, size image.Point) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cw, ch := w, h
	if w*size.Y > h*size.X {
		cw = max(1, h*size.X/size.Y) // too wide: keep the height
	} else {
		ch = max(1, w*size.Y/size.X) // too tall: keep the width
	}
	r := centred(b, image.Pt(cw, ch))
	if r.Size() == size {
		return crop(img, size)
	}
	dst := image.NewRGBA(image.Rectangle{Max: size})
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, r, draw.Src, nil)
	return dst
}

// crop copies the centred size-sized part of img into a new image whose origin is (0, 0),
// as the other functions' results have.
func crop(img image.Image, size image.Point) image.Image {
	dst := image.NewRGBA(image.Rectangle{Max: size})
	draw.Draw(dst, dst.Bounds(), img, centred(img.Bounds(), size).Min, draw.Src)
	return dst
}

// centred returns the rectangle of the given size at the centre of b.
func centred(b image.Rectangle, size image.Point) image.Rectangle {
	at := b.Min.Add(b.Size().Sub(size).Div(2))
	return image.Rectangle{Min: at, Max: at.Add(size)}
}

// EncodePNG encodes img as a PNG with the default compression.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
