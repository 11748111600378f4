package dreamstudiotest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// route is the operation a request matched, with its path parameters.
type route struct {
	*routers.Route
	params map[string]string
}

func (rt *route) operation() string { return rt.Operation.OperationID }

// findRoute matches r to an operation of the description.
func (d *description) findRoute(r *http.Request) (*route, error) {
	// A server-side request's URL holds only the path; the router matches whole URLs against the
	// description's servers.
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	rr := r.WithContext(r.Context())
	rr.URL = &u
	rt, params, err := d.router.FindRoute(rr)
	if err != nil {
		return nil, err
	}
	// The router matches the escaped URL, so path parameters come out escaped.
	for k, v := range params {
		if params[k], err = url.PathUnescape(v); err != nil {
			return nil, fmt.Errorf("path parameter %s: %w", k, err)
		}
	}
	return &route{Route: rt, params: params}, nil
}

// validationInput builds kin-openapi's view of r with body as its (re-readable) body.
func (rt *route) validationInput(r *http.Request, body []byte) *openapi3filter.RequestValidationInput {
	rr := r.WithContext(r.Context())
	rr.Body = io.NopCloser(bytes.NewReader(body))
	return &openapi3filter.RequestValidationInput{
		Request:    rr,
		PathParams: rt.params,
		Route:      rt.Route,
		Options: &openapi3filter.Options{
			// Otherwise the validator writes the description's defaults (512x512, which SDXL
			// refuses) into the body it checks.
			SkipSettingDefaults: true,
			// The API-key scheme is checked by Server.authorize, which answers like the real API.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
	}
}

// checkRequest validates parameters, headers and body of r against the description; a form's
// prompt keys are checked by hand, then as the schema's text_prompts (see withPromptParts).
func (d *description) checkRequest(r *http.Request, body []byte, rt *route) error {
	r, body, err := withPromptParts(r, body)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(r.Context(), rt.validationInput(r, body))
}

// checkResponse validates one of the fake's own 2xx answers. Error answers are built from apiError
// and not checked: the description's Error schema requires a "status" the real API never sends,
// and 429 is not in the description at all.
func (d *description) checkResponse(r *http.Request, rt *route, resp *response) error {
	if resp.status < 200 || resp.status > 299 {
		return nil
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: rt.validationInput(r, nil),
		Status:                 resp.status,
		Header:                 resp.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	input.SetBodyBytes(resp.body)
	if resp.artifacts {
		// The description's schema says a bare array of Image, but the real API (and every code
		// sample in the description) wraps it as {"artifacts": [...]}: check the items by hand.
		input.Options.ExcludeResponseBody = true
		if err := d.checkArtifacts(resp.body); err != nil {
			return err
		}
	}
	return openapi3filter.ValidateResponse(context.Background(), input)
}

func (d *description) checkArtifacts(body []byte) error {
	var v struct {
		Artifacts []any `json:"artifacts"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if len(v.Artifacts) == 0 {
		return errors.New("no artifacts")
	}
	for i, a := range v.Artifacts {
		if err := d.schema("Image").VisitJSON(a); err != nil {
			return fmt.Errorf("artifacts[%d]: %w", i, err)
		}
	}
	return nil
}

// unknownFields lists the JSON body fields the description does not declare. The schemas do not
// forbid extra fields, and the real API ignores them, so a misspelt optional field ("cfgScale")
// would silently do nothing: the fake reports it instead.
func (d *description) unknownFields(rt *route, body []byte) []string {
	rb := rt.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil // checkRequest has already reported it.
	}
	return undeclared(mt.Schema.Value, v, "")
}

func undeclared(s *openapi3.Schema, v any, path string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		props := properties(s)
		if props == nil {
			return nil // A free-form object such as extras.
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			sub, ok := props[k]
			if !ok {
				out = append(out, strings.TrimPrefix(path+"."+k, "."))
				continue
			}
			out = append(out, undeclared(sub, v[k], path+"."+k)...)
		}
	case []any:
		if s.Items == nil || s.Items.Value == nil {
			return nil
		}
		for i, item := range v {
			out = append(out, undeclared(s.Items.Value, item, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

// properties collects the declared properties of s, including those of its allOf parts, or nil
// when s declares none.
func properties(s *openapi3.Schema) map[string]*openapi3.Schema {
	if s == nil {
		return nil
	}
	props := make(map[string]*openapi3.Schema)
	for name, ref := range s.Properties {
		props[name] = ref.Value
	}
	for _, part := range s.AllOf {
		for name, sub := range properties(part.Value) {
			props[name] = sub
		}
	}
	if len(props) == 0 {
		return nil
	}
	return props
}

// shortReason turns a validation error into a one-line message for the 400 body, naming the
// innermost field at fault: "width: number must be a multiple of 64".
func shortReason(err error) string {
	prefix := ""
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Parameter != nil {
		prefix = re.Parameter.Name + ": "
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		for {
			var inner *openapi3.SchemaError
			if se.Origin == nil || !errors.As(se.Origin, &inner) {
				break
			}
			se = inner
		}
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			return prefix + strings.Join(ptr, ".") + ": " + se.Reason
		}
		return prefix + se.Reason
	}
	return prefix + firstLine(err)
}

// firstLine is err's message without the schema and value dumps kin-openapi appends.
func firstLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
