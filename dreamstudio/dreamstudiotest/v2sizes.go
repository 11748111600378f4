package dreamstudiotest

// AspectRatioSize returns the width and height of the image the fake generates for a v2beta
// aspect_ratio, and false when the API does not accept the ratio (SOURCE.md: "sizes are not
// free"). Stability does not document the output sizes; these are the SDXL sizes of the same
// ratios, about one megapixel each.
func AspectRatioSize(aspectRatio string) (width, height int, ok bool) {
	switch aspectRatio {
	case "1:1":
		return 1024, 1024, true
	case "16:9":
		return 1344, 768, true
	case "9:16":
		return 768, 1344, true
	case "21:9":
		return 1536, 640, true
	case "9:21":
		return 640, 1536, true
	case "3:2":
		return 1216, 832, true
	case "2:3":
		return 832, 1216, true
	case "5:4":
		return 1152, 896, true
	case "4:5":
		return 896, 1152, true
	}
	return 0, 0, false
}
