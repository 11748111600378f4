package dreamstudiotest_test

import (
	"bytes"
	"image/png"
	"net/http"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestV2UpscaleTakesGenerationFaults checks that an upscale is a generation to
// FailNextGeneration: it takes the fault, costs nothing, and a balance read passes it by.
func TestV2UpscaleTakesGenerationFaults(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.FailNextGeneration(http.StatusForbidden, "content_moderation", "flagged")
	if got := reportedBalance(t, s); got != 100 {
		t.Errorf("balance read before the upscale: %v, want 100", got)
	}
	a := send(t, s, v2Call(t, "upscale/conservative", "", pngOf(t, 64, 64), prompt))
	if a.status != http.StatusForbidden {
		t.Fatalf("status %d, want 403; body %s", a.status, a.body)
	}
	if name, _ := a.v2Error(t); name != "content_moderation" {
		t.Errorf("name %q, want content_moderation", name)
	}
	if n, b := s.Generations(), s.Balance(); n != 0 || b != 100 {
		t.Errorf("after the fault: %d generations, balance %v; want 0, 100", n, b)
	}
	if a := send(t, s, v2Call(t, "upscale/fast", "", pngOf(t, 64, 64))); a.status != http.StatusOK {
		t.Errorf("next upscale: status %d, want 200", a.status)
	}
	if n, b := s.Generations(), s.Balance(); n != 1 || b != 99 {
		t.Errorf("after an upscale: %d generations, balance %v; want 1, 99", n, b)
	}
}

// TestV2ImageFaults checks that image faults damage v2beta image/* answers, which are still
// charged, and pass JSON answers by.
func TestV2ImageFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		call  func(t *testing.T) call
		price float64
	}{
		{"text-to-image", v2(t, "core", "image/*", prompt), 3},
		{"image-to-image", func(t *testing.T) call {
			return v2Call(t, "generate/sd3", "image/*", pngOf(t, 64, 64), prompt,
				field{"mode", "image-to-image"}, field{"strength", "0.4"}, field{"model", "sd3.5-large-turbo"})
		}, 4},
		{"upscale", func(t *testing.T) call { return v2Call(t, "upscale/fast", "image/*", pngOf(t, 64, 64)) }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t)
			s.AddImageFault(dreamstudiotest.ImageFault{Damage: dreamstudiotest.Truncated})
			json := tt.call(t)
			json.accept = "application/json"
			if a := send(t, s, json); a.status != http.StatusOK || a.header.Get("Content-Type") != "application/json; type=image/png" {
				t.Fatalf("JSON answer: status %d, Content-Type %q", a.status, a.header.Get("Content-Type"))
			}
			a := send(t, s, tt.call(t))
			if a.status != http.StatusOK {
				t.Fatalf("status %d, want 200", a.status)
			}
			if _, err := png.Decode(bytes.NewReader(a.body)); err == nil {
				t.Error("the damaged PNG decodes")
			}
			if n, b := s.Generations(), s.Balance(); n != 2 || b != 100-2*tt.price {
				t.Errorf("%d generations, balance %v; want 2, %v", n, b, 100-2*tt.price)
			}
		})
	}
}
