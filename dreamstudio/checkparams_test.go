package dreamstudio_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dreambot/dreamstudio"
)

// probe is one set of Params tried on a model, and the field CheckParams must refuse ("" to
// accept it).
type probe struct {
	name   string
	params dreamstudio.Params
	field  string
	valid  []string // the ValidationError's Valid, when it matters
}

// probesFor builds, from the description of the model's operation, the options the model must
// take and those it must refuse, so that a change in the description fails the test.
func probesFor(t *testing.T, id string, o v2Operation) []probe {
	t.Helper()
	with := func(edit func(p *dreamstudio.Params)) dreamstudio.Params {
		p := dreamstudio.Params{Prompt: "a lighthouse on a cliff"}
		edit(&p)
		return p
	}
	take := func(name string, edit func(p *dreamstudio.Params)) probe {
		return probe{name: name, params: with(edit)}
	}
	refuse := func(name, field string, edit func(p *dreamstudio.Params)) probe {
		return probe{name: name, params: with(edit), field: field}
	}
	props := o.Properties
	var probes []probe

	maxPrompt := *props["prompt"].MaxLength
	probes = append(probes,
		take("prompt at maxLength", func(p *dreamstudio.Params) { p.Prompt = strings.Repeat("é", maxPrompt) }),
		refuse("prompt over maxLength", dreamstudio.FieldTextPrompts, func(p *dreamstudio.Params) { p.Prompt = strings.Repeat("é", maxPrompt+1) }),
		refuse("no prompt", dreamstudio.FieldTextPrompts, func(p *dreamstudio.Params) { p.Prompt = "" }),
		refuse("blank prompt", dreamstudio.FieldTextPrompts, func(p *dreamstudio.Params) { p.Prompt = " \n" }),
		take("blank negative prompt is left out", func(p *dreamstudio.Params) { p.NegativePrompt = "  " }),
	)
	if neg, ok := props["negative_prompt"]; !ok || strings.Contains(neg.Description, "not** work with `"+id+"`") {
		probes = append(probes, refuse("negative prompt", dreamstudio.FieldTextPrompts, func(p *dreamstudio.Params) { p.NegativePrompt = "fog" }))
	} else {
		probes = append(probes,
			take("negative prompt at maxLength", func(p *dreamstudio.Params) { p.NegativePrompt = strings.Repeat("é", *neg.MaxLength) }),
			refuse("negative prompt over maxLength", dreamstudio.FieldTextPrompts, func(p *dreamstudio.Params) { p.NegativePrompt = strings.Repeat("é", *neg.MaxLength+1) }))
	}

	for _, ar := range props["aspect_ratio"].Enum {
		probes = append(probes, take("aspect ratio "+ar, func(p *dreamstudio.Params) { p.AspectRatio = ar }))
	}
	ratios := dreamstudio.AspectRatios()
	probes = append(probes,
		probe{name: "aspect ratio 4:3", params: with(func(p *dreamstudio.Params) { p.AspectRatio = "4:3" }), field: dreamstudio.FieldSize, valid: ratios},
		probe{name: "a size in pixels", params: with(func(p *dreamstudio.Params) { p.Size = dreamstudio.Size{Width: 1024, Height: 1024} }), field: dreamstudio.FieldSize, valid: ratios},
	)

	seedMax := uint32(*props["seed"].Maximum)
	probes = append(probes,
		take("largest seed", func(p *dreamstudio.Params) { p.Seed = seedMax }),
		refuse("seed over the maximum", dreamstudio.FieldSeed, func(p *dreamstudio.Params) { p.Seed = seedMax + 1 }))

	if styles, ok := props["style_preset"]; ok {
		for _, s := range styles.Enum {
			probes = append(probes, take("style "+s, func(p *dreamstudio.Params) { p.StylePreset = s }))
		}
		probes = append(probes, probe{name: "unknown style", params: with(func(p *dreamstudio.Params) { p.StylePreset = "oil-painting" }),
			field: dreamstudio.FieldStylePreset, valid: styles.Enum})
	} else {
		probes = append(probes, refuse("style", dreamstudio.FieldStylePreset, func(p *dreamstudio.Params) { p.StylePreset = "anime" }))
	}

	if cfg, ok := props["cfg_scale"]; ok {
		lo, hi := *cfg.Minimum, *cfg.Maximum
		probes = append(probes,
			take("lowest cfg scale", func(p *dreamstudio.Params) { p.CfgScale = ptr(lo) }),
			take("highest cfg scale", func(p *dreamstudio.Params) { p.CfgScale = ptr(hi) }),
			refuse("cfg scale below the minimum", dreamstudio.FieldCfgScale, func(p *dreamstudio.Params) { p.CfgScale = ptr(lo - 0.01) }),
			refuse("cfg scale above the maximum", dreamstudio.FieldCfgScale, func(p *dreamstudio.Params) { p.CfgScale = ptr(hi + 0.01) }))
	} else {
		probes = append(probes, refuse("cfg scale", dreamstudio.FieldCfgScale, func(p *dreamstudio.Params) { p.CfgScale = ptr(5.0) }))
	}

	// v1's options have no field in any generate operation.
	for _, field := range []string{"steps", "sampler"} {
		if _, ok := props[field]; ok {
			t.Fatalf("the description gives %s a %s field: the client must learn to send it", id, field)
		}
	}
	return append(probes,
		refuse("steps", dreamstudio.FieldSteps, func(p *dreamstudio.Params) { p.Steps = 30 }),
		refuse("sampler", dreamstudio.FieldSampler, func(p *dreamstudio.Params) { p.Sampler = "K_EULER" }))
}

// TestCheckParamsFollowsTheDescription tries every option on every Stable Image model.
func TestCheckParamsFollowsTheDescription(t *testing.T) {
	t.Parallel()
	ops := v2Operations(t)
	for _, m := range dreamstudio.StableImageModels() {
		for _, pr := range probesFor(t, m.ID, ops[operationOf(m.ID)]) {
			t.Run(m.ID+"/"+pr.name, func(t *testing.T) {
				t.Parallel()
				checked, err := dreamstudio.CheckParams(m.ID, pr.params)
				if pr.field == "" {
					if err != nil {
						t.Fatalf("CheckParams = %v, want it accepted", err)
					}
					if checked.Engine() != m.ID {
						t.Errorf("Engine() = %q", checked.Engine())
					}
					return
				}
				var verr *dreamstudio.ValidationError
				if !errors.As(err, &verr) {
					t.Fatalf("CheckParams = %v, want a *ValidationError for %s", err, pr.field)
				}
				if verr.Field != pr.field {
					t.Errorf("Field = %q, want %q (message %q)", verr.Field, pr.field, verr.Message)
				}
				if pr.valid != nil && !slices.Equal(verr.Valid, pr.valid) {
					t.Errorf("Valid = %q, want %q", verr.Valid, pr.valid)
				}
				if pr.params.Prompt != "" && strings.TrimSpace(pr.params.Prompt) != "" && !strings.Contains(verr.Message, m.Name) {
					t.Errorf("Message %q does not name %s", verr.Message, m.Name)
				}
			})
		}
	}
}

func TestCheckParamsMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		engine string
		edit   func(p *dreamstudio.Params)
		want   string
	}{
		{"core", func(p *dreamstudio.Params) { p.Steps = 40 }, "Stable Image Core doesn't take steps; leave steps out or pick an SDXL engine"},
		{"ultra", func(p *dreamstudio.Params) { p.Sampler = "DDIM" }, "Stable Image Ultra doesn't take a sampler; leave the sampler out or pick an SDXL engine"},
		{"core", func(p *dreamstudio.Params) { p.CfgScale = ptr(7.0) }, "Stable Image Core doesn't take a cfg scale; leave the cfg scale out or pick an SD 3 model or an SDXL engine"},
		{"sd3.5-medium", func(p *dreamstudio.Params) { p.CfgScale = ptr(0.0) }, "SD 3.5 Medium takes a cfg scale between 1 and 10"},
		{"sd3.5-large", func(p *dreamstudio.Params) { p.StylePreset = "anime" }, "SD 3.5 Large doesn't take a style; leave the style out or pick Stable Image Core or an SDXL engine"},
		{"core", func(p *dreamstudio.Params) { p.StylePreset = "oil" }, `"oil" is not a style of Stable Image Core; try one of: enhance, anime, `},
		{"ultra", func(p *dreamstudio.Params) { p.AspectRatio = "4:3" }, `"4:3" is not an aspect ratio Stable Image Ultra makes; try one of: 1:1, 21:9, 16:9, 3:2, 5:4, 4:5, 2:3, 9:16, 9:21`},
		{"core", func(p *dreamstudio.Params) { p.Size = dreamstudio.Size{Width: 1024, Height: 1024} }, "Stable Image Core takes an aspect ratio, not a size in pixels; try one of: 1:1, "},
		{"sd3-large-turbo", func(p *dreamstudio.Params) { p.NegativePrompt = "fog" }, "SD 3 Large Turbo ignores negative prompts; leave the negative prompt out or pick another model"},
		{"ultra", func(p *dreamstudio.Params) { p.Seed = 4294967295 }, "seed 4294967295 is too large for Stable Image Ultra; the largest is 4294967294"},
		{"ultra", func(p *dreamstudio.Params) { p.Prompt = strings.Repeat("a", 10001) }, "the prompt is 10001 characters long; the limit is 10000 for Stable Image Ultra"},
		{"ultra", func(p *dreamstudio.Params) { p.Prompt = "" }, "the prompt is empty"},
		{sdxl, func(p *dreamstudio.Params) { p.Prompt = "" }, "the prompt is empty"},
		{sdxl, func(p *dreamstudio.Params) { p.AspectRatio = "16:9" }, sdxl + " takes a size in pixels, not an aspect ratio; try one of: 1024x1024, 1152x896, "},
		{sdxl, func(p *dreamstudio.Params) { p.Size = dreamstudio.Size{} }, "choose a size; try one of: 1024x1024"},
		{sdxl, func(p *dreamstudio.Params) { p.Prompt = strings.Repeat("a", 2001) }, "the prompt is 2001 characters long; the limit is 2000"},
		{"", func(p *dreamstudio.Params) {}, "choose an engine"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			p := dreamstudio.Params{Prompt: "a lighthouse", Size: dreamstudio.Size{Width: 1024, Height: 1024}}
			if dreamstudio.IsStableImage(tt.engine) {
				p.Size = dreamstudio.Size{}
			}
			tt.edit(&p)
			_, err := dreamstudio.CheckParams(tt.engine, p)
			var verr *dreamstudio.ValidationError
			if !errors.As(err, &verr) || !strings.HasPrefix(verr.Message, tt.want) {
				t.Errorf("CheckParams(%q) = %v, want a message starting %q", tt.engine, err, tt.want)
			}
		})
	}
}

// TestCheckParamsForV1IsCheck checks that a v1 engine's Params become the request Check checks.
func TestCheckParamsForV1IsCheck(t *testing.T) {
	t.Parallel()
	full := dreamstudio.Params{
		Prompt: "a lighthouse", NegativePrompt: "fog", Size: dreamstudio.Size{Width: 1344, Height: 768},
		Seed: 4294967295, Steps: 30, CfgScale: ptr(0.0), Sampler: "K_EULER", StylePreset: "anime",
	}
	tests := []struct {
		name string
		p    dreamstudio.Params
	}{
		{"every option", full},
		{"prompt and size only", dreamstudio.Params{Prompt: "a cat", Size: dreamstudio.Size{Width: 1024, Height: 1024}}},
		{"blank negative prompt", dreamstudio.Params{Prompt: "a cat", NegativePrompt: " ", Size: dreamstudio.Size{Width: 1024, Height: 1024}}},
		{"steps out of range", func() dreamstudio.Params { p := full; p.Steps = 9; return p }()},
		{"cfg scale out of range", func() dreamstudio.Params { p := full; p.CfgScale = ptr(36.0); return p }()},
		{"style of no model", func() dreamstudio.Params { p := full; p.StylePreset = "oil"; return p }()},
		{"size SDXL refuses", func() dreamstudio.Params { p := full; p.Size = dreamstudio.Size{Width: 512, Height: 512}; return p }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, gotErr := dreamstudio.CheckParams(sdxl, tt.p)
			want, wantErr := dreamstudio.Check(sdxl, dreamstudio.TextToImageRequest{
				TextPrompts: dreamstudio.Prompts(tt.p.Prompt, tt.p.NegativePrompt),
				Width:       tt.p.Size.Width, Height: tt.p.Size.Height,
				CfgScale: tt.p.CfgScale, Sampler: tt.p.Sampler, Seed: tt.p.Seed, Steps: tt.p.Steps, StylePreset: tt.p.StylePreset,
			})
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("CheckParams error %v, Check error %v", gotErr, wantErr)
			}
			if wantErr != nil {
				return
			}
			// DeepEqual compares the cfg scales' values, not their addresses.
			if !reflect.DeepEqual(got.Request(), want.Request()) {
				t.Errorf("request %+v, want %+v", got.Request(), want.Request())
			}
			if strings.TrimSpace(tt.p.NegativePrompt) == "" {
				tt.p.NegativePrompt = ""
			}
			if !reflect.DeepEqual(got.Params(), tt.p) {
				t.Errorf("Params() = %+v, want %+v", got.Params(), tt.p)
			}
		})
	}
}

func TestCheckRefusesStableImageModels(t *testing.T) {
	t.Parallel()
	for _, m := range dreamstudio.StableImageModels() {
		_, err := dreamstudio.Check(m.ID, goodRequest())
		var verr *dreamstudio.ValidationError
		if !errors.As(err, &verr) || verr.Field != dreamstudio.FieldEngine || !strings.Contains(verr.Message, "CheckParams") {
			t.Errorf("Check(%q) = %v, want a ValidationError pointing to CheckParams", m.ID, err)
		}
		if err := dreamstudio.ValidateSize(m.ID, dreamstudio.Size{}); err != nil {
			t.Errorf("ValidateSize(%q, 0x0) = %v, want nil", m.ID, err)
		}
	}
}
