package dreamstudiotest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestGenerationsSpendCredits checks that each image takes its price from the balance that GET
// /v1/user/balance reports: the v2beta description's prices, and the v1 estimate.
func TestGenerationsSpendCredits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(t *testing.T) call
		cost float64
	}{
		{"ultra", v2(t, "ultra", "", prompt), 8},
		{"core", v2(t, "core", "image/*", prompt, field{"style_preset", "anime"}), 3},
		{"sd3 default model is sd3.5-large", v2(t, "sd3", "", prompt), 6.5},
		{"sd3.5-large", v2(t, "sd3", "", prompt, field{"model", "sd3.5-large"}), 6.5},
		{"sd3.5-large-turbo", v2(t, "sd3", "", prompt, field{"model", "sd3.5-large-turbo"}), 4},
		{"sd3.5-medium", v2(t, "sd3", "", prompt, field{"model", "sd3.5-medium"}), 3.5},
		{"sd3-large", v2(t, "sd3", "", prompt, field{"model", "sd3-large"}), 6.5},
		{"sd3-large-turbo", v2(t, "sd3", "", prompt, field{"model", "sd3-large-turbo"}), 4},
		{"sd3-medium", v2(t, "sd3", "", prompt, field{"model", "sd3-medium"}), 3.5},
		{"v1 default steps", v1(sized(1024, 1024)), 0.33},
		{"v1 30 steps", v1(`{"text_prompts":[{"text":"a cat"}],"width":1024,"height":1024,"steps":30}`), 0.2},
		{"v1 150 steps", v1(`{"text_prompts":[{"text":"a cat"}],"width":1344,"height":768,"steps":150}`), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t, dreamstudiotest.WithBalance(10))
			if a := send(t, s, tt.call(t)); a.status != http.StatusOK {
				t.Fatalf("status %d, want 200; body %s", a.status, a.body)
			}
			if got, want := reportedBalance(t, s), 10-tt.cost; got != want {
				t.Errorf("balance = %v, want %v", got, want)
			}
			if got := s.Balance(); got != 10-tt.cost {
				t.Errorf("Balance() = %v, want %v", got, 10-tt.cost)
			}
		})
	}
}

// TestGenerationFaults checks that FailNextGeneration answers the next generation, of either
// version and in its shape, while other requests pass it by, and that a refusal costs nothing.
func TestGenerationFaults(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithBalance(10))
	s.FailNextGeneration(http.StatusForbidden, "content_moderation", "Your request was flagged by our content moderation system.")
	s.FailNextGeneration(http.StatusUnprocessableEntity, "invalid_language", "English is the only supported language for this service.")
	s.FailNextGeneration(http.StatusBadRequest, "invalid_prompts", "One or more prompts contains filtered words.")
	for _, want := range []struct {
		call   call
		status int
		name   string
		v2     bool
	}{
		{v2Generate(t, "core", "", prompt), 403, "content_moderation", true},
		{v2Generate(t, "sd3", "", prompt), 422, "invalid_language", true},
		{generate(sized(1024, 1024)), 400, "invalid_prompts", false},
	} {
		if got := reportedBalance(t, s); got != 10 {
			t.Errorf("balance read before %s: %v, want 10", want.name, got)
		}
		a := send(t, s, want.call)
		if a.status != want.status {
			t.Fatalf("status %d, want %d; body %s", a.status, want.status, a.body)
		}
		name := ""
		if want.v2 {
			name, _ = a.v2Error(t)
		} else {
			name, _ = a.apiError(t)
		}
		if name != want.name {
			t.Errorf("name %q, want %q", name, want.name)
		}
	}
	if got := s.Balance(); got != 10 || s.Generations() != 0 {
		t.Errorf("after refusals: balance %v, %d generations; want 10, 0", got, s.Generations())
	}
	if a := send(t, s, v2Generate(t, "core", "", prompt)); a.status != http.StatusOK {
		t.Errorf("after the faults: status %d, want 200", a.status)
	}
}

// TestGenerationFaultsGoFirst checks that a generation takes its own fault before one queued
// earlier for any request, which is left for the next request.
func TestGenerationFaultsGoFirst(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.FailNext(http.StatusServiceUnavailable, "unavailable", "later")
	s.FailNextGeneration(http.StatusForbidden, "content_moderation", "flagged")
	if a := send(t, s, v2Generate(t, "ultra", "", prompt)); a.status != http.StatusForbidden {
		t.Errorf("generation: status %d, want 403", a.status)
	}
	if a := send(t, s, v2Generate(t, "ultra", "", prompt)); a.status != http.StatusServiceUnavailable {
		t.Errorf("next generation: status %d, want 503", a.status)
	}
	if a := send(t, s, v2Generate(t, "ultra", "", prompt)); a.status != http.StatusOK {
		t.Errorf("third generation: status %d, want 200", a.status)
	}
	if got := reportedBalance(t, s); got != 100-8 {
		t.Errorf("balance %v, want 92: one Ultra image", got)
	}
}

// TestFormIsRecorded checks that the text fields of a v2beta request are recorded, and that a
// v1 request has none.
func TestFormIsRecorded(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	send(t, s, v2Generate(t, "sd3", "image/*", prompt, field{"model", "sd3-medium"}, field{"cfg_scale", "4.5"}))
	send(t, s, generate(sized(1024, 1024)))
	reqs := s.Requests()
	want := map[string]string{"prompt": prompt.value, "model": "sd3-medium", "cfg_scale": "4.5"}
	if got := reqs[0].Form; !maps.Equal(got, want) {
		t.Errorf("Form = %v, want %v", got, want)
	}
	if reqs[1].Form != nil {
		t.Errorf("v1 request: Form = %v, want nil", reqs[1].Form)
	}
}

func v1(body string) func(*testing.T) call {
	return func(*testing.T) call { return generate(body) }
}

func reportedBalance(t *testing.T, s *dreamstudiotest.Server) float64 {
	t.Helper()
	a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"})
	var b struct{ Credits float64 }
	if err := json.Unmarshal(a.body, &b); err != nil {
		t.Fatalf("balance %s: %v", a.body, err)
	}
	return b.Credits
}
