package settings_test

import (
	"errors"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/settings"
)

func TestChooseEngine(t *testing.T) {
	t.Parallel()
	pic := func(id, name string) dreamstudio.Engine {
		return dreamstudio.Engine{ID: id, Name: name, Type: "PICTURE"}
	}
	sdxl, sd16, beta := pic("stable-diffusion-xl-1024-v1-0", "SDXL 1.0"), pic("stable-diffusion-v1-6", "SD 1.6"), pic("sdxl-beta", "SDXL Beta")
	upscaler := dreamstudio.Engine{ID: "esrgan-v1-x2plus", Name: "Real-ESRGAN x2", Type: "PICTURE_UPSCALE"}
	offered := []dreamstudio.Engine{beta, sd16, upscaler, sdxl}
	preferred := []string{sdxl.ID, sd16.ID}
	withModels := append([]dreamstudio.Engine{sdxl}, dreamstudio.StableImageModels()...)
	tests := []struct {
		name    string
		g       settings.Guild
		op      settings.Operator
		offered []dreamstudio.Engine
		asked   string
		want    string // engine id, or the start of the error message
	}{
		{"preferred default", settings.Guild{}, settings.Operator{Preferred: preferred}, offered, "", sdxl.ID},
		{"operator default", settings.Guild{}, settings.Operator{DefaultEngine: beta.ID, Preferred: preferred}, offered, "", beta.ID},
		{"server default wins", settings.Guild{DefaultEngine: sd16.ID}, settings.Operator{DefaultEngine: beta.ID}, offered, "", sd16.ID},
		{"default not allowed falls back", settings.Guild{BlockedEngines: []string{sdxl.ID}}, settings.Operator{Preferred: preferred}, offered, "", sd16.ID},
		{"first allowed without preference", settings.Guild{}, settings.Operator{}, offered, "", beta.ID},
		{"asked by id", settings.Guild{}, settings.Operator{}, offered, sd16.ID, sd16.ID},
		{"asked by name, any case", settings.Guild{}, settings.Operator{}, offered, "  sdxl 1.0 ", sdxl.ID},
		{"asked, not offered", settings.Guild{}, settings.Operator{}, offered, "stable-diffusion-512-v2-1", `"stable-diffusion-512-v2-1" isn't an engine`},
		{"asked, blocked here", settings.Guild{BlockedEngines: []string{beta.ID}}, settings.Operator{}, offered, beta.ID, "SDXL Beta isn't allowed here"},
		{"asked, outside the operator's list", settings.Guild{}, settings.Operator{AllowedEngines: []string{sdxl.ID}}, offered, sd16.ID, "SD 1.6 isn't allowed here"},
		{"server list widens nothing it blocks", settings.Guild{AllowedEngines: []string{sd16.ID}}, settings.Operator{AllowedEngines: []string{sdxl.ID}}, offered, sd16.ID, sd16.ID},
		{"an upscaler is no picture engine", settings.Guild{}, settings.Operator{}, offered, upscaler.ID, "Real-ESRGAN x2 isn't allowed here"},
		{"nothing allowed", settings.Guild{AllowedEngines: []string{"gone"}}, settings.Operator{}, offered, "", "No image engine is available"},
		{"nothing offered", settings.Guild{}, settings.Operator{Preferred: preferred}, nil, "", "No image engine is available"},
		// Stable Image models are engines like the others, with a price the operator may cap.
		{"a model asked by id", settings.Guild{}, settings.Operator{}, withModels, "core", "core"},
		{"a model asked by name", settings.Guild{}, settings.Operator{}, withModels, "stable image ultra", "ultra"},
		{"only Core allowed", settings.Guild{AllowedEngines: []string{"core"}}, settings.Operator{}, withModels, "ultra", "Stable Image Ultra isn't allowed here. You can use: Stable Image Core"},
		{"only Core allowed: the default", settings.Guild{AllowedEngines: []string{"core"}}, settings.Operator{Preferred: preferred}, withModels, "", "core"},
		{"over the ceiling", settings.Guild{}, settings.Operator{MaxCredits: 5}, withModels, "ultra", "Stable Image Ultra would cost 8 credits an image, more than this bot allows (5 credits). You can use:"},
		{"within the ceiling", settings.Guild{}, settings.Operator{MaxCredits: 5}, withModels, "sd3.5-medium", "sd3.5-medium"},
		{"exactly the ceiling", settings.Guild{}, settings.Operator{MaxCredits: 3}, withModels, "core", "core"},
		{"blocked and over the ceiling: blocked says it", settings.Guild{BlockedEngines: []string{"ultra"}}, settings.Operator{MaxCredits: 5}, withModels, "ultra", "Stable Image Ultra isn't allowed here"},
		{"the ceiling hides the default", settings.Guild{DefaultEngine: "ultra"}, settings.Operator{MaxCredits: 5}, dreamstudio.StableImageModels(), "", "core"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := settings.ChooseEngine(tt.g, tt.op, tt.offered, tt.asked)
			var ee *settings.EngineError
			switch {
			case err == nil && e.ID != tt.want:
				t.Errorf("chose %s, want %s", e.ID, tt.want)
			case err != nil && !errors.As(err, &ee):
				t.Errorf("error %v is not an *EngineError", err)
			case err != nil && !strings.HasPrefix(err.Error(), tt.want):
				t.Errorf("error %q, want one starting %q", err, tt.want)
			}
		})
	}
}
