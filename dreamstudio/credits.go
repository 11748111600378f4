package dreamstudio

import (
	"math"
	"strconv"
)

// The v1 price estimate: an SDXL 1.0 image of one megapixel at 30 steps costs about 0.2 credits
// (Stability's "1,000 credits ≈ 5,000 SDXL 1.0 images" at DreamStudio's default settings).
const (
	v1CreditsPerImage = 0.2
	v1PricedSteps     = 30
	v1PricedPixels    = 1024 * 1024
)

// Credits returns the price of a default request to engineID (the engine's DefaultSize and the
// API's default steps), for labels and spending ceilings. For a Stable Image model it is the
// price the API description documents and estimated is false; for a v1 engine it is an
// estimate (see Checked.Credits).
func Credits(engineID string) (credits float64, estimated bool) {
	if m, ok := stableModelOf(engineID); ok {
		return m.credits, false
	}
	w, h := DefaultSize(engineID)
	return v1Estimate(0, Size{w, h}), true
}

// Credits returns what the request will cost when the image is made. A Stable Image model's
// price is the one the API description documents, per successful image; estimated is false.
//
// A v1 engine's price is an estimate, and estimated is true: Stability prices v1 by engine, size
// and steps and no longer publishes the table in the API description. The estimate is 0.2
// credits × steps/30 × max(1, pixels/1,048,576), rounded to 2 decimals, with the API's default of
// DefaultSteps when steps are left out: 0.33 credits for a default SDXL request, 0.2 at 30 steps.
func (c Checked) Credits() (credits float64, estimated bool) {
	if m, ok := stableModelOf(c.engine); ok {
		return m.credits, false
	}
	return v1Estimate(c.req.Steps, Size{c.req.Width, c.req.Height}), true
}

// v1Estimate estimates the price of a v1 image; steps 0 means DefaultSteps.
func v1Estimate(steps int, size Size) float64 {
	if steps == 0 {
		steps = DefaultSteps
	}
	megapixels := max(1, float64(size.Width)*float64(size.Height)/v1PricedPixels)
	return roundCents(v1CreditsPerImage * float64(steps) / v1PricedSteps * megapixels)
}

func roundCents(credits float64) float64 { return math.Round(credits*100) / 100 }

// CreditsWithin reports whether cost fits within limit, absorbing the error of summing prices
// such as 0.1 and 0.2: spending exactly the limit is allowed however it adds up. Every ceiling
// and budget compares with it.
func CreditsWithin(cost, limit float64) bool { return cost <= limit+1e-9 }

// CreditAmount writes a number of credits to the cent, without trailing zeros: "3.5", "0.33".
func CreditAmount(credits float64) string {
	r := roundCents(credits)
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// FormatCredits writes a price for members: "8 credits", "3.5 credits", "1 credit", and
// "≈0.2 credits" for an estimate.
func FormatCredits(credits float64, estimated bool) string {
	s := CreditAmount(credits)
	unit := " credits"
	if s == "1" {
		unit = " credit"
	}
	if estimated {
		s = "≈" + s
	}
	return s + unit
}
