package dreamstudio

// Limits of a text-to-image request, from the API description. Callers can declare their own
// inputs (option ranges, choices) from them.
const (
	// MaxPromptLength is the most characters (runes) a prompt's text may have.
	MaxPromptLength = 2000

	// MinSide is the smallest width or height; every side is a multiple of SideStep.
	MinSide  = 128
	SideStep = 64
	// MaxSide bounds a side where the description sets no maximum. No v1
	// engine makes sides above 1536; the bound keeps width*height exact.
	MaxSide = 4096

	MinSteps     = 10
	MaxSteps     = 150
	DefaultSteps = 50 // what the API uses when Steps is 0

	MinCfgScale     = 0.0
	MaxCfgScale     = 35.0
	DefaultCfgScale = 7.0 // what the API uses when CfgScale is nil

	// MaxSeed is the largest seed; 0 asks for a random one.
	MaxSeed = 1<<32 - 1
)

// Samplers returns the sampler names the API accepts, in the description's order.
func Samplers() []string {
	return []string{
		"DDIM",
		"DDPM",
		"K_DPMPP_2M",
		"K_DPMPP_2S_ANCESTRAL",
		"K_DPM_2",
		"K_DPM_2_ANCESTRAL",
		"K_EULER",
		"K_EULER_ANCESTRAL",
		"K_HEUN",
		"K_LMS",
	}
}

// StylePresets returns the style presets the API accepts, in the description's order.
func StylePresets() []string {
	return []string{
		"enhance",
		"anime",
		"photographic",
		"digital-art",
		"comic-book",
		"fantasy-art",
		"line-art",
		"analog-film",
		"neon-punk",
		"isometric",
		"low-poly",
		"origami",
		"modeling-compound",
		"cinematic",
		"3d-model",
		"pixel-art",
		"tile-texture",
	}
}
