package dreamstudiotest

import (
	"fmt"
	"slices"
	"strings"
)

// violation is a documented 400 answer: the error name and its message.
type violation struct {
	name    string
	message string
}

// sdxlV1Sizes returns the only sizes SDXL v0.9 and v1.0 accept, as "WxH".
func sdxlV1Sizes() []string {
	return []string{
		"1024x1024", "1152x896", "1216x832", "1344x768", "1536x640",
		"640x1536", "768x1344", "832x1216", "896x1152",
	}
}

// sizeViolation applies the size rules the description states only in prose, and returns nil
// when engineID accepts width x height. This is the fake's own reading of the rules, written apart
// from package dreamstudio's, so that each checks the other.
func sizeViolation(engineID string, width, height int) *violation {
	// Sides beyond any engine's reach are refused before width*height can
	// overflow (the description itself sets no maximum).
	if width%64 != 0 || height%64 != 0 || width < 128 || height < 128 || width > 1<<16 || height > 1<<16 {
		return &violation{"invalid_height_or_width",
			"Height and width must be specified in increments of 64, and be at least 128."}
	}
	pixels := width * height
	switch {
	case engineID == "stable-diffusion-xl-1024-v0-9" || engineID == "stable-diffusion-xl-1024-v1-0":
		size := fmt.Sprintf("%dx%d", width, height)
		if slices.Contains(sdxlV1Sizes(), size) {
			return nil
		}
		return &violation{"invalid_sdxl_v1_dimensions",
			"Incorrect dimensions specified for SDXL v0.9 or v1.0 engine. Valid dimensions: " +
				strings.Join(sdxlV1Sizes(), ", ")}

	case engineID == "stable-diffusion-xl-beta-v2-2-2":
		if (width > 512 && height > 512) || width > 896 || height > 896 {
			return &violation{"invalid_sdxl_v222_dimensions",
				"Incorrect dimensions specified for SDXL v2-2-2 engine. Neither height nor width may be below 128, " +
					"only one of height or width may be above 512, and the maximum dimensions are 512x896 or 896x512."}
		}

	case engineID == "stable-diffusion-v1-6":
		// Later docs give 320..1536 per side; the error name for it is not documented.
		if width < 320 || height < 320 || width > 1536 || height > 1536 {
			return &violation{"bad_request",
				"height and width must be between 320 and 1536 for stable-diffusion-v1-6"}
		}

	case strings.Contains(engineID, "-768-"):
		if pixels < 589_824 || pixels > 1_048_576 {
			return &violation{"invalid_pixel_count",
				"Incorrect number of pixels specified. For 768 engines: 589,824 <= height * width <= 1,048,576."}
		}

	case strings.Contains(engineID, "-512-") || engineID == "stable-diffusion-v1-5" || engineID == "stable-diffusion-v1":
		if pixels < 262_144 || pixels > 1_048_576 {
			return &violation{"invalid_pixel_count",
				"Incorrect number of pixels specified. For 512 engines: 262,144 <= height * width <= 1,048,576."}
		}
	}
	return nil
}

// RefusedSize reports how the fake, like the real API, answers a text-to-image request for
// width x height with engineID: the documented 400 error name and its message, or "" when the
// size is accepted. It lets tests compare a client's own size rules with the fake's without
// sending requests.
func RefusedSize(engineID string, width, height int) (name, message string) {
	if v := sizeViolation(engineID, width, height); v != nil {
		return v.name, v.message
	}
	return "", ""
}
