package dreamstudiotest

import (
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// v2GeneratePrefix is the path of the v2beta generate operations, before the model family.
const v2GeneratePrefix = "/v2beta/stable-image/generate/"

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
	return s.handleV2Route(r, body, desc, route), true
}

func (s *Server) handleV2Route(r *http.Request, body []byte, desc *description, route *route) *response {
	family, ok := strings.CutPrefix(route.Path, v2GeneratePrefix)
	if !ok {
		s.tb.Errorf("dreamstudiotest: %s %s: operation is not implemented by the fake", r.Method, r.URL.Path)
		return s.failV2(http.StatusNotImplemented, "not_implemented", route.Path+" is not implemented by dreamstudiotest")
	}
	if err := desc.checkRequest(r, body, route); err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API would refuse this request: %s\nbody: %s",
			r.Method, r.URL.Path, firstLine(err), body)
		return s.failV2(http.StatusBadRequest, "bad_request", shortReason(err))
	}
	form, err := parseV2Form(r, body)
	if err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API would refuse this request: %v", r.Method, r.URL.Path, err)
		return s.failV2(http.StatusBadRequest, "bad_request", err.Error())
	}
	schema := route.Operation.RequestBody.Value.Content.Get("multipart/form-data").Schema.Value
	if v := v2RuleViolation(r, schema, form); v != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API answers %d %s: %s\nbody: %s",
			r.Method, r.URL.Path, v.status, v.name, v.message, body)
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

	resp := s.generateV2(r, family, form, price)
	if resp == nil {
		return nil
	}
	resp.header.Set("Content-Length", strconv.Itoa(len(resp.body)))
	if err := desc.checkResponse(r, route, resp); err != nil {
		s.tb.Errorf("dreamstudiotest: bug in the fake: its answer to %s %s does not match the v2 description: %v",
			r.Method, r.URL.Path, err)
	}
	return resp
}

// v2Image is the JSON form of a v2beta generation answer.
type v2Image struct {
	Image        string `json:"image"`
	FinishReason string `json:"finish_reason"`
	Seed         uint32 `json:"seed"`
}

// generateV2 answers a checked text-to-image request of the given model family (ultra, core or
// sd3) with a PNG of the aspect ratio's size, charging price.
func (s *Server) generateV2(r *http.Request, family string, form *v2Form, price float64) *response {
	ratio := form.get("aspect_ratio")
	if ratio == "" {
		ratio = "1:1"
	}
	width, height, _ := AspectRatioSize(ratio)
	if !s.delay(r.Context()) {
		return nil
	}
	image, err := gradientPNG(width, height)
	if err != nil {
		s.tb.Errorf("dreamstudiotest: bug in the fake: %v", err)
		return s.failV2(http.StatusInternalServerError, "server_error",
			"An unexpected server error occurred, please try again.")
	}
	requested, _ := strconv.ParseUint(form.get("seed"), 10, 32) // checked by v2RuleViolation
	seed, reason := s.startGeneration(uint32(requested), 1, price)
	if seed == math.MaxUint32 {
		seed-- // v2 seeds stop one short of v1's.
	}
	if reason == finishError {
		s.tb.Errorf("dreamstudiotest: %s generation: FinishNext(%q) is not a v2beta finish reason", family, reason)
		reason = finishSuccess
	}
	if r.Header.Get("Accept") == "application/json" {
		resp := jsonResponse(http.StatusOK, v2Image{
			Image:        base64.StdEncoding.EncodeToString(image),
			FinishReason: reason,
			Seed:         seed,
		})
		resp.header.Set("Content-Type", "application/json; type=image/png")
		return resp
	}
	return &response{
		status: http.StatusOK,
		header: http.Header{
			"Content-Type":  {"image/png"},
			"Finish-Reason": {reason},
			"Seed":          {strconv.FormatUint(uint64(seed), 10)},
			"X-Request-Id":  {strings.ReplaceAll(s.newID(), "-", "")},
		},
		body: image,
	}
}
