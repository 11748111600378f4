package dreamstudiotest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// v1Price is what the fake charges for one v1 image. Stability prices v1 by engine, size and
// steps and no longer publishes the table, so the fake charges the estimate the project uses: 0.2
// credits for a megapixel at 30 steps, more in proportion to steps (50 when the request sends
// none, the description's default) and to pixels above a megapixel, rounded to hundredths.
func v1Price(steps, width, height int) float64 {
	if steps == 0 {
		steps = 50
	}
	scale := math.Max(1, float64(width*height)/(1<<20))
	return math.Round(0.2*float64(steps)/30*scale*100) / 100
}

// The v2beta description states its prices in prose: per operation ("uses 8 credits per
// successful result", "Flat rate of 3 credits per successful generation", upscale/fast's "Flat
// rate of 1 credit per successful generation") and, for sd3, per model in the model field
// ("`sd3.5-large` requires 6.5 credits per generation"). An image given to ultra or sd3 changes
// nothing: the description prices the operation or the model, whatever the mode.
var (
	operationPrice = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?) credits? per successful`)
	modelPrice     = `(?m)^- ` + "`%s`" + ` requires ([0-9]+(?:\.[0-9]+)?) credits per generation`
)

// v2Price reads from the description what a successful generation of the operation costs: the
// price of the model asked for (or of the description's default model) where the operation has a
// model field, else the operation's own.
func v2Price(op *openapi3.Operation, schema *openapi3.Schema, form *multipartForm) (float64, error) {
	if ref := schema.Properties["model"]; ref != nil {
		model := form.get("model")
		if model == "" {
			model, _ = ref.Value.Default.(string)
		}
		re := regexp.MustCompile(fmt.Sprintf(modelPrice, regexp.QuoteMeta(model)))
		return price(re, ref.Value.Description, "model "+model)
	}
	return price(operationPrice, op.Description, "the operation")
}

func price(re *regexp.Regexp, text, what string) (float64, error) {
	m := re.FindStringSubmatch(text)
	if m == nil {
		return 0, fmt.Errorf("the description states no price for %s", what)
	}
	return strconv.ParseFloat(m[1], 64)
}

// Balance returns the credits GET /v1/user/balance reports now: the starting balance (WithBalance,
// SetBalance) less the price of every image generated since.
func (s *Server) Balance() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}
