package dreamstudiotest_test

import (
	"net/http"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestV2RefusesWhatTheRulesForbid checks that a v2beta request breaking the description or a rule
// SOURCE.md states is answered like the real API and fails the test that sent it.
func TestV2RefusesWhatTheRulesForbid(t *testing.T) {
	t.Parallel()
	long := field{"prompt", strings.Repeat("é", 10001)}
	tests := []struct {
		name    string
		call    func(t *testing.T) call
		status  int
		failure string // part of the test failure
	}{
		{"no prompt", v2(t, "ultra", "", field{"seed", "1"}), 400, "prompt"},
		{"empty prompt", v2(t, "core", "", field{"prompt", ""}), 400, "prompt"},
		{"prompt too long", v2(t, "ultra", "", long), 400, "prompt"},
		{"negative prompt too long", v2(t, "core", "", prompt, field{"negative_prompt", long.value}), 400, "negative_prompt"},
		{"prompt twice", v2(t, "ultra", "", prompt, prompt), 400, "more than once"},
		{"aspect ratio 4:3", v2(t, "ultra", "", prompt, field{"aspect_ratio", "4:3"}), 400, "aspect_ratio"},
		{"seed too big", v2(t, "core", "", prompt, field{"seed", "4294967295"}), 400, "seed"},
		{"seed negative", v2(t, "sd3", "", prompt, field{"seed", "-1"}), 400, "seed"},
		{"seed fraction", v2(t, "ultra", "", prompt, field{"seed", "1.5"}), 400, "seed"},
		{"output format gif", v2(t, "ultra", "", prompt, field{"output_format", "gif"}), 400, "output_format"},
		{"sd3 output format webp", v2(t, "sd3", "", prompt, field{"output_format", "webp"}), 400, "output_format"},
		{"sd3 unknown model", v2(t, "sd3", "", prompt, field{"model", "sd3.5-huge"}), 400, "model"},
		{"sd3 cfg_scale below 1", v2(t, "sd3", "", prompt, field{"cfg_scale", "0.5"}), 400, "cfg_scale"},
		{"sd3 cfg_scale above 10", v2(t, "sd3", "", prompt, field{"cfg_scale", "11"}), 400, "cfg_scale"},
		{"cfg_scale on core", v2(t, "core", "", prompt, field{"cfg_scale", "5"}), 400, "cfg_scale"},
		{"cfg_scale on ultra", v2(t, "ultra", "", prompt, field{"cfg_scale", "5"}), 400, "cfg_scale"},
		{"style_preset on ultra", v2(t, "ultra", "", prompt, field{"style_preset", "anime"}), 400, "style_preset"},
		{"style_preset on sd3", v2(t, "sd3", "", prompt, field{"style_preset", "anime"}), 400, "style_preset"},
		{"unknown style_preset", v2(t, "core", "", prompt, field{"style_preset", "oil"}), 400, "style_preset"},
		{"unknown field", v2(t, "core", "", prompt, field{"steps", "30"}), 400, "steps"},
		{"Accept image/png", v2(t, "ultra", "image/png", prompt), 400, "accept"},
		{"Accept text/html", v2(t, "core", "text/html", prompt), 400, "accept"},
		{"no Authorization", withAuth(v2(t, "ultra", "", prompt), "-"), 400, "authorization"},
		{"Authorization not Bearer", withAuth(v2(t, "ultra", "", prompt), "Basic "+dreamstudiotest.DefaultKey), 401, "Bearer"},
		{"JSON body", func(*testing.T) call {
			return call{path: "/v2beta/stable-image/generate/core", body: `{"prompt":"a"}`}
		}, 400, "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			a := send(t, s, tt.call(t))
			if a.status != tt.status {
				t.Errorf("status = %d, want %d; body %s", a.status, tt.status, a.body)
			}
			a.v2Error(t)
			rec.refused(t, s, tt.failure)
		})
	}
}

// v2 defers building a generate call to the subtest, so that a failure to build it is the subtest's.
func v2(_ *testing.T, family, accept string, fields ...field) func(t *testing.T) call {
	return func(t *testing.T) call { return v2Generate(t, family, accept, fields...) }
}

func withAuth(c func(t *testing.T) call, auth string) func(t *testing.T) call {
	return func(t *testing.T) call {
		cl := c(t)
		cl.auth = auth
		return cl
	}
}

// TestV2ReportsWhatTheFakeCannotDo checks that a request the real API would serve but the fake
// cannot is reported rather than answered wrongly.
func TestV2ReportsWhatTheFakeCannotDo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(t *testing.T) call
	}{
		{"jpeg", v2(t, "ultra", "", prompt, field{"output_format", "jpeg"})},
		{"webp", v2(t, "core", "", prompt, field{"output_format", "webp"})},
		{"upscale output jpeg", func(t *testing.T) call {
			return v2Call(t, "upscale/fast", "", pngOf(t, 64, 64), field{"output_format", "jpeg"})
		}},
		{"creative upscale", func(t *testing.T) call {
			return v2Call(t, "upscale/creative", "", pngOf(t, 64, 64), prompt)
		}},
		{"erase", func(t *testing.T) call { return v2Call(t, "edit/erase", "", pngOf(t, 64, 64)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			a := send(t, s, tt.call(t))
			if a.status != http.StatusNotImplemented {
				t.Errorf("status = %d, want 501; body %s", a.status, a.body)
			}
			a.v2Error(t)
			if failures := rec.failures(); len(failures) != 1 || !strings.Contains(failures[0], "not implemented") {
				t.Errorf("failures = %q, want one saying not implemented", failures)
			}
		})
	}
}
