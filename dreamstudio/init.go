package dreamstudio

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strconv"
)

// Init asks a model to start from a picture (image-to-image). Keep is how much of the picture to
// keep, 0..1 (a member's "strength"): a v1 engine's image_strength is Keep, a Stable Image
// model's strength is 1 - Keep. The picture itself travels apart (see Checked.WithInitImage):
// a stored request names its size, not its bytes.
type Init struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Keep   float64 `json:"keep"`
}

func (in Init) size() Size { return Size{in.Width, in.Height} }

// MaxInputImageBytes bounds a picture sent to the API. A request may have 10 MiB in all; the
// rest is left for the other fields (two prompts of 10,000 characters take at most 80 KB).
const MaxInputImageBytes = 10<<20 - 128<<10

// ImageToImage reports whether engineID can start from a picture: every v1 engine, and the Stable
// Image models whose operation takes an image (all but Core).
func ImageToImage(engineID string) bool {
	if ValidateEngineID(engineID) != nil {
		return false
	}
	m, ok := stableModelOf(engineID)
	if !ok {
		return true
	}
	_, ok = m.pictures()
	return ok
}

// checkInit reports why engineID cannot start from in with the rest of p, or returns nil. The
// picture's size is the one the API will see: the image made from it is the same size for a v1
// engine, and the shape of it for a Stable Image model.
func checkInit(engineID string, p Params, in Init) error {
	m, stable := stableModelOf(engineID)
	bounds, ok := m.pictures()
	if stable && !ok {
		return &ValidationError{Field: FieldEngine,
			Message: m.Name + " can't start from a picture; pick Ultra, SD 3.5 or SDXL"}
	}
	if !(in.Keep >= 0 && in.Keep <= 1) {
		return &ValidationError{Field: FieldStrength,
			Message: fmt.Sprintf("strength %g is out of range; choose between 0 and 1", in.Keep)}
	}
	picture := in.size()
	if !stable {
		if ValidateSize(engineID, picture) != nil {
			return &ValidationError{Field: FieldSize, Valid: sizeStrings(Sizes(engineID)),
				Message: fmt.Sprintf("%s can't start from a %s picture; pick Ultra or SD 3.5, which take more sizes",
					engineID, picture)}
		}
		if p.Size != picture {
			return &ValidationError{Field: FieldSize, Valid: []string{picture.String()},
				Message: fmt.Sprintf("an image made from a picture is the picture's size: %s, not %s", picture, p.Size)}
		}
		return nil
	}
	if p.AspectRatio != "" {
		return &ValidationError{Field: FieldSize,
			Message: "an image made from a picture keeps the picture's shape; leave the aspect ratio out"}
	}
	if !bounds.accepts(picture) {
		return &ValidationError{Field: FieldSize,
			Message: fmt.Sprintf("%s can't start from a %s picture: it takes %s", m.Name, picture, bounds)}
	}
	return nil
}

// WithInitImage returns c with the picture it starts from: the bytes of a PNG of the size c's
// Init names, at most MaxInputImageBytes. Anything else is an *InputImageError. The bytes are
// copied, and never stored with c (see MarshalJSON): a queued job keeps where the picture is and
// reads it again when its turn comes.
func (c Checked) WithInitImage(png []byte) (Checked, error) {
	if c.init == nil {
		return Checked{}, &InputImageError{Reason: "the request does not start from a picture"}
	}
	if err := checkInputImage(png, c.init.size()); err != nil {
		return Checked{}, err
	}
	c.initPNG = bytes.Clone(png)
	return c, nil
}

// InputImageError is a picture given to the client that is not the one its request was checked
// for: not a PNG, too large, of another size, or missing. It is the caller's mistake, or a file
// changed on disk; Reason is for logs.
type InputImageError struct{ Reason string }

func (e *InputImageError) Error() string { return "dreamstudio: input image: " + e.Reason }

// checkInputImage checks that b is a PNG of size want that a request can carry.
func checkInputImage(b []byte, want Size) error {
	if !bytes.HasPrefix(b, []byte(pngSignature)) {
		return &InputImageError{Reason: "not a PNG"}
	}
	if len(b) > MaxInputImageBytes {
		return &InputImageError{Reason: fmt.Sprintf("%d bytes is more than the %d a request can carry", len(b), MaxInputImageBytes)}
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return &InputImageError{Reason: "read PNG header: " + err.Error()}
	}
	if got := (Size{cfg.Width, cfg.Height}); got != want {
		return &InputImageError{Reason: fmt.Sprintf("the PNG is %s, the request was checked for %s", got, want)}
	}
	return nil
}

// fraction writes a strength to six decimals, so that 1 - 0.7 goes out as 0.3.
func fraction(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e6)/1e6, 'f', -1, 64)
}
