package dreamstudiotest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// Limits SOURCE.md states for every v2beta generate operation.
const (
	v2MaxSeed   = 4294967294
	v2MaxPrompt = 10000
)

// v2Violation is a refusal the real API gives: its status, error name and message.
type v2Violation struct {
	status  int
	name    string
	message string
}

func badRequest(format string, args ...any) *v2Violation {
	return &v2Violation{http.StatusBadRequest, "bad_request", fmt.Sprintf(format, args...)}
}

// v2RuleViolation applies the rules SOURCE.md states for the v2beta operations, which the
// description's schema may not enforce (kin-openapi reads a form's "seed" as any number, and keeps
// the first of repeated parts). Enums and bounds that differ by operation are read from schema,
// the operation's form schema, so that they have one home: the description.
func v2RuleViolation(r *http.Request, schema *openapi3.Schema, form *multipartForm) *v2Violation {
	names := slices.Concat(slices.Sorted(maps.Keys(form.values)), slices.Sorted(maps.Keys(form.files)))
	for _, name := range names {
		prop := schema.Properties[name]
		switch {
		case prop == nil:
			return badRequest("%s: not a parameter of this operation", name)
		case len(form.values[name])+len(form.files[name]) > 1:
			return badRequest("%s: sent more than once", name)
		case prop.Value.Format == "binary" && form.files[name] == nil:
			// A part without a filename is a text field: the real API sees no file.
			return badRequest("%s: is required (it was sent as a text field, without a filename)", name)
		case prop.Value.Format != "binary" && form.files[name] != nil:
			return badRequest("%s: expected a text field, got a file", name)
		}
	}
	if n := utf8.RuneCountInString(form.get("prompt")); schema.Properties["prompt"] != nil && (n < 1 || n > v2MaxPrompt) {
		return badRequest("prompt: must be 1 to %d characters, got %d", v2MaxPrompt, n)
	}
	if n := utf8.RuneCountInString(form.get("negative_prompt")); n > v2MaxPrompt {
		return badRequest("negative_prompt: must be at most %d characters, got %d", v2MaxPrompt, n)
	}
	if ar, ok := form.values["aspect_ratio"]; ok {
		if _, _, ok := AspectRatioSize(ar[0]); !ok {
			return badRequest("aspect_ratio: must be one of 16:9 1:1 21:9 2:3 3:2 4:5 5:4 9:16 9:21, got %q", ar[0])
		}
	}
	if seed, ok := form.values["seed"]; ok {
		if n, err := strconv.ParseUint(seed[0], 10, 64); err != nil || n > v2MaxSeed {
			return badRequest("seed: must be a whole number from 0 to %d, got %q", v2MaxSeed, seed[0])
		}
	}
	for _, name := range []string{"output_format", "model", "style_preset", "mode"} {
		if v, ok := form.values[name]; ok && !inEnum(schema.Properties[name], v[0]) {
			return badRequest("%s: %q is not one of the values this operation accepts", name, v[0])
		}
	}
	for _, name := range []string{"cfg_scale", "strength", "creativity"} {
		if v, ok := form.values[name]; ok {
			if msg := outOfBounds(schema.Properties[name], v[0]); msg != "" {
				return badRequest("%s: %s", name, msg)
			}
		}
	}
	if a := r.Header.Get("Accept"); a != "" && a != "image/*" && a != "application/json" {
		return badRequest("accept: must be image/* or application/json, got %q", a)
	}
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(auth) == "" {
		return &v2Violation{http.StatusUnauthorized, "unauthorized", "authorization: expected \"Bearer <API key>\""}
	}
	return nil
}

// v2Unsupported names what a well-formed request asks for that the fake cannot do, or returns
// "": it answers only PNGs.
func v2Unsupported(form *multipartForm) string {
	if f := form.get("output_format"); f != "" && f != "png" {
		return "output_format " + f
	}
	return ""
}

func inEnum(ref *openapi3.SchemaRef, v string) bool {
	if ref == nil || ref.Value == nil || len(ref.Value.Enum) == 0 {
		return ref != nil
	}
	return slices.Contains(ref.Value.Enum, any(v))
}

// outOfBounds checks v against the schema's minimum and maximum and says what is wrong, or "".
func outOfBounds(ref *openapi3.SchemaRef, v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return fmt.Sprintf("%q is not a number", v)
	}
	s := ref.Value
	if (s.Min != nil && f < *s.Min) || (s.Max != nil && f > *s.Max) {
		return fmt.Sprintf("%v is outside %v..%v", f, deref(s.Min), deref(s.Max))
	}
	return ""
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
