package dreamstudio

import "strings"

// Params is what a member can ask of any model, v1 engine or Stable Image model. Zero values
// leave the choice to the API, except Size, which a v1 engine needs (callers fill DefaultSize
// where the engine has sizes). Its JSON form is stored with queued jobs, so its tags are stable.
type Params struct {
	Prompt         string `json:"prompt"`
	NegativePrompt string `json:"negative_prompt,omitempty"`
	// Size is for v1 engines; a Stable Image model refuses any but the zero Size.
	Size Size `json:"size,omitzero"`
	// AspectRatio is for Stable Image models (see AspectRatios); "" means the API's 1:1.
	AspectRatio string `json:"aspect_ratio,omitempty"`
	// Seed 0 asks for a random seed.
	Seed uint32 `json:"seed,omitempty"`
	// Steps is for v1 engines; 0 means the API's default.
	Steps int `json:"steps,omitempty"`
	// CfgScale is a pointer because 0 is a valid v1 scale: v1 takes 0 to 35, the sd3 models 1
	// to 10, Ultra and Core none.
	CfgScale *float64 `json:"cfg_scale,omitempty"`
	// Sampler is for v1 engines.
	Sampler string `json:"sampler,omitempty"`
	// StylePreset is one of StylePresetsFor the model.
	StylePreset string `json:"style_preset,omitempty"`
	// Init, when set, starts the image from a picture (see ImageToImage): a v1 engine's Size
	// must be the picture's, a Stable Image model's AspectRatio empty.
	Init *Init `json:"init,omitempty"`
}

// CheckParams checks p for the model engineID, of either kind, and returns it checked, or a
// *ValidationError whose Message can be shown to the member as is: for every option the model
// does not take or would refuse. A v1 engine's request is the one Check checks: the prompt and
// negative prompt become Prompts, and a blank negative prompt is left out for both kinds. With an
// Init, the picture's size must be one the model starts from (see ImageToImage), and its Keep
// within 0..1 (FieldStrength); the price is that of text-to-image.
func CheckParams(engineID string, p Params) (Checked, error) {
	if err := ValidateEngineID(engineID); err != nil {
		return Checked{}, err
	}
	if strings.TrimSpace(p.NegativePrompt) == "" {
		p.NegativePrompt = ""
	}
	p.CfgScale = clonePtr(p.CfgScale)
	start := clonePtr(p.Init)
	p.Init = nil
	if start != nil {
		if err := checkInit(engineID, p, *start); err != nil {
			return Checked{}, err
		}
	}
	m, ok := stableModelOf(engineID)
	if !ok {
		if p.AspectRatio != "" {
			return Checked{}, sizeError(engineID, engineID+" takes a size in pixels, not an aspect ratio")
		}
		checked, err := Check(engineID, p.request())
		if err != nil {
			return Checked{}, err
		}
		checked.init = start
		return checked, nil
	}
	if err := m.check(p); err != nil {
		return Checked{}, err
	}
	return Checked{engine: engineID, params: p, init: start}, nil
}

// request is p as a v1 request.
func (p Params) request() TextToImageRequest {
	return TextToImageRequest{
		TextPrompts: Prompts(p.Prompt, p.NegativePrompt),
		Width:       p.Size.Width,
		Height:      p.Size.Height,
		CfgScale:    p.CfgScale,
		Sampler:     p.Sampler,
		Seed:        p.Seed,
		Steps:       p.Steps,
		StylePreset: p.StylePreset,
	}
}

// paramsOf is the Params of a v1 request: its first prompt and first negative prompt.
func paramsOf(r TextToImageRequest) Params {
	p := Params{
		Size:        Size{r.Width, r.Height},
		Seed:        r.Seed,
		Steps:       r.Steps,
		CfgScale:    clonePtr(r.CfgScale),
		Sampler:     r.Sampler,
		StylePreset: r.StylePreset,
	}
	for _, tp := range r.TextPrompts {
		switch {
		case tp.Weight < 0 && p.NegativePrompt == "":
			p.NegativePrompt = tp.Text
		case tp.Weight >= 0 && p.Prompt == "":
			p.Prompt = tp.Text
		}
	}
	return p
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
