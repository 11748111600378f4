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

// gradientPNG returns a valid PNG of width x height: a grey horizontal gradient, cheap to draw (every
// row is a copy of the first) and to compress.
func gradientPNG(width, height int) ([]byte, error) {
	key := [2]int{width, height}
	if b, ok := pngCache.Load(key); ok {
		return b.([]byte), nil
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
		return nil, fmt.Errorf("encode %dx%d png: %w", width, height, err)
	}
	b, _ := pngCache.LoadOrStore(key, buf.Bytes())
	return b.([]byte), nil
}
