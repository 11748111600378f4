package dreamstudiotest

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// imageRules are what an operation asks of its image, read from the image field's description,
// where Stability states them as lists the schema cannot express:
//
//	Supported Formats:         (sd3: "Supported formats:")
//	- jpeg
//	- png
//	- webp
//
//	Validation Rules:          (sd3: "Supported dimensions:")
//	- Width must be between 32 and 1,536 pixels
//	- Total pixel count must be between 1,024 and 1,048,576 pixels
//
// Reading them from the description, as v2Price reads prices, keeps one home for each number.
type imageRules struct {
	formats []string
	rules   []imageRule
}

// imageRule is one sentence of a "Validation Rules" list and the test it states.
type imageRule struct {
	text string
	ok   func(width, height int) bool
}

// ruleSentences are the sentences the description uses, with the test each states. A sentence
// outside this list makes imageRulesOf fail, so that a new rule in a new copy of the description
// is noticed rather than skipped.
var ruleSentences = []struct {
	re   *regexp.Regexp
	test func(a, b float64) func(w, h int) bool
}{
	{regexp.MustCompile(`^Width must be between ([0-9,]+) and ([0-9,]+) pixels$`),
		func(a, b float64) func(w, h int) bool { return func(w, _ int) bool { return within(w, a, b) } }},
	{regexp.MustCompile(`^Height must be between ([0-9,]+) and ([0-9,]+) pixels$`),
		func(a, b float64) func(w, h int) bool { return func(_, h int) bool { return within(h, a, b) } }},
	{regexp.MustCompile(`^Every side must be at least ([0-9,]+) pixels$`),
		func(a, _ float64) func(w, h int) bool { return func(w, h int) bool { return min(w, h) >= int(a) } }},
	{regexp.MustCompile(`^Total pixel count must be between ([0-9,]+) and ([0-9,]+) pixels$`),
		func(a, b float64) func(w, h int) bool { return func(w, h int) bool { return within(w*h, a, b) } }},
	{regexp.MustCompile(`^Total pixel count must be at least ([0-9,]+) pixels$`),
		func(a, _ float64) func(w, h int) bool { return func(w, h int) bool { return w*h >= int(a) } }},
	// "between 1:2.5 and 2.5:1": width over height from 1/2.5 to 2.5.
	{regexp.MustCompile(`^The aspect ratio must be between 1:([0-9.]+) and ([0-9.]+):1$`),
		func(a, b float64) func(w, h int) bool {
			return func(w, h int) bool { return float64(w)*a >= float64(h) && float64(w) <= b*float64(h) }
		}},
}

func within(n int, lo, hi float64) bool { return float64(n) >= lo && float64(n) <= hi }

// imageRulesOf reads the rules of the operation whose form schema is schema; nil when it takes no
// image.
func imageRulesOf(schema *openapi3.Schema) (*imageRules, error) {
	ref := schema.Properties["image"]
	if ref == nil {
		return nil, nil
	}
	rules := &imageRules{}
	for _, line := range strings.Split(ref.Value.Description, "\n") {
		item, ok := strings.CutPrefix(strings.TrimSpace(line), "- ")
		if !ok {
			continue
		}
		if item == "jpeg" || item == "png" || item == "webp" {
			rules.formats = append(rules.formats, item)
			continue
		}
		rule, err := parseImageRule(item)
		if err != nil {
			return nil, err
		}
		rules.rules = append(rules.rules, rule)
	}
	if len(rules.formats) == 0 || len(rules.rules) == 0 {
		return nil, fmt.Errorf("the image field's description lists no formats or no rules: %q", ref.Value.Description)
	}
	return rules, nil
}

func parseImageRule(text string) (imageRule, error) {
	for _, s := range ruleSentences {
		m := s.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		var n [2]float64
		for i, v := range m[1:] {
			f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
			if err != nil {
				return imageRule{}, fmt.Errorf("image rule %q: %w", text, err)
			}
			n[i] = f
		}
		return imageRule{text: text, ok: s.test(n[0], n[1])}, nil
	}
	return imageRule{}, fmt.Errorf("image rule %q is not one the fake knows", text)
}

// check returns the real API's refusal of an image, or nil. The whole image is decoded only once
// its header passes, so that an oversized upload costs the fake little.
func (ir *imageRules) check(b []byte) (imageInfo, *v2Violation) {
	info, err := readImageHeader(b)
	if err != nil {
		return info, badRequest("image: %v", err)
	}
	if !slices.Contains(ir.formats, info.format) {
		return info, badRequest("image: %s is not a supported format (%s)", info.format, strings.Join(ir.formats, ", "))
	}
	if rule := ir.refusal(info.width, info.height); rule != "" {
		return info, badRequest("image: %s; got %dx%d", rule, info.width, info.height)
	}
	if err := decodeImage(info, b); err != nil {
		return info, badRequest("image: %v", err)
	}
	return info, nil
}

// refusal returns the first rule an image of width x height breaks, or "".
func (ir *imageRules) refusal(width, height int) string {
	for _, r := range ir.rules {
		if !r.ok(width, height) {
			return r.text
		}
	}
	return ""
}

// RefusedImage reports how the fake, like the real API, answers a v2beta request of the
// operation op ("generate/ultra", "generate/sd3", "upscale/fast", "upscale/conservative") whose
// image is width x height: the description's rule it breaks ("Width must be between 32 and 1,536
// pixels"), or "" when the size is accepted. Like RefusedSize, it lets tests compare a client's
// own rules with the fake's, read from the description, without sending requests. The error says
// op is not an operation of the description that takes an image.
func RefusedImage(op string, width, height int) (rule string, err error) {
	desc, err := loadedV2Description()
	if err != nil {
		return "", err
	}
	item := desc.doc.Paths.Find(v2ImagePrefix + op)
	if item == nil || item.Post == nil || item.Post.RequestBody == nil {
		return "", fmt.Errorf("dreamstudiotest: %s is not a v2beta operation", op)
	}
	mt := item.Post.RequestBody.Value.Content.Get("multipart/form-data")
	rules, err := imageRulesOf(mt.Schema.Value)
	if err != nil {
		return "", err
	}
	if rules == nil {
		return "", fmt.Errorf("dreamstudiotest: %s takes no image", op)
	}
	return rules.refusal(width, height), nil
}
