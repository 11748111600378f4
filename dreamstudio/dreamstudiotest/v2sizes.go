package dreamstudiotest

import "math"

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

// ImageToImageSize returns the size of the image the fake answers an image-to-image request
// (ultra, or sd3 in mode image-to-image) with, for an input of width x height. The description
// says only "The resolution of the generated image will be 1 megapixel" (sd3: "1MP"), and nothing
// of the shape, nor of ultra's aspect_ratio next to an image; the fake keeps the input's aspect
// ratio at about 1,048,576 pixels (ignoring aspect_ratio), each side rounded to a multiple of 64
// and at least 64, as its text-to-image sizes are.
func ImageToImageSize(width, height int) (int, int) {
	scale := math.Sqrt(float64(1<<20) / float64(width*height))
	side := func(n int) int { return max(64, int(math.Round(float64(n)*scale/64))*64) }
	return side(width), side(height)
}

// FastUpscaleSize returns the size of the image upscale/fast answers an input of width x height
// with: "The resolution of the generated image is 4 times that of the input image", per side
// (its largest input, 1,048,576 pixels, gives the "maximum size of 16 megapixels").
func FastUpscaleSize(width, height int) (int, int) {
	return 4 * width, 4 * height
}

// ConservativeUpscaleSize returns the size of the image upscale/conservative answers an input of
// width x height with: "The resolution of the generated image will be 4 megapixels", read as
// 4,194,304 pixels (the description's megapixel is 1024x1024), keeping the input's aspect ratio,
// sides rounded to whole pixels. Inputs above 4 megapixels are allowed, and come back smaller.
func ConservativeUpscaleSize(width, height int) (int, int) {
	scale := math.Sqrt(float64(4<<20) / float64(width*height))
	return int(math.Round(float64(width) * scale)), int(math.Round(float64(height) * scale))
}
