package dreamstudiotest_test

import (
	"net/http"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestRefusesWhatTheDescriptionForbids checks that a request the description forbids fails the
// test that sent it and is answered like the real API would.
func TestRefusesWhatTheDescriptionForbids(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		call    call
		status  int
		failure string // part of the test failure
		message string // part of the 400 message
	}{
		{"no text_prompts", generate(`{"width":1024,"height":1024}`), 400, "text_prompts", "text_prompts"},
		{"empty text_prompts", generate(`{"text_prompts":[],"width":1024,"height":1024}`), 400, "text_prompts", "text_prompts"},
		{"prompt without text", generate(`{"text_prompts":[{"weight":1}],"width":1024,"height":1024}`), 400, "text", "text"},
		{"prompt too long", generate(`{"text_prompts":[{"text":"` + strings.Repeat("é", 2001) + `"}],"width":1024,"height":1024}`), 400, "text", "text"},
		{"width not multiple of 64", generate(sized(1000, 1024)), 400, "multiple of 64", "width"},
		{"height below 128", generate(sized(1024, 64)), 400, "height", "height"},
		{"steps below 10", generate(`{"text_prompts":[{"text":"a"}],"steps":5,"width":1024,"height":1024}`), 400, "steps", "steps"},
		{"cfg_scale above 35", generate(`{"text_prompts":[{"text":"a"}],"cfg_scale":36,"width":1024,"height":1024}`), 400, "cfg_scale", "cfg_scale"},
		{"unknown sampler", generate(`{"text_prompts":[{"text":"a"}],"sampler":"EULER","width":1024,"height":1024}`), 400, "sampler", "sampler"},
		{"unknown style", generate(`{"text_prompts":[{"text":"a"}],"style_preset":"oil","width":1024,"height":1024}`), 400, "style_preset", "style_preset"},
		{"seed too big", generate(`{"text_prompts":[{"text":"a"}],"seed":4294967296,"width":1024,"height":1024}`), 400, "seed", "seed"},
		{"samples 11", call{path: textToImage, accept: "application/json", body: `{"text_prompts":[{"text":"a"}],"samples":11,"width":1024,"height":1024}`}, 400, "samples", "samples"},
		{"wrong Accept", call{path: textToImage, accept: "image/jpeg", body: sized(1024, 1024)}, 400, "Accept", "Accept"},
		{"form body", call{path: textToImage, accept: "image/png", contentType: "application/x-www-form-urlencoded", body: "text_prompts=a"}, 400, "Content-Type", ""},
		{"not JSON", generate(`{"text_prompts":`), 400, "body", ""},
		{"unknown path", call{method: http.MethodGet, path: "/v1/engines"}, 404, "not an operation", ""},
		{"wrong method", call{method: http.MethodPost, path: "/v1/user/balance"}, 404, "not an operation", ""},
		{"v2 path", call{method: http.MethodGet, path: "/v2beta/engines/list"}, 404, "not an operation", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			a := send(t, s, tt.call)
			if a.status != tt.status {
				t.Errorf("status = %d, want %d; body %s", a.status, tt.status, a.body)
			}
			_, msg := a.apiError(t)
			if !strings.Contains(msg, tt.message) {
				t.Errorf("message %q does not mention %q", msg, tt.message)
			}
			rec.refused(t, s, tt.failure)
		})
	}
}

func TestAcceptsWhatTheDescriptionAllows(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	bodies := []string{
		sized(1024, 1024),
		`{"text_prompts":[{"text":"` + strings.Repeat("é", 2000) + `"}],"width":1024,"height":1024}`,
		`{"text_prompts":[{"text":"a cat","weight":0.5},{"text":"dog","weight":-1}],"cfg_scale":0,"steps":150,"seed":4294967295,
		  "sampler":"K_DPMPP_2M","style_preset":"3d-model","clip_guidance_preset":"FAST_BLUE","samples":1,"extras":{"anything":[1]},
		  "width":1344,"height":768}`,
		`{"text_prompts":[{"text":"a"}],"cfg_scale":35,"steps":10,"width":1024,"height":1024}`,
	}
	for _, body := range bodies {
		if a := send(t, s, generate(body)); a.status != http.StatusOK {
			t.Errorf("status %d for %.80s; body %s", a.status, body, a.body)
		}
	}
	if f := rec.failures(); len(f) != 0 {
		t.Errorf("unexpected failures: %q", f)
	}
}

func TestReportsUndeclaredFields(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	a := send(t, s, generate(`{"text_prompts":[{"text":"a","wieght":1}],"cfgScale":7,"width":1024,"height":1024}`))
	if a.status != http.StatusOK {
		t.Errorf("status = %d, want 200: the real API ignores unknown fields", a.status)
	}
	failures := rec.failures()
	if len(failures) != 2 {
		t.Fatalf("got failures %q, want 2", failures)
	}
	for i, field := range []string{"cfgScale", "text_prompts[0].wieght"} {
		if !strings.Contains(failures[i], "field "+field+" ") {
			t.Errorf("failure %q does not name %s", failures[i], field)
		}
	}
}
