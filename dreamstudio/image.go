package dreamstudio

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"mime"
	"net/http"
	"strconv"

	"dreambot/pnginfo"
)

// MaxImageBytes bounds how much of a generated image is read. SDXL PNGs are 1-3 MiB.
const MaxImageBytes = 50 << 20

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// readImage reads a PNG answer and its Seed and Finish-Reason headers. An image is accepted only
// when it is whole: a 200 answer cut short with a matching Content-Length still passes
// png.DecodeConfig, but no viewer can open it. Anything refused is a *BadImageError.
func (c *Client) readImage(ctx context.Context, resp *http.Response) (*Image, error) {
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "image/png" {
		return nil, &BadImageError{Reason: fmt.Sprintf("answer is %q, not image/png", resp.Header.Get("Content-Type"))}
	}
	body, release, err := c.readBody(ctx, resp)
	if err != nil {
		return nil, err
	}
	// Until it is returned, the image counts against the client's budget.
	defer release()
	if !bytes.HasPrefix(body, []byte(pngSignature)) {
		return nil, &BadImageError{Reason: "answer is not a PNG image"}
	}
	if err := pnginfo.Validate(body); err != nil {
		return nil, &BadImageError{Reason: err.Error(), Err: err}
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return nil, &BadImageError{Reason: "read image header: " + err.Error(), Err: err}
	}
	img := &Image{
		PNG:          body,
		FinishReason: finishReason(resp.Header.Get("Finish-Reason")),
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

// finishReason keeps a Finish-Reason header only when it is one the API documents: the value is
// written into the PNG and shown to members.
func finishReason(h string) string {
	switch h {
	case FinishSuccess, FinishError, FinishContentFiltered:
		return h
	}
	return ""
}
