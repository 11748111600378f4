package dreamstudiotest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"sync"
)

// pngCache holds encoded images by size ([2]int{width, height} -> []byte) for the whole test
// binary. Encoding a 1024x1024 PNG takes around 100 ms under -race and tests generate the same
// few sizes over and over, so each size is encoded once per binary rather than once per Server.
// Stored slices are never modified, so sharing them between Servers is safe.
var pngCache sync.Map

// PNG returns a new, real PNG of width x height, the grey gradient the fake answers with: a
// picture for tests to send, as image-to-image or to be upscaled.
func PNG(width, height int) []byte {
	return bytes.Clone(gradientPNG(width, height))
}

// gradientPNG returns a valid PNG of width x height: a grey horizontal gradient, cheap to draw (every
// row is a copy of the first) and to compress. Encoding into memory fails only for a size the fake
// should never have chosen, so it panics, like jsonResponse; serveHTTP reports the panic to the
// test and answers 500.
func gradientPNG(width, height int) []byte {
	key := [2]int{width, height}
	if b, ok := pngCache.Load(key); ok {
		return b.([]byte)
	}
	img := image.NewGray(image.Rect(0, 0, width, height))
	first := img.Pix[:width]
	for x := range first {
		first[x] = uint8(x * 255 / width)
	}
	for y := 1; y < height; y++ {
		copy(img.Pix[y*img.Stride:], first)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		panic(fmt.Sprintf("dreamstudiotest: encode %dx%d png: %v", width, height, err))
	}
	b, _ := pngCache.LoadOrStore(key, buf.Bytes())
	return b.([]byte)
}
