package dreamstudio

import "slices"

// Limits of the Stable Image (v2beta) text-to-image operations, from the v2beta description.
const (
	// MaxStableImagePrompt is the most characters (runes) a prompt or negative prompt may have.
	MaxStableImagePrompt = 10000
	// MaxStableImageSeed is the largest seed, one short of v1's; 0 asks for a random one.
	MaxStableImageSeed = 4294967294
	// The cfg scale range of the sd3 operation; Ultra and Core take no cfg scale.
	MinStableImageCfgScale = 1.0
	MaxStableImageCfgScale = 10.0
)

// The generate operations of the v2beta API, under v2beta/stable-image/generate/.
const (
	opUltra = "ultra"
	opCore  = "core"
	opSD3   = "sd3"
)

// stableModel is a Stable Image model and how to ask for it. The v2beta API lists no engines, so
// the models are known here, by ids of the bot's own that match the sd3 operation's model names.
type stableModel struct {
	Engine
	op      string  // the generate operation: opUltra, opCore or opSD3
	model   string  // the sd3 operation's model field; "" for the others
	credits float64 // the price the description documents for a successful image
	// noNegative marks the model the description says ignores negative_prompt.
	noNegative bool
}

// stableModels returns the Stable Image models, best first. Their prices are those of the
// description (Ultra and Core in their operations' text, sd3 per model in the model field's).
func stableModels() []stableModel {
	picture := func(id, name, description string) Engine {
		return Engine{ID: id, Name: name, Description: description, Type: "PICTURE"}
	}
	return []stableModel{
		{Engine: picture("ultra", "Stable Image Ultra",
			"Stability's most advanced model, strong at typography, complex scenes and lighting."),
			op: opUltra, credits: 8},
		{Engine: picture("core", "Stable Image Core",
			"Good images at high speed with no prompt engineering, and style presets."),
			op: opCore, credits: 3},
		{Engine: picture("sd3.5-large", "SD 3.5 Large",
			"Stable Diffusion 3.5 Large, the most powerful Stable Diffusion model."),
			op: opSD3, model: "sd3.5-large", credits: 6.5},
		{Engine: picture("sd3.5-large-turbo", "SD 3.5 Large Turbo",
			"A distilled SD 3.5 Large that needs only four steps, so much faster."),
			op: opSD3, model: "sd3.5-large-turbo", credits: 4},
		{Engine: picture("sd3.5-medium", "SD 3.5 Medium",
			"Stable Diffusion 3.5 Medium, balancing prompt accuracy, quality and speed."),
			op: opSD3, model: "sd3.5-medium", credits: 3.5},
		{Engine: picture("sd3-large", "SD 3 Large",
			"Stable Diffusion 3 Large, the 8 billion parameter model."),
			op: opSD3, model: "sd3-large", credits: 6.5},
		{Engine: picture("sd3-large-turbo", "SD 3 Large Turbo",
			"Stable Diffusion 3 Large made faster; it ignores negative prompts."),
			op: opSD3, model: "sd3-large-turbo", credits: 4, noNegative: true},
		{Engine: picture("sd3-medium", "SD 3 Medium",
			"Stable Diffusion 3 Medium, the 2 billion parameter model."),
			op: opSD3, model: "sd3-medium", credits: 3.5},
	}
}

func stableModelOf(engineID string) (stableModel, bool) {
	i := slices.IndexFunc(stableModels(), func(m stableModel) bool { return m.ID == engineID })
	if i < 0 {
		return stableModel{}, false
	}
	return stableModels()[i], true
}

// StableImageModels returns the Stable Image models as engines (Type "PICTURE"), best first.
// They are offered beside the v1 engine list, which does not include them.
func StableImageModels() []Engine {
	var out []Engine
	for _, m := range stableModels() {
		out = append(out, m.Engine)
	}
	return out
}

// IsStableImage reports whether engineID is one of StableImageModels.
func IsStableImage(engineID string) bool {
	_, ok := stableModelOf(engineID)
	return ok
}

// AspectRatios returns the aspect ratios the Stable Image models make: the API's default 1:1
// first, then the description's order.
func AspectRatios() []string {
	return []string{"1:1", "21:9", "16:9", "3:2", "5:4", "4:5", "2:3", "9:16", "9:21"}
}

// StylePresetsFor returns the style presets engineID takes: StylePresets for a v1 engine, Core's
// for Stable Image Core, none for the other Stable Image models.
func StylePresetsFor(engineID string) []string {
	m, ok := stableModelOf(engineID)
	if !ok || m.op == opCore {
		// Core's enum is v1's list, in the same order; a test holds it to the description.
		return StylePresets()
	}
	return nil
}

// AllStylePresets returns every style some model takes, v1's first, each once: the choices to
// offer before the model is known.
func AllStylePresets() []string {
	out := StylePresets()
	for _, m := range stableModels() {
		for _, s := range StylePresetsFor(m.ID) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// takesCfgScale reports whether the model's operation has a cfg_scale field.
func (m stableModel) takesCfgScale() bool { return m.op == opSD3 }

// pictures returns the sizes of picture the model's operation starts from, and false when it
// takes none (Core). The numbers are the image field's "Validation Rules" in the description.
func (m stableModel) pictures() (pictureBounds, bool) {
	switch m.op {
	case opUltra:
		return pictureBounds{minSide: 64, maxSide: 16384, minPixels: 4096}, true
	case opSD3:
		return pictureBounds{minSide: 64}, true
	}
	return pictureBounds{}, false
}
