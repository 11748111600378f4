package dreamstudio_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", dreamstudio.MaxPromptLength) // 2000 runes, 4000 bytes
	tests := []struct {
		name    string
		engine  string
		edit    func(r *dreamstudio.TextToImageRequest)
		field   string // "" when valid
		message string // part of the message
		valid   []string
	}{
		{"valid", sdxl, func(r *dreamstudio.TextToImageRequest) {}, "", "", nil},
		{"valid with everything", sdxl, func(r *dreamstudio.TextToImageRequest) {
			r.CfgScale, r.Steps, r.Seed, r.Sampler, r.StylePreset = ptr(35.0), 150, math.MaxUint32, "K_LMS", "tile-texture"
		}, "", "", nil},
		{"lowest cfg and steps", sdxl, func(r *dreamstudio.TextToImageRequest) { r.CfgScale, r.Steps = ptr(0.0), 10 }, "", "", nil},
		{"prompt of 2000 characters", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts[0].Text = long }, "", "", nil},
		{"no engine", " ", func(r *dreamstudio.TextToImageRequest) {}, dreamstudio.FieldEngine, "engine", nil},

		{"no prompts", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts = nil }, dreamstudio.FieldTextPrompts, "write a prompt", nil},
		{"blank prompt", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts[0].Text = " \t\n" }, dreamstudio.FieldTextPrompts, "the prompt is empty", nil},
		{"blank negative prompt", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts[1].Text = "" }, dreamstudio.FieldTextPrompts, "the negative prompt is empty", nil},
		{"prompt of 2001 characters", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts[0].Text = long + "x" }, dreamstudio.FieldTextPrompts, "2001 characters long; the limit is 2000", nil},
		{"only a negative prompt", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts = r.TextPrompts[1:] }, dreamstudio.FieldTextPrompts, "negative prompt only says what to avoid", nil},
		{"NaN weight", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts[0].Weight = math.NaN() }, dreamstudio.FieldTextPrompts, "weight", nil},
		{"infinite weight", sdxl, func(r *dreamstudio.TextToImageRequest) { r.TextPrompts[0].Weight = math.Inf(1) }, dreamstudio.FieldTextPrompts, "weight", nil},

		{"no size", sdxl, func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 0, 0 }, dreamstudio.FieldSize, "choose a size", sdxlSizes()},
		{"width not a multiple of 64", "some-new-engine", func(r *dreamstudio.TextToImageRequest) { r.Width = 1000 }, dreamstudio.FieldWidth, "width 1000 must be a multiple of 64", nil},
		{"height below 128", "some-new-engine", func(r *dreamstudio.TextToImageRequest) { r.Height = 64 }, dreamstudio.FieldHeight, "at least 128", nil},
		{"negative width", "some-new-engine", func(r *dreamstudio.TextToImageRequest) { r.Width = -1024 }, dreamstudio.FieldWidth, "", nil},
		{"unknown engine, generic rules only", "some-new-engine", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 128, 4096 }, "", "", nil},
		{"SDXL size not in the list", sdxl, func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 1024, 1088 },
			dreamstudio.FieldSize, "1024x1088 is not a size " + sdxl + " accepts; try one of: 1024x1024, 1152x896, 1216x832", sdxlSizes()},
		{"SDXL 0.9 too", "stable-diffusion-xl-1024-v0-9", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 512, 512 }, dreamstudio.FieldSize, "try one of", sdxlSizes()},
		{"SDXL beta both sides above 512", "stable-diffusion-xl-beta-v2-2-2", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 576, 576 }, dreamstudio.FieldSize, "512", nil},
		{"SDXL beta side above 896", "stable-diffusion-xl-beta-v2-2-2", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 960, 256 }, dreamstudio.FieldSize, "896", nil},
		{"SDXL beta 896x512", "stable-diffusion-xl-beta-v2-2-2", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 896, 512 }, "", "", nil},
		{"512 engine too few pixels", "stable-diffusion-512-v2-1", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 256, 512 }, dreamstudio.FieldSize, "131,072 pixels; it needs 262,144 to 1,048,576", nil},
		{"512 engine too many pixels", "stable-diffusion-v1-5", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 1024, 1088 }, dreamstudio.FieldSize, "1,114,112 pixels", nil},
		{"512 engine 1024x1024", "stable-diffusion-v1-5", func(r *dreamstudio.TextToImageRequest) {}, "", "", nil},
		{"768 engine too few pixels", "stable-diffusion-768-v2-1", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 512, 1088 }, dreamstudio.FieldSize, "557,056 pixels; it needs 589,824", nil},
		{"768 engine 1024x576", "stable-diffusion-768-v2-1", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 1024, 576 }, "", "", nil},
		{"SD 1.6 side below 320", "stable-diffusion-v1-6", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 256, 1024 }, dreamstudio.FieldSize, "320 to 1536", nil},
		{"SD 1.6 side above 1536", "stable-diffusion-v1-6", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 1600, 320 }, dreamstudio.FieldSize, "320 to 1536", nil},
		{"SD 1.6 1536x1536", "stable-diffusion-v1-6", func(r *dreamstudio.TextToImageRequest) { r.Width, r.Height = 1536, 1536 }, "", "", nil},

		{"cfg scale below 0", sdxl, func(r *dreamstudio.TextToImageRequest) { r.CfgScale = ptr(-0.5) }, dreamstudio.FieldCfgScale, "between 0 and 35", nil},
		{"cfg scale above 35", sdxl, func(r *dreamstudio.TextToImageRequest) { r.CfgScale = ptr(35.01) }, dreamstudio.FieldCfgScale, "between 0 and 35", nil},
		{"cfg scale NaN", sdxl, func(r *dreamstudio.TextToImageRequest) { r.CfgScale = ptr(math.NaN()) }, dreamstudio.FieldCfgScale, "", nil},
		{"steps below 10", sdxl, func(r *dreamstudio.TextToImageRequest) { r.Steps = 9 }, dreamstudio.FieldSteps, "9 steps is out of range; choose between 10 and 150", nil},
		{"steps above 150", sdxl, func(r *dreamstudio.TextToImageRequest) { r.Steps = 151 }, dreamstudio.FieldSteps, "between 10 and 150", nil},
		{"negative steps", sdxl, func(r *dreamstudio.TextToImageRequest) { r.Steps = -1 }, dreamstudio.FieldSteps, "", nil},
		{"unknown sampler", sdxl, func(r *dreamstudio.TextToImageRequest) { r.Sampler = "k_euler" }, dreamstudio.FieldSampler, `"k_euler" is not a sampler; try one of: DDIM, DDPM`, dreamstudio.Samplers()},
		{"unknown style", sdxl, func(r *dreamstudio.TextToImageRequest) { r.StylePreset = "oil-painting" }, dreamstudio.FieldStylePreset, `"oil-painting" is not a style`, dreamstudio.StylePresets()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := goodRequest()
			tt.edit(&r)
			err := r.Validate(tt.engine)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var verr *dreamstudio.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if verr.Field != tt.field {
				t.Errorf("Field = %q, want %q (message %q)", verr.Field, tt.field, verr.Message)
			}
			if !strings.Contains(verr.Message, tt.message) {
				t.Errorf("Message = %q, want it to contain %q", verr.Message, tt.message)
			}
			if tt.valid != nil && !slices.Equal(verr.Valid, tt.valid) {
				t.Errorf("Valid = %q, want %q", verr.Valid, tt.valid)
			}
			if !strings.HasPrefix(err.Error(), "dreamstudio: invalid "+tt.field+": ") {
				t.Errorf("Error() = %q", err)
			}
		})
	}
}

func TestPrompts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		prompt, negative string
		want             []dreamstudio.TextPrompt
	}{
		{"a cat", "", []dreamstudio.TextPrompt{{Text: "a cat", Weight: 1}}},
		{"a cat", "  ", []dreamstudio.TextPrompt{{Text: "a cat", Weight: 1}}},
		{"a cat", "dogs", []dreamstudio.TextPrompt{{Text: "a cat", Weight: 1}, {Text: "dogs", Weight: -1}}},
	}
	for _, tt := range tests {
		if got := dreamstudio.Prompts(tt.prompt, tt.negative); !slices.Equal(got, tt.want) {
			t.Errorf("Prompts(%q, %q) = %v, want %v", tt.prompt, tt.negative, got, tt.want)
		}
	}
}

func TestListsAreCopies(t *testing.T) {
	t.Parallel()
	dreamstudio.Samplers()[0] = "changed"
	dreamstudio.StylePresets()[0] = "changed"
	dreamstudio.Sizes(sdxl)[0] = dreamstudio.Size{}
	if dreamstudio.Samplers()[0] != "DDIM" || dreamstudio.StylePresets()[0] != "enhance" || dreamstudio.Sizes(sdxl)[0].Width != 1024 {
		t.Error("a caller changed a shared list")
	}
}

func sdxlSizes() []string {
	return []string{"1024x1024", "1152x896", "1216x832", "1344x768", "1536x640", "640x1536", "768x1344", "832x1216", "896x1152"}
}

// TestHugeSizesCannotWrapAround: sides whose product overflows int to a
// valid pixel count are refused, by the client and by the fake.
func TestHugeSizesCannotWrapAround(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		engine string
		size   dreamstudio.Size
	}{
		{"stable-diffusion-512-v2-1", dreamstudio.Size{Width: 1<<57 + 2048, Height: 128}},
		{"stable-diffusion-768-v2-1", dreamstudio.Size{Width: 144115188075860480, Height: 128}},
		{"stable-diffusion-v1-6", dreamstudio.Size{Width: 8192, Height: 512}},
	} {
		if err := dreamstudio.ValidateSize(tt.engine, tt.size); err == nil {
			t.Errorf("%s accepted %s", tt.engine, tt.size)
		}
		if name, _ := dreamstudiotest.RefusedSize(tt.engine, tt.size.Width, tt.size.Height); name == "" {
			t.Errorf("the fake accepts %s for %s", tt.size, tt.engine)
		}
	}
}
