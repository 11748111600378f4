package catalog

import "dreambot/dreamstudio"

// pictureType is the Type of engines that generate images, as opposed to e.g. upscalers.
const pictureType = "PICTURE"

// Pictures returns the engines of es that generate images, in the same order.
func Pictures(es []dreamstudio.Engine) []dreamstudio.Engine {
	var out []dreamstudio.Engine
	for _, e := range es {
		if e.Type == pictureType {
			out = append(out, e)
		}
	}
	return out
}
