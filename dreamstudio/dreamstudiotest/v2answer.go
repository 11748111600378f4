package dreamstudiotest

import (
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// v2AnswerSize returns the size of the image the fake answers a checked request with; in is the
// request's image, nil when it has none (upscales always have one).
func v2AnswerSize(op string, form *multipartForm, in *imageInfo) (int, int) {
	switch {
	case op == "upscale/fast":
		return FastUpscaleSize(in.width, in.height)
	case op == "upscale/conservative":
		return ConservativeUpscaleSize(in.width, in.height)
	case in != nil:
		return ImageToImageSize(in.width, in.height)
	}
	ratio := form.get("aspect_ratio")
	if ratio == "" {
		ratio = "1:1"
	}
	width, height, _ := AspectRatioSize(ratio)
	return width, height
}

// v2Image is the JSON form of a v2beta image answer.
type v2Image struct {
	Image        string `json:"image"`
	FinishReason string `json:"finish_reason"`
	Seed         uint32 `json:"seed"`
}

// answerV2 answers a checked request for operation op with a PNG of width x height, charging
// price. Every v2beta image answer, generated or upscaled, has the same shape.
func (s *Server) answerV2(r *http.Request, op string, form *multipartForm, width, height int, price float64) *response {
	if !s.delay(r.Context()) {
		return nil
	}
	image := gradientPNG(width, height)
	requested, _ := strconv.ParseUint(form.get("seed"), 10, 32) // checked by v2RuleViolation
	seed, reason := s.startGeneration(uint32(requested), 1, price)
	if seed == math.MaxUint32 {
		seed-- // v2 seeds stop one short of v1's.
	}
	if reason == finishError {
		s.tb.Errorf("dreamstudiotest: %s: FinishNext(%q) is not a v2beta finish reason", op, reason)
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
	resp := s.pngAnswer(image, seed, reason)
	resp.header.Set("X-Request-Id", strings.ReplaceAll(s.newID(), "-", ""))
	return resp
}
