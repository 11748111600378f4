package dreamstudiotest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestRuleViolations checks the rules the description states only in prose: they are answered
// with the documented 400 names, without failing the test (code under test must handle them).
func TestRuleViolations(t *testing.T) {
	t.Parallel()
	engines := []dreamstudiotest.Engine{
		{ID: "stable-diffusion-xl-1024-v1-0", Name: "SDXL 1.0", Description: "d", Type: "PICTURE"},
		{ID: "stable-diffusion-xl-1024-v0-9", Name: "SDXL 0.9", Description: "d", Type: "PICTURE"},
		{ID: "stable-diffusion-xl-beta-v2-2-2", Name: "SDXL beta", Description: "d", Type: "PICTURE"},
		{ID: "stable-diffusion-512-v2-1", Name: "SD 2.1", Description: "d", Type: "PICTURE"},
		{ID: "stable-diffusion-v1-5", Name: "SD 1.5", Description: "d", Type: "PICTURE"},
		{ID: "stable-diffusion-768-v2-1", Name: "SD 2.1 768", Description: "d", Type: "PICTURE"},
		{ID: "stable-diffusion-v1-6", Name: "SD 1.6", Description: "d", Type: "PICTURE"},
		{ID: "some-future-engine", Name: "Future", Description: "d", Type: "PICTURE"},
	}
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithEngines(engines...))
	tests := []struct {
		engine        string
		width, height int
		want          string // the 400 name, or "" for 200
	}{
		{"stable-diffusion-xl-1024-v1-0", 1024, 1024, ""},
		{"stable-diffusion-xl-1024-v1-0", 896, 1152, ""},
		{"stable-diffusion-xl-1024-v1-0", 512, 512, "invalid_sdxl_v1_dimensions"},
		{"stable-diffusion-xl-1024-v1-0", 1024, 1152, "invalid_sdxl_v1_dimensions"},
		{"stable-diffusion-xl-1024-v0-9", 1216, 832, ""},
		{"stable-diffusion-xl-1024-v0-9", 768, 768, "invalid_sdxl_v1_dimensions"},
		{"stable-diffusion-xl-beta-v2-2-2", 512, 512, ""},
		{"stable-diffusion-xl-beta-v2-2-2", 128, 896, ""},
		{"stable-diffusion-xl-beta-v2-2-2", 896, 512, ""},
		{"stable-diffusion-xl-beta-v2-2-2", 576, 768, "invalid_sdxl_v222_dimensions"},
		{"stable-diffusion-xl-beta-v2-2-2", 960, 512, "invalid_sdxl_v222_dimensions"},
		{"stable-diffusion-512-v2-1", 512, 512, ""},
		{"stable-diffusion-512-v2-1", 1024, 1024, ""},
		{"stable-diffusion-512-v2-1", 256, 512, "invalid_pixel_count"},
		{"stable-diffusion-512-v2-1", 1024, 1088, "invalid_pixel_count"},
		{"stable-diffusion-v1-5", 512, 576, ""},
		{"stable-diffusion-v1-5", 128, 128, "invalid_pixel_count"},
		{"stable-diffusion-768-v2-1", 768, 768, ""},
		{"stable-diffusion-768-v2-1", 1024, 576, ""},
		{"stable-diffusion-768-v2-1", 512, 512, "invalid_pixel_count"},
		{"stable-diffusion-v1-6", 320, 1536, ""},
		{"stable-diffusion-v1-6", 256, 512, "bad_request"},
		{"stable-diffusion-v1-6", 1600, 512, "bad_request"},
		{"some-future-engine", 128, 2048, ""},
	}
	for _, tt := range tests {
		t.Run(tt.engine+"/"+sizeName(tt.width, tt.height), func(t *testing.T) {
			a := send(t, s, call{
				path:   "/v1/generation/" + tt.engine + "/text-to-image",
				body:   sized(tt.width, tt.height),
				accept: "image/png",
			})
			if tt.want == "" {
				if a.status != http.StatusOK {
					t.Errorf("status %d, want 200; body %s", a.status, a.body)
				}
				return
			}
			if a.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %.200s", a.status, a.body)
			}
			if name, _ := a.apiError(t); name != tt.want {
				t.Errorf("name = %q, want %q", name, tt.want)
			}
		})
	}
}

func TestOtherRuleViolations(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	tests := []struct {
		name string
		call call
		want string
	}{
		{"sizes left to the 512 default on SDXL", generate(`{"text_prompts":[{"text":"a"}]}`), "invalid_sdxl_v1_dimensions"},
		{"two samples as PNG", generate(`{"text_prompts":[{"text":"a"}],"samples":2,"width":1024,"height":1024}`), "invalid_samples"},
		{"blank prompt", generate(`{"text_prompts":[{"text":"  "}],"width":1024,"height":1024}`), "bad_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, s, tt.call)
			if a.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", a.status)
			}
			if name, _ := a.apiError(t); name != tt.want {
				t.Errorf("name = %q, want %q", name, tt.want)
			}
		})
	}
	if s.Generations() != 0 {
		t.Errorf("Generations() = %d, want 0", s.Generations())
	}
}

func TestUnknownEngine(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	a := send(t, s, call{path: "/v1/generation/stable-diffusion-v1-5/text-to-image", body: sized(512, 512), accept: "image/png"})
	if a.status != http.StatusNotFound {
		t.Fatalf("status %d, want 404", a.status)
	}
	if name, msg := a.apiError(t); name != "not_found" || !strings.Contains(msg, "stable-diffusion-v1-5") {
		t.Errorf("error = %s: %s, want not_found naming the engine", name, msg)
	}
}

func TestStrictRulesFailTheTest(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec, dreamstudiotest.WithStrictRules())
	a := send(t, s, generate(sized(512, 512)))
	if a.status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", a.status)
	}
	f := rec.failures()
	if len(f) != 1 || !strings.Contains(f[0], "invalid_sdxl_v1_dimensions") {
		t.Errorf("failures = %q, want one naming invalid_sdxl_v1_dimensions", f)
	}
}

func sizeName(w, h int) string {
	return fmt.Sprintf("%dx%d", w, h)
}
