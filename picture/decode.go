package picture

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// format is a picture format Decode accepts.
type format struct {
	name         string
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

// sniff recognises an accepted format by its signature, or returns false. The decoders are
// called directly rather than through image.Decode, so that what is accepted does not depend
// on which packages registered a decoder somewhere in the binary.
func sniff(b []byte) (format, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return format{"png", png.DecodeConfig, png.Decode}, true
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return format{"jpeg", jpeg.DecodeConfig, jpeg.Decode}, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return format{"webp", webp.DecodeConfig, webp.Decode}, true
	}
	return format{}, false
}

// Decode decodes a PNG, JPEG or WebP picture, recognised by its signature (not by its name or
// content type), and returns it with its format: "png", "jpeg" or "webp". The header is read
// first, so that a small file declaring huge dimensions (a decompression bomb) is refused
// before any pixel is decoded: a side over 16384 pixels, or more than maxPixels pixels in
// all, is refused. Errors are *Error.
func Decode(data []byte, maxPixels int) (image.Image, string, error) {
	f, ok := sniff(data)
	if !ok {
		return nil, "", &Error{Reason: "the picture must be a PNG, JPEG or WebP file"}
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", &Error{Reason: "the picture is damaged or incomplete", Err: fmt.Errorf("%s header: %w", f.name, err)}
	}
	w, h := cfg.Width, cfg.Height
	switch {
	case w <= 0 || h <= 0:
		return nil, "", &Error{Reason: "the picture is damaged or incomplete", Err: fmt.Errorf("%s declares %dx%d", f.name, w, h)}
	case w > maxSide || h > maxSide:
		return nil, "", &Error{Reason: fmt.Sprintf("the picture is %dx%d pixels; its sides can be at most %d", w, h, maxSide)}
	case int64(w)*int64(h) > int64(maxPixels):
		return nil, "", &Error{Reason: fmt.Sprintf("the picture is %dx%d pixels; it can have at most %s", w, h, pixelsText(maxPixels))}
	}
	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", &Error{Reason: "the picture is damaged or incomplete", Err: fmt.Errorf("decode %s: %w", f.name, err)}
	}
	return img, f.name, nil
}

// pixelsText writes a pixel count the way a member reads it: "16.8 megapixels", "5000 pixels".
func pixelsText(n int) string {
	if n >= 100_000 {
		return fmt.Sprintf("%.1f megapixels", float64(n)/1e6)
	}
	return fmt.Sprintf("%d pixels", n)
}
