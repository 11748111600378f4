package settings_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"dreambot/dreamstudio"
	"dreambot/settings"
)

func TestGuildAllows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		g               settings.Guild
		operatorDefault []string
		engine          string
		want            bool
	}{
		{"nothing configured", settings.Guild{}, nil, "a", true},
		{"operator default includes", settings.Guild{}, []string{"a"}, "a", true},
		{"operator default excludes", settings.Guild{}, []string{"a"}, "b", false},
		{"allow list overrides operator default", settings.Guild{AllowedEngines: []string{"b"}}, []string{"a"}, "b", true},
		{"allow list excludes", settings.Guild{AllowedEngines: []string{"b"}}, []string{"a"}, "a", false},
		{"blocked", settings.Guild{BlockedEngines: []string{"a"}}, nil, "a", false},
		{"blocked beats operator default", settings.Guild{BlockedEngines: []string{"a"}}, []string{"a"}, "a", false},
		{"block list alone leaves others", settings.Guild{BlockedEngines: []string{"a"}}, nil, "b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.g.Allows(tt.engine, tt.operatorDefault); got != tt.want {
				t.Errorf("Allows(%q, %v) = %v, want %v", tt.engine, tt.operatorDefault, got, tt.want)
			}
		})
	}
}

func TestGuildValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		g    settings.Guild
		want error // nil: valid
	}{
		{"zero", settings.Guild{}, nil},
		{"full", settings.Guild{
			AllowedEngines: []string{"a", "b"}, BlockedEngines: []string{"c"}, DefaultEngine: "a",
			PerUserImages: 5, PerUserEvery: time.Minute, DailyCredits: 50,
		}, nil},
		{"bad id", settings.Guild{AllowedEngines: []string{"a b"}}, settings.ErrInvalid},
		{"unsorted", settings.Guild{AllowedEngines: []string{"b", "a"}}, settings.ErrInvalid},
		{"duplicate", settings.Guild{BlockedEngines: []string{"a", "a"}}, settings.ErrInvalid},
		{"both lists", settings.Guild{AllowedEngines: []string{"a"}, BlockedEngines: []string{"a"}}, settings.ErrInvalid},
		{"default blocked", settings.Guild{BlockedEngines: []string{"a"}, DefaultEngine: "a"}, settings.ErrNotAllowed},
		{"default outside allow list", settings.Guild{AllowedEngines: []string{"a"}, DefaultEngine: "b"}, settings.ErrNotAllowed},
		{"rate half set", settings.Guild{PerUserImages: 3}, settings.ErrInvalid},
		{"daily budget", settings.Guild{DailyCredits: 12.5}, nil},
		{"negative daily budget", settings.Guild{DailyCredits: -1}, settings.ErrInvalid},
		{"daily budget too large", settings.Guild{DailyCredits: settings.MaxDailyCredits + 1}, settings.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.g.Validate()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestValidateEngineID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"stable-diffusion-xl-1024-v1-0", "esrgan-v1-x2plus", "A_b.1"} {
		if err := settings.ValidateEngineID(id); err != nil {
			t.Errorf("ValidateEngineID(%q) = %v, want nil", id, err)
		}
	}
	long := string(make([]byte, dreamstudio.MaxEngineIDLength+1))
	for _, id := range []string{"", "a b", "a/b", "é", "<@123>", long} {
		if err := settings.ValidateEngineID(id); !errors.Is(err, settings.ErrInvalid) {
			t.Errorf("ValidateEngineID(%q) = %v, want ErrInvalid", id, err)
		}
	}
}

func TestFeatures(t *testing.T) {
	t.Parallel()
	var g settings.Guild
	if !g.Enables(settings.FeatureVary, nil) || g.Enables(settings.FeatureVary, []string{settings.FeatureVary}) {
		t.Error("a feature is on unless the server or the operator turned it off")
	}
	for _, step := range []struct {
		feature string
		on      bool
		want    []string
		err     bool
	}{
		{settings.FeatureUpscale, false, []string{"upscale"}, false},
		{settings.FeatureCount, false, []string{"count", "upscale"}, false},
		{settings.FeatureUpscale, false, []string{"count", "upscale"}, false}, // twice off is off
		{settings.FeatureUpscale, true, []string{"count"}, false},
		{"teleport", false, []string{"count"}, true},
	} {
		err := g.SetFeature(step.feature, step.on)
		if (err != nil) != step.err || !slices.Equal(g.DisabledFeatures, step.want) {
			t.Errorf("SetFeature(%s, %v): %v, %v; want %v", step.feature, step.on, g.DisabledFeatures, err, step.want)
		}
		if err := g.Validate(); err != nil {
			t.Errorf("after SetFeature(%s, %v): %v", step.feature, step.on, err)
		}
	}
	if g.Enables(settings.FeatureCount, nil) || !g.Enables(settings.FeatureUpscale, nil) {
		t.Errorf("Enables with %v", g.DisabledFeatures)
	}
	bad := settings.Guild{DisabledFeatures: []string{"vary", "count"}}
	if err := bad.Validate(); err == nil {
		t.Error("an unsorted list passed Validate")
	}
}
