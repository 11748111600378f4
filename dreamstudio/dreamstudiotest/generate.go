package dreamstudiotest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// The finish reasons of the API.
const (
	finishSuccess         = "SUCCESS"
	finishError           = "ERROR"
	finishContentFiltered = "CONTENT_FILTERED"
)

// generationRequest is the part of a text-to-image body the fake acts on. Numbers are float64
// pointers: the description check has already made sure they are integers in range, and nil
// tells an absent field (the API's default applies) from zero.
type generationRequest struct {
	TextPrompts []struct {
		Text string `json:"text"`
	} `json:"text_prompts"`
	Width   *float64 `json:"width"`
	Height  *float64 `json:"height"`
	Samples *float64 `json:"samples"`
	Seed    *float64 `json:"seed"`
	Steps   *float64 `json:"steps"`
}

// artifact is one image of the JSON form of a generation answer.
type artifact struct {
	Base64       string `json:"base64"`
	Seed         uint32 `json:"seed"`
	FinishReason string `json:"finishReason"`
}

func (s *Server) textToImage(r *http.Request, body []byte, engineID string) *response {
	if !s.hasEngine(engineID) {
		return s.fail(http.StatusNotFound, "not_found",
			fmt.Sprintf("The specified engine (ID %s) was not found.", engineID))
	}
	var req generationRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return s.fail(http.StatusBadRequest, "bad_request", err.Error())
	}
	return s.generateV1(r, "text-to-image", engineID, &req, "body: "+string(body))
}

// generateV1 applies the rules the description leaves to prose to a v1 generation (op is
// "text-to-image" or "image-to-image") and answers it. A refusal fails the test for
// image-to-image, and for text-to-image under WithStrictRules; detail is the request, for the
// failure message.
func (s *Server) generateV1(r *http.Request, op, engineID string, req *generationRequest, detail string) *response {
	wantPNG := r.Header.Get("Accept") == "image/png"
	// Absent sizes get the description's default, 512, which is what SDXL engines then refuse.
	width, height := intOr(req.Width, 512), intOr(req.Height, 512)
	samples := intOr(req.Samples, 1)
	if v := ruleViolation(req, engineID, width, height, samples, wantPNG); v != nil {
		if s.cfg.strictRules || op == "image-to-image" {
			s.tb.Errorf("dreamstudiotest: %s %s: the real API answers 400 %s: %s\n%s",
				op, engineID, v.name, v.message, detail)
		}
		return s.fail(http.StatusBadRequest, v.name, v.message)
	}
	if !s.delay(r.Context()) {
		return nil
	}
	image := gradientPNG(width, height)
	price := float64(samples) * v1Price(intOr(req.Steps, 0), width, height)
	seed, reason := s.startGeneration(uint32(intOr(req.Seed, 0)), samples, price)
	if wantPNG {
		return s.pngAnswer(image, seed, reason)
	}
	arts := make([]artifact, samples)
	for i := range arts {
		arts[i] = artifact{
			Base64:       base64.StdEncoding.EncodeToString(image),
			Seed:         seed + uint32(i),
			FinishReason: reason,
		}
	}
	resp := jsonResponse(http.StatusOK, struct {
		Artifacts []artifact `json:"artifacts"`
	}{arts})
	resp.artifacts = true
	return resp
}

// pngAnswer is the image/png form of a generation answer, v1 or v2beta: the PNG, with its seed and
// finish reason in headers, damaged by the next image fault if one is queued.
func (s *Server) pngAnswer(image []byte, seed uint32, reason string) *response {
	return &response{
		status: http.StatusOK,
		header: http.Header{
			"Content-Type":  {"image/png"},
			"Finish-Reason": {reason},
			"Seed":          {strconv.FormatUint(uint64(seed), 10)},
		},
		body:   image,
		damage: s.takeImageFault(),
	}
}

// ruleViolation checks what the description leaves to prose.
func ruleViolation(req *generationRequest, engineID string, width, height, samples int, wantPNG bool) *violation {
	for i, p := range req.TextPrompts {
		if strings.TrimSpace(p.Text) == "" {
			return &violation{"bad_request", fmt.Sprintf("text_prompts[%d].text: cannot be blank", i)}
		}
	}
	if samples > 1 && wantPNG {
		return &violation{"invalid_samples",
			"Sample count may only be greater than 1 when the accept header is set to application/json."}
	}
	return sizeViolation(engineID, width, height)
}

// startGeneration counts the images as generated, charges their price to the balance, and
// returns the seed (random when the request gave none or 0, as the API does) and the finish
// reason to report.
func (s *Server) startGeneration(seed uint32, samples int, price float64) (uint32, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.generations += samples
	// Rounded so that 100 - 0.33 reads 99.67, as the API's balance would.
	s.balance = math.Round((s.balance-price)*1e9) / 1e9
	for seed == 0 {
		seed = s.rand.Uint32()
	}
	reason := finishSuccess
	if len(s.finish) > 0 {
		reason, s.finish = s.finish[0], s.finish[1:]
	}
	return seed, reason
}

func intOr(v *float64, def int) int {
	if v == nil {
		return def
	}
	return int(*v)
}
