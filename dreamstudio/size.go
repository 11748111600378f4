package dreamstudio

import (
	"fmt"
	"strconv"
	"strings"
)

// Size is an image size in pixels.
type Size struct {
	Width, Height int
}

// String returns the size as "1024x1024".
func (s Size) String() string {
	return strconv.Itoa(s.Width) + "x" + strconv.Itoa(s.Height)
}

// ParseSize parses "1024x1024" (also "1024X1024", "1024×1024", with spaces around the parts).
// Its errors are *ValidationError for FieldSize.
func ParseSize(s string) (Size, error) {
	fail := &ValidationError{
		Field:   FieldSize,
		Message: fmt.Sprintf("%q is not a size; write it as width x height, like 1024x1024", s),
	}
	normal := strings.NewReplacer("X", "x", "×", "x").Replace(s)
	w, h, ok := strings.Cut(normal, "x")
	if !ok {
		return Size{}, fail
	}
	width, err1 := strconv.Atoi(strings.TrimSpace(w))
	height, err2 := strconv.Atoi(strings.TrimSpace(h))
	if err1 != nil || err2 != nil || width <= 0 || height <= 0 {
		return Size{}, fail
	}
	return Size{Width: width, Height: height}, nil
}

// sdxlSizes returns the nine sizes SDXL v0.9 and v1.0 accept, square first.
func sdxlSizes() []Size {
	return []Size{
		{1024, 1024}, {1152, 896}, {1216, 832}, {1344, 768}, {1536, 640},
		{640, 1536}, {768, 1344}, {832, 1216}, {896, 1152},
	}
}

// Sizes returns the sizes to offer for engineID, the default first: the exact list for SDXL
// v0.9/v1.0, and a handful of common aspect ratios the engine accepts for the others. For an
// unknown engine they only pass the generic rules. A Stable Image model has none: it takes an
// aspect ratio (see AspectRatios).
func Sizes(engineID string) []Size {
	if IsStableImage(engineID) {
		return nil
	}
	switch familyOf(engineID) {
	case familySDXL:
		return sdxlSizes()
	case familySDXLBeta:
		return []Size{{512, 512}, {768, 512}, {512, 768}, {896, 512}, {512, 896}}
	case family512:
		return []Size{{512, 512}, {768, 512}, {512, 768}, {896, 512}, {512, 896}, {1024, 1024}}
	case family768:
		return []Size{{768, 768}, {1024, 768}, {768, 1024}, {1024, 576}, {576, 1024}}
	case familySD16:
		return []Size{{1024, 1024}, {512, 512}, {768, 512}, {512, 768}, {1024, 576}, {576, 1024}, {1536, 640}, {640, 1536}}
	}
	return []Size{{1024, 1024}, {768, 768}, {512, 512}}
}

// DefaultSize returns a size engineID accepts: its native square size where known (512x512 for
// the SDXL beta and 512 engines, 768x768 for 768 engines), 1024x1024 otherwise; 0x0 for a Stable
// Image model, which takes no size.
func DefaultSize(engineID string) (width, height int) {
	sizes := Sizes(engineID)
	if len(sizes) == 0 {
		return 0, 0
	}
	return sizes[0].Width, sizes[0].Height
}

// sizeStrings formats sizes for ValidationError.Valid.
func sizeStrings(sizes []Size) []string {
	out := make([]string, len(sizes))
	for i, s := range sizes {
		out[i] = s.String()
	}
	return out
}
