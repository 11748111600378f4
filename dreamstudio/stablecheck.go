package dreamstudio

import (
	"fmt"
	"slices"
	"strings"
)

// check reports the first option of p the model does not take or would refuse.
func (m stableModel) check(p Params) error {
	if err := validatePrompts(Prompts(p.Prompt, p.NegativePrompt), MaxStableImagePrompt, m.Name); err != nil {
		return err
	}
	if p.NegativePrompt != "" && m.noNegative {
		return &ValidationError{Field: FieldTextPrompts,
			Message: m.Name + " ignores negative prompts; leave the negative prompt out or pick another model"}
	}
	if err := ValidateSize(m.ID, p.Size); err != nil {
		return err
	}
	if p.AspectRatio != "" && !slices.Contains(AspectRatios(), p.AspectRatio) {
		return ratioError(fmt.Sprintf("%q is not an aspect ratio %s makes", p.AspectRatio, m.Name))
	}
	if p.Steps != 0 {
		return m.doesNotTake(FieldSteps, "steps", "steps", "an SDXL engine")
	}
	if p.Sampler != "" {
		return m.doesNotTake(FieldSampler, "a sampler", "the sampler", "an SDXL engine")
	}
	if c := p.CfgScale; c != nil {
		if !m.takesCfgScale() {
			return m.doesNotTake(FieldCfgScale, "a cfg scale", "the cfg scale", "an SD 3 model or an SDXL engine")
		}
		if !(*c >= MinStableImageCfgScale && *c <= MaxStableImageCfgScale) {
			return &ValidationError{Field: FieldCfgScale, Message: fmt.Sprintf("%s takes a cfg scale between %g and %g",
				m.Name, MinStableImageCfgScale, MaxStableImageCfgScale)}
		}
	}
	if p.StylePreset != "" {
		styles := StylePresetsFor(m.ID)
		if len(styles) == 0 {
			return m.doesNotTake(FieldStylePreset, "a style", "the style", styledModels()+" or an SDXL engine")
		}
		if !slices.Contains(styles, p.StylePreset) {
			return &ValidationError{Field: FieldStylePreset, Valid: styles,
				Message: fmt.Sprintf("%q is not a style of %s; try one of: %s", p.StylePreset, m.Name, strings.Join(styles, ", "))}
		}
	}
	if p.Seed > MaxStableImageSeed {
		return &ValidationError{Field: FieldSeed,
			Message: fmt.Sprintf("seed %d is too large for %s; the largest is %d", p.Seed, m.Name, MaxStableImageSeed)}
	}
	return nil
}

// doesNotTake is the refusal of an option the model's operation does not have.
func (m stableModel) doesNotTake(field, what, which, instead string) *ValidationError {
	return &ValidationError{Field: field,
		Message: fmt.Sprintf("%s doesn't take %s; leave %s out or pick %s", m.Name, what, which, instead)}
}

// styledModels names the Stable Image models that take styles, for a refusal.
func styledModels() string {
	var names []string
	for _, m := range stableModels() {
		if len(StylePresetsFor(m.ID)) > 0 {
			names = append(names, m.Name)
		}
	}
	return strings.Join(names, ", ")
}

// ratioError names the aspect ratios to offer instead.
func ratioError(message string) *ValidationError {
	return &ValidationError{Field: FieldSize, Valid: AspectRatios(),
		Message: message + "; try one of: " + strings.Join(AspectRatios(), ", ")}
}
