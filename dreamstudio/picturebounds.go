package dreamstudio

import (
	"fmt"
	"math"
	"strings"
)

// pictureBounds are the sizes a v2beta operation takes of a picture it is given, as the
// description states them in the image field's "Validation Rules" (a test holds them to the
// fake, which reads them from there). A zero bound is no bound.
type pictureBounds struct {
	minSide, maxSide     int
	minPixels, maxPixels int
	// maxAspect bounds the longer side over the shorter: 2.5 is "between 1:2.5 and 2.5:1".
	maxAspect float64
}

// accepts reports whether b takes a picture of size s.
func (b pictureBounds) accepts(s Size) bool {
	short, long := min(s.Width, s.Height), max(s.Width, s.Height)
	// In floating point, so that no caller's size overflows; the bounds are far below 2^53.
	pixels := float64(s.Width) * float64(s.Height)
	switch {
	case short < max(1, b.minSide):
		return false
	case b.maxSide > 0 && long > b.maxSide:
		return false
	case pixels < float64(b.minPixels):
		return false
	case b.maxPixels > 0 && pixels > float64(b.maxPixels):
		return false
	case b.maxAspect > 0 && float64(long) > b.maxAspect*float64(short):
		return false
	}
	return true
}

// String describes b for a member: "sides of 32 to 1,536 pixels and 1,024 to 1,048,576 pixels in
// all".
func (b pictureBounds) String() string {
	var parts []string
	if b.maxSide > 0 {
		parts = append(parts, fmt.Sprintf("sides of %s to %s pixels", groupDigits(b.minSide), groupDigits(b.maxSide)))
	} else {
		parts = append(parts, fmt.Sprintf("sides of at least %s pixels", groupDigits(b.minSide)))
	}
	switch {
	case b.maxPixels > 0:
		parts = append(parts, fmt.Sprintf("%s to %s pixels in all", groupDigits(b.minPixels), groupDigits(b.maxPixels)))
	case b.minPixels > b.minSide*b.minSide: // else the sides say it already
		parts = append(parts, fmt.Sprintf("at least %s pixels in all", groupDigits(b.minPixels)))
	}
	if b.maxAspect > 0 {
		parts = append(parts, fmt.Sprintf("a shape between 1:%g and %g:1", b.maxAspect, b.maxAspect))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// fit returns the largest size of s's shape, no larger than s on either side, that b accepts: s
// itself when b accepts it, the zero Size when no such size exists (s is too small, or too
// long for b's shape).
func (b pictureBounds) fit(s Size) Size {
	if b.accepts(s) {
		return s
	}
	if s.Width <= 0 || s.Height <= 0 {
		return Size{}
	}
	long, short := max(s.Width, s.Height), min(s.Width, s.Height)
	scale := 1.0
	if b.maxSide > 0 {
		scale = min(scale, float64(b.maxSide)/float64(long))
	}
	if b.maxPixels > 0 {
		scale = min(scale, math.Sqrt(float64(b.maxPixels)/(float64(long)*float64(short))))
	}
	// Rounding the short side may let the long one be a pixel longer than the scale says, so
	// the search starts a step above it; the few steps down absorb float error and rounding.
	n := min(long, int(float64(long)*scale)+1)
	for step := 0; step < 8 && n > 0; step, n = step+1, n-1 {
		m := int(math.Round(float64(n) * float64(short) / float64(long)))
		fitted := Size{n, m}
		if s.Height > s.Width {
			fitted = Size{m, n}
		}
		if b.accepts(fitted) {
			return fitted
		}
	}
	return Size{}
}
