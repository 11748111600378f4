package dreamstudio

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// MaxImageBytes bounds how much of a generated image is read. SDXL PNGs are 1-3 MiB.
const MaxImageBytes = 50 << 20

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// readImage reads a PNG answer and its Seed and Finish-Reason headers.
func (c *Client) readImage(resp *http.Response) (*Image, error) {
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "image/png" {
		return nil, fmt.Errorf("answer is %q, not image/png", resp.Header.Get("Content-Type"))
	}
	if resp.ContentLength > c.maxImageBytes {
		return nil, fmt.Errorf("image of %d bytes is larger than the limit of %d", resp.ContentLength, c.maxImageBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if int64(len(body)) > c.maxImageBytes {
		return nil, fmt.Errorf("image is larger than the limit of %d bytes", c.maxImageBytes)
	}
	if !bytes.HasPrefix(body, []byte(pngSignature)) {
		return nil, errors.New("answer is not a PNG image")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	img := &Image{
		PNG:          body,
		FinishReason: resp.Header.Get("Finish-Reason"),
		Width:        cfg.Width,
		Height:       cfg.Height,
	}
	// The image is paid for: a malformed Seed header only loses the seed
	// (0 means unknown), never the image.
	if seed, err := strconv.ParseUint(resp.Header.Get("Seed"), 10, 32); err == nil {
		img.Seed = uint32(seed)
	}
	return img, nil
}
