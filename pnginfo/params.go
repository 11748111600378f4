package pnginfo

import (
	"math"
	"strconv"
	"strings"
)

// Params describes how an image was generated.
type Params struct {
	Prompt         string
	NegativePrompt string
	// Engine is the engine id, shown as "Model" in the parameters layout.
	Engine string
	// Seed is always written: 0 is a seed like any other once an image exists.
	Seed uint32
	// Steps is the number of diffusion steps; 0 means the API default and is omitted.
	Steps int
	// CfgScale is the classifier-free guidance scale; 0 means the API default and is omitted.
	CfgScale       float64
	Sampler, Style string
	// Width and Height are written as "Size" only when both are set.
	Width, Height int
	// FinishReason is the API's finish reason (SUCCESS, CONTENT_FILTERED); optional.
	FinishReason string
	// Source says how the image came from another: SourceImg2Img (with Strength, how much it
	// changed the picture, 0..1) or SourceUpscale (with Upscaler); "" for a text-to-image.
	Source string
	// Strength is the denoising strength of an image-to-image: 0 keeps the picture, 1 ignores it.
	Strength float64
	// SourceImage names the picture it came from (a file name).
	SourceImage string
	// Upscaler names the upscaler of an upscale.
	Upscaler string
}

// Sources of an image made from another.
const (
	SourceImg2Img = "img2img"
	SourceUpscale = "upscale"
)

// Keywords of the chunks Embed writes. Fields that are unset are left out,
// except KeywordSeed, which is always written.
const (
	KeywordParameters     = "parameters"
	KeywordPrompt         = "prompt"
	KeywordNegativePrompt = "negative_prompt"
	KeywordEngine         = "engine"
	KeywordSeed           = "seed"
	KeywordSteps          = "steps"
	KeywordCfgScale       = "cfg_scale"
	KeywordSampler        = "sampler"
	KeywordStyle          = "style"
	KeywordSize           = "size"
	KeywordFinishReason   = "finish_reason"
	KeywordSource         = "source"
	KeywordStrength       = "strength"
	KeywordSourceImage    = "source_image"
	KeywordUpscaler       = "upscaler"
)

// field is one key and value; the order of a []field is the order written.
type field struct{ key, value string }

// Parameters renders p in the layout AUTOMATIC1111's web UI stores under the
// "parameters" keyword: the prompt, a "Negative prompt: " line when there is
// one, and a last line of "Key: value" settings joined by ", ", e.g.
//
//	a cat
//	Negative prompt: blurry
//	Steps: 30, Sampler: K_EULER, CFG scale: 7, Seed: 42, Size: 1024x1024, Model: stable-diffusion-xl-1024-v1-0, Style: anime
//
// Unset settings are left out. As in the web UI, a setting value containing
// a comma, colon or newline is written as a JSON string (Python's json.dumps
// with ensure_ascii=False) so that readers can split the line on commas; the
// prompts themselves are written as they are, and the whole text is trimmed
// of surrounding white space.
func (p Params) Parameters() string {
	var b strings.Builder
	b.WriteString(p.Prompt)
	if p.NegativePrompt != "" {
		b.WriteString("\nNegative prompt: ")
		b.WriteString(p.NegativePrompt)
	}
	b.WriteByte('\n')
	for i, s := range p.settings() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.key)
		b.WriteString(": ")
		b.WriteString(quote(s.value))
	}
	return strings.TrimSpace(b.String())
}

// settings lists the set fields in the order and with the names the web UI uses.
func (p Params) settings() []field {
	fs := make([]field, 0, 8)
	add := func(key, value string) {
		if value != "" {
			fs = append(fs, field{key, value})
		}
	}
	add("Steps", p.steps())
	add("Sampler", p.Sampler)
	add("CFG scale", p.cfgScale())
	add("Seed", strconv.FormatUint(uint64(p.Seed), 10))
	add("Size", p.size())
	add("Model", p.Engine)
	add("Style", p.Style)
	add("Source", p.Source)
	add("Denoising strength", p.strength())
	add("Source image", p.SourceImage)
	add("Upscaler", p.Upscaler)
	add("Finish reason", p.FinishReason)
	return fs
}

// fields lists the single-key chunks Embed writes after the "parameters" one.
func (p Params) fields() []field {
	fs := make([]field, 0, 15)
	add := func(key, value string) {
		if value != "" {
			fs = append(fs, field{key, value})
		}
	}
	add(KeywordParameters, p.Parameters())
	add(KeywordPrompt, p.Prompt)
	add(KeywordNegativePrompt, p.NegativePrompt)
	add(KeywordEngine, p.Engine)
	add(KeywordSeed, strconv.FormatUint(uint64(p.Seed), 10))
	add(KeywordSteps, p.steps())
	add(KeywordCfgScale, p.cfgScale())
	add(KeywordSampler, p.Sampler)
	add(KeywordStyle, p.Style)
	add(KeywordSize, p.size())
	add(KeywordFinishReason, p.FinishReason)
	add(KeywordSource, p.Source)
	add(KeywordStrength, p.strength())
	add(KeywordSourceImage, p.SourceImage)
	add(KeywordUpscaler, p.Upscaler)
	return fs
}

// strength is written for an image-to-image only, where 0 is a strength like any other.
func (p Params) strength() string {
	if p.Source != SourceImg2Img || math.IsNaN(p.Strength) {
		return ""
	}
	return strconv.FormatFloat(math.Round(p.Strength*1000)/1000, 'f', -1, 64)
}

func (p Params) steps() string {
	if p.Steps <= 0 {
		return ""
	}
	return strconv.Itoa(p.Steps)
}

// cfgScale writes the shortest exact decimal: "7", "7.5".
func (p Params) cfgScale() string {
	if !(p.CfgScale > 0) || math.IsInf(p.CfgScale, 0) {
		return ""
	}
	return strconv.FormatFloat(p.CfgScale, 'f', -1, 64)
}

func (p Params) size() string {
	if p.Width <= 0 || p.Height <= 0 {
		return ""
	}
	return strconv.Itoa(p.Width) + "x" + strconv.Itoa(p.Height)
}
