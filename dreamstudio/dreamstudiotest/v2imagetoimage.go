package dreamstudiotest

import "github.com/getkin/kin-openapi/openapi3"

// imageToImageViolation applies what the description says in prose about an image given to a
// generate operation. Which rules apply is read from the operation's schema: sd3 has a mode field,
// ultra a strength without one, core neither (and so no image: v2RuleViolation refuses it).
func imageToImageViolation(schema *openapi3.Schema, form *multipartForm) *v2Violation {
	image, strength := form.has("image"), form.has("strength")
	if schema.Properties["mode"] == nil {
		// ultra's image and strength: "The `strength` parameter is required when `image` is
		// provided." Nothing is said of a strength without an image, so it is let through.
		if image && !strength && schema.Properties["strength"] != nil {
			return badRequest("strength: is required when image is provided")
		}
		return nil
	}
	// sd3's modes: "image-to-image requires the `prompt`, `image`, and `strength` parameters";
	// image and strength are "only valid for image-to-image requests", aspect_ratio "only valid
	// for text-to-image requests".
	if form.get("mode") == "image-to-image" {
		switch {
		case !image:
			return badRequest("image: is required when mode is image-to-image")
		case !strength:
			return badRequest("strength: is required when mode is image-to-image")
		case form.has("aspect_ratio"):
			return badRequest("aspect_ratio: is only valid for text-to-image requests")
		}
		return nil
	}
	switch {
	case image:
		return badRequest("image: is only valid for image-to-image requests (set mode to image-to-image)")
	case strength:
		return badRequest("strength: is only valid for image-to-image requests (set mode to image-to-image)")
	}
	return nil
}
