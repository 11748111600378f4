package dreamstudiotest

import (
	"bytes"
	"fmt"
	"maps"
	"mime"
	"mime/multipart"
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

// v2Form is the multipart body of a v2beta request: its text fields, and the names of its file
// parts.
type v2Form struct {
	values map[string][]string
	files  []string
}

func parseV2Form(r *http.Request, body []byte) (*v2Form, error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("content-type: %w", err)
	}
	f, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(maxRequestBody)
	if err != nil {
		return nil, fmt.Errorf("multipart body: %w", err)
	}
	defer f.RemoveAll()
	form := &v2Form{values: f.Value}
	for name := range f.File {
		form.files = append(form.files, name)
	}
	slices.Sort(form.files)
	return form, nil
}

// get returns the field's value, or "" when it is absent.
func (f *v2Form) get(name string) string {
	if v := f.values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// v2Violation is a refusal the real API gives: its status, error name and message.
type v2Violation struct {
	status  int
	name    string
	message string
}

func badRequest(format string, args ...any) *v2Violation {
	return &v2Violation{http.StatusBadRequest, "bad_request", fmt.Sprintf(format, args...)}
}

// v2RuleViolation applies the rules SOURCE.md states for the generate operations, which the
// description's schema may not enforce (kin-openapi reads a form's "seed" as any number, and keeps
// the first of repeated parts). Enums and bounds that differ by operation are read from schema,
// the operation's form schema, so that they have one home: the description.
func v2RuleViolation(r *http.Request, schema *openapi3.Schema, form *v2Form) *v2Violation {
	for _, name := range append(slices.Sorted(maps.Keys(form.values)), form.files...) {
		if schema.Properties[name] == nil {
			return badRequest("%s: not a parameter of this operation", name)
		}
		if len(form.values[name]) > 1 {
			return badRequest("%s: sent more than once", name)
		}
	}
	if n := utf8.RuneCountInString(form.get("prompt")); n < 1 || n > v2MaxPrompt {
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
	if v, ok := form.values["cfg_scale"]; ok {
		if msg := outOfBounds(schema.Properties["cfg_scale"], v[0]); msg != "" {
			return badRequest("cfg_scale: %s", msg)
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

// v2Unsupported names what a well-formed generate request asks for that the fake cannot do, or
// returns "".
func v2Unsupported(form *v2Form) string {
	switch {
	case len(form.files) > 0 || form.get("image") != "":
		return "image-to-image generation"
	case form.get("mode") == "image-to-image":
		return "mode image-to-image"
	case form.get("output_format") != "" && form.get("output_format") != "png":
		return "output_format " + form.get("output_format")
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
