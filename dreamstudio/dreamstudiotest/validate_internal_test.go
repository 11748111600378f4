package dreamstudiotest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCheckResponseCatchesBadAnswers makes sure the fake's check of its own answers is not a
// no-op: answers the description forbids must be reported.
func TestCheckResponseCatchesBadAnswers(t *testing.T) {
	t.Parallel()
	d, err := loadedDescription()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		resp    *response
		wantErr bool
	}{
		{"balance", "/v1/user/balance", jsonResponse(200, map[string]any{"credits": 1.5}), false},
		{"balance without credits", "/v1/user/balance", jsonResponse(200, map[string]any{"credit": 1.5}), true},
		{"engines", "/v1/engines/list", jsonResponse(200, []Engine{{ID: "a", Name: "b", Description: "c", Type: "PICTURE"}}), false},
		{"engine of unknown type", "/v1/engines/list", jsonResponse(200, []Engine{{ID: "a", Name: "b", Description: "c", Type: "IMAGE"}}), true},
		{"engines as an object", "/v1/engines/list", jsonResponse(200, map[string]any{"engines": []Engine{}}), true},
		{"png", textToImage(), pngResponse("SUCCESS", true), false},
		{"png without Content-Length", textToImage(), pngResponse("SUCCESS", false), true},
		{"png with unknown finish reason", textToImage(), pngResponse("DONE", true), true},
		{"artifacts", textToImage(), artifactsResponse(`{"artifacts":[{"base64":"iVBORw0=","seed":1,"finishReason":"SUCCESS"}]}`), false},
		{"artifacts with a bad reason", textToImage(), artifactsResponse(`{"artifacts":[{"base64":"iVBORw0=","seed":1,"finishReason":"OK"}]}`), true},
		{"no artifacts", textToImage(), artifactsResponse(`{"artifacts":[]}`), true},
		{"error answers are not checked", "/v1/user/balance", jsonResponse(401, apiError{ID: "i", Name: "n", Message: "m"}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodGet
			if strings.Contains(tt.path, "generation") {
				method = http.MethodPost
			}
			r := httptest.NewRequest(method, tt.path, nil)
			r.Host = "127.0.0.1:1234"
			rt, err := d.findRoute(r)
			if err != nil {
				t.Fatal(err)
			}
			err = d.checkResponse(r, rt, tt.resp)
			if (err != nil) != tt.wantErr {
				t.Errorf("checkResponse = %v, want error: %v", err, tt.wantErr)
			}
		})
	}
}

func textToImage() string {
	return "/v1/generation/stable-diffusion-xl-1024-v1-0/text-to-image"
}

func pngResponse(reason string, withLength bool) *response {
	body := gradientPNG(128, 128)
	h := http.Header{"Content-Type": {"image/png"}, "Finish-Reason": {reason}, "Seed": {"5"}}
	if withLength {
		h.Set("Content-Length", "1")
	}
	return &response{status: 200, header: h, body: body}
}

func artifactsResponse(body string) *response {
	return &response{
		status:    200,
		header:    http.Header{"Content-Type": {"application/json"}, "Content-Length": {"1"}},
		body:      []byte(body),
		artifacts: true,
	}
}
