package dreamstudio

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Fields a ValidationError can name: the v1 API's JSON names, plus FieldSize for width and height
// together (or a Stable Image model's aspect ratio) and FieldEngine for the engine id. CheckParams
// names the prompt and negative prompt FieldTextPrompts for both kinds of model.
const (
	FieldEngine      = "engine"
	FieldTextPrompts = "text_prompts"
	FieldWidth       = "width"
	FieldHeight      = "height"
	FieldSize        = "size"
	FieldCfgScale    = "cfg_scale"
	FieldSteps       = "steps"
	FieldSampler     = "sampler"
	FieldStylePreset = "style_preset"
	FieldSeed        = "seed"
	// FieldStrength is Init.Keep, which members know as the strength.
	FieldStrength = "strength"
	// FieldMode is an upscale's mode.
	FieldMode = "mode"
)

// ValidationError is a request the API would refuse, found before sending it. Message is written
// for the person who chose the value and can be shown as is.
type ValidationError struct {
	Field   string
	Message string
	// Valid lists choices that would be accepted: all of them where there are few (the SDXL
	// sizes, the aspect ratios, samplers, styles), common ones for engines whose sizes follow a
	// pixel-count rule.
	Valid []string
}

func (e *ValidationError) Error() string {
	return "dreamstudio: invalid " + e.Field + ": " + e.Message
}

// Validate reports the first problem that would make the API refuse r for engineID, as a
// *ValidationError, or nil. Engines it does not know get only the rules common to all engines.
func (r TextToImageRequest) Validate(engineID string) error {
	if err := ValidateEngineID(engineID); err != nil {
		return err
	}
	if IsStableImage(engineID) {
		return &ValidationError{Field: FieldEngine,
			Message: engineID + " is a Stable Image model, not a v1 engine: check its request with CheckParams"}
	}
	if err := validatePrompts(r.TextPrompts, MaxPromptLength, ""); err != nil {
		return err
	}
	if err := ValidateSize(engineID, Size{r.Width, r.Height}); err != nil {
		return err
	}
	if c := r.CfgScale; c != nil && !(*c >= MinCfgScale && *c <= MaxCfgScale) {
		return &ValidationError{Field: FieldCfgScale,
			Message: fmt.Sprintf("cfg scale must be between %g and %g", MinCfgScale, MaxCfgScale)}
	}
	if r.Steps != 0 && (r.Steps < MinSteps || r.Steps > MaxSteps) {
		return &ValidationError{Field: FieldSteps,
			Message: fmt.Sprintf("%d steps is out of range; choose between %d and %d", r.Steps, MinSteps, MaxSteps)}
	}
	if r.Sampler != "" && !slices.Contains(Samplers(), r.Sampler) {
		return &ValidationError{Field: FieldSampler, Valid: Samplers(),
			Message: fmt.Sprintf("%q is not a sampler; try one of: %s", r.Sampler, strings.Join(Samplers(), ", "))}
	}
	if r.StylePreset != "" && !slices.Contains(StylePresets(), r.StylePreset) {
		return &ValidationError{Field: FieldStylePreset, Valid: StylePresets(),
			Message: fmt.Sprintf("%q is not a style; try one of: %s", r.StylePreset, strings.Join(StylePresets(), ", "))}
	}
	return nil
}

// validatePrompts checks prompts of at most limit characters each; model, when not "", is named
// with the limit, which differs by model.
func validatePrompts(prompts []TextPrompt, limit int, model string) error {
	if len(prompts) == 0 {
		return &ValidationError{Field: FieldTextPrompts, Message: "write a prompt describing the image you want"}
	}
	positive := false
	for _, p := range prompts {
		what := "the prompt"
		if p.Weight < 0 {
			what = "the negative prompt"
		}
		if strings.TrimSpace(p.Text) == "" {
			return &ValidationError{Field: FieldTextPrompts, Message: what + " is empty"}
		}
		if n := utf8.RuneCountInString(p.Text); n > limit {
			return &ValidationError{Field: FieldTextPrompts,
				Message: fmt.Sprintf("%s is %d characters long; the limit is %d", what, n, limit) + forModel(model)}
		}
		if math.IsNaN(p.Weight) || math.IsInf(p.Weight, 0) {
			return &ValidationError{Field: FieldTextPrompts, Message: "a prompt weight must be a number"}
		}
		positive = positive || p.Weight >= 0
	}
	if !positive {
		return &ValidationError{Field: FieldTextPrompts,
			Message: "a negative prompt only says what to avoid; add a prompt describing the image you want"}
	}
	return nil
}

// ValidateSize reports, as a *ValidationError, why engineID would refuse size, or returns nil. A
// Stable Image model takes an aspect ratio instead, so it refuses every size but the zero Size.
func ValidateSize(engineID string, size Size) error {
	if m, ok := stableModelOf(engineID); ok {
		if size == (Size{}) {
			return nil
		}
		return ratioError(m.Name + " takes an aspect ratio, not a size in pixels")
	}
	if size.Width == 0 || size.Height == 0 {
		return sizeError(engineID, "choose a size")
	}
	for _, side := range []struct {
		field string
		n     int
	}{{FieldWidth, size.Width}, {FieldHeight, size.Height}} {
		if side.n < MinSide || side.n > MaxSide || side.n%SideStep != 0 {
			// Bounding each side also keeps width*height from overflowing.
			e := sizeError(engineID, fmt.Sprintf("%s %d must be a multiple of %d, at least %d and at most %d",
				side.field, side.n, SideStep, MinSide, MaxSide))
			e.Field = side.field
			return e
		}
	}
	refused := fmt.Sprintf("%s is not a size %s accepts", size, engineID)
	f := familyOf(engineID)
	switch f {
	case familySDXL:
		if !slices.Contains(sdxlSizes(), size) {
			return sizeError(engineID, refused)
		}
	case familySDXLBeta:
		if size.Width > 896 || size.Height > 896 || (size.Width > 512 && size.Height > 512) {
			return sizeError(engineID, refused+" (at most 896 on one side and 512 on the other)")
		}
	case familySD16:
		if size.Width < 320 || size.Height < 320 || size.Width > 1536 || size.Height > 1536 {
			return sizeError(engineID, refused+" (each side from 320 to 1536)")
		}
	case family512, family768:
		lo, hi, _ := f.pixelRange()
		if px := size.Width * size.Height; px < lo || px > hi {
			return sizeError(engineID, fmt.Sprintf("%s (%s pixels; it needs %s to %s)",
				refused, groupDigits(px), groupDigits(lo), groupDigits(hi)))
		}
	}
	return nil
}

// sizeError names the sizes to offer instead.
func sizeError(engineID, message string) *ValidationError {
	valid := sizeStrings(Sizes(engineID))
	lead := "; try one of: "
	if familyOf(engineID) != familySDXL {
		lead = "; try for example: "
	}
	return &ValidationError{Field: FieldSize, Valid: valid, Message: message + lead + strings.Join(valid, ", ")}
}

func forModel(name string) string {
	if name == "" {
		return ""
	}
	return " for " + name
}

// groupDigits formats n with thousands separators: 1048576 -> "1,048,576".
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
