package dreamstudiotest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// v2ImagePrefix is the path of the v2beta Stable Image operations, before the operation's name
// ("generate/ultra", "upscale/fast").
const v2ImagePrefix = "/v2beta/stable-image/"

// v2Serves reports whether the fake serves the named operation; it answers any other operation of
// the description 501 and fails the test.
func v2Serves(op string) bool {
	switch op {
	case "generate/ultra", "generate/core", "generate/sd3", "upscale/fast", "upscale/conservative":
		return true
	}
	return false
}

// handleV2 is handle for the v2beta API: the same order of checks, with the v2 description, the
// v2 rules and the v2 error shape. The fault queue, the key, the rate limit, the hold and the
// generation count are the ones v1 uses: one account, whatever the version. It reports false for
// a request that is not a v2beta operation, which handle then treats (and refuses) as v1.
func (s *Server) handleV2(r *http.Request, body []byte) (*response, bool) {
	if !strings.HasPrefix(r.URL.Path, "/v2beta/") {
		return nil, false
	}
	desc, err := loadedV2Description()
	if err != nil {
		s.tb.Errorf("%v", err)
		return s.failV2(http.StatusInternalServerError, "server_error", "dreamstudiotest: no v2 description"), true
	}
	route, err := desc.findRoute(r)
	if err != nil {
		return nil, false
	}
	if len(body) > maxRequestBody {
		// The description's 413: "Your request was larger than 10MiB.", with its example's words.
		s.tb.Errorf("dreamstudiotest: %s %s: the real API answers 413 payload_too_large: the body is over 10 MiB",
			r.Method, r.URL.Path)
		return s.failV2(http.StatusRequestEntityTooLarge, "payload_too_large",
			"body: payloads cannot be larger than 10MiB in size"), true
	}
	return s.handleV2Route(r, body, desc, route), true
}

func (s *Server) handleV2Route(r *http.Request, body []byte, desc *description, route *route) *response {
	op, _ := strings.CutPrefix(route.Path, v2ImagePrefix)
	if !v2Serves(op) {
		s.tb.Errorf("dreamstudiotest: %s %s: operation is not implemented by the fake", r.Method, r.URL.Path)
		return s.failV2(http.StatusNotImplemented, "not_implemented", route.Path+" is not implemented by dreamstudiotest")
	}
	if err := desc.checkRequest(r, body, route); err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API would refuse this request: %s\nbody: %.2000s",
			r.Method, r.URL.Path, firstLine(err), body)
		return s.failV2(http.StatusBadRequest, "bad_request", shortReason(err))
	}
	form, err := parseMultipart(r, body)
	if err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API would refuse this request: %v", r.Method, r.URL.Path, err)
		return s.failV2(http.StatusBadRequest, "bad_request", err.Error())
	}
	schema := route.Operation.RequestBody.Value.Content.Get("multipart/form-data").Schema.Value
	in, v, err := v2FormViolation(r, schema, form)
	if err != nil {
		s.tb.Errorf("dreamstudiotest: bug in the fake: %s %s: %v", r.Method, r.URL.Path, err)
		return s.failV2(http.StatusInternalServerError, "server_error", "dreamstudiotest: "+err.Error())
	}
	if v != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API answers %d %s: %s\nform: %v",
			r.Method, r.URL.Path, v.status, v.name, v.message, form.values)
		return s.failV2(v.status, v.name, v.message)
	}
	if what := v2Unsupported(form); what != "" {
		s.tb.Errorf("dreamstudiotest: %s %s: %s is not implemented by the fake", r.Method, r.URL.Path, what)
		return s.failV2(http.StatusNotImplemented, "not_implemented", what+" is not implemented by dreamstudiotest")
	}
	if resp := s.takeFault(true); resp != nil {
		return v2Shape(resp)
	}
	if resp := s.authorize(r); resp != nil {
		return v2Shape(resp)
	}
	if resp := s.rateLimit(); resp != nil {
		return v2Shape(resp)
	}
	price, err := v2Price(route.Operation, schema, form)
	if err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: %v", r.Method, r.URL.Path, err)
	}

	width, height := v2AnswerSize(op, form, in)
	resp := s.answerV2(r, op, form, width, height, price)
	if resp == nil {
		return nil
	}
	resp.header.Set("Content-Length", strconv.Itoa(len(resp.body)))
	if err := desc.checkResponse(r, route, resp); err != nil {
		s.tb.Errorf("dreamstudiotest: bug in the fake: its answer to %s %s does not match the v2 description: %v",
			r.Method, r.URL.Path, err)
	}
	if resp.damage != nil {
		return resp.damage.damage(resp)
	}
	return resp
}

// v2FormViolation applies the rules the description states in prose to a form its schema
// accepts, and returns the image the form carries, nil when it has none. An error is a bug in
// the fake: the description has a rule it cannot read.
func v2FormViolation(r *http.Request, schema *openapi3.Schema, form *multipartForm) (*imageInfo, *v2Violation, error) {
	if v := v2RuleViolation(r, schema, form); v != nil {
		return nil, v, nil
	}
	if v := imageToImageViolation(schema, form); v != nil {
		return nil, v, nil
	}
	rules, err := imageRulesOf(schema)
	if err != nil || !form.has("image") {
		return nil, nil, err
	}
	info, v := rules.check(form.files["image"][0])
	if v != nil {
		return nil, v, nil
	}
	return &info, nil, nil
}
