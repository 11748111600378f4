package dreamstudio_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// from is Params asking engineID for an image from a width x height picture: a v1 engine's size
// is the picture's.
func from(engineID string, width, height int, keep float64) dreamstudio.Params {
	p := dreamstudio.Params{Prompt: "a lighthouse on a cliff",
		Init: &dreamstudio.Init{Width: width, Height: height, Keep: keep}}
	if !dreamstudio.IsStableImage(engineID) {
		p.Size = dreamstudio.Size{Width: width, Height: height}
	}
	return p
}

func TestCheckParamsInit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		engine string
		params dreamstudio.Params
		field  string // "" when accepted
		words  string // part of the message
	}{
		{"sdxl", sdxl, from(sdxl, 1344, 768, 0.35), "", ""},
		{"sdxl keeps nothing", sdxl, from(sdxl, 1024, 1024, 0), "", ""},
		{"sdxl keeps all", sdxl, from(sdxl, 1024, 1024, 1), "", ""},
		{"sdxl other size", sdxl, with(from(sdxl, 1344, 768, 0.5), func(p *dreamstudio.Params) { p.Size.Width = 1024 }),
			dreamstudio.FieldSize, "the picture's size: 1344x768, not 1024x768"},
		{"sdxl no size", sdxl, with(from(sdxl, 1024, 1024, 0.5), func(p *dreamstudio.Params) { p.Size = dreamstudio.Size{} }),
			dreamstudio.FieldSize, "the picture's size: 1024x1024"},
		{"sdxl picture it doesn't make", sdxl, from(sdxl, 2048, 2048, 0.5),
			dreamstudio.FieldSize, "can't start from a 2048x2048 picture; pick Ultra or SD 3.5"},
		{"sdxl picture of no size", sdxl, from(sdxl, 0, 0, 0.5), dreamstudio.FieldSize, "can't start from a 0x0 picture"},
		{"sdxl steps as today", sdxl, with(from(sdxl, 1024, 1024, 0.5), func(p *dreamstudio.Params) { p.Steps = 5 }),
			dreamstudio.FieldSteps, "5 steps"},
		{"sdxl aspect ratio", sdxl, with(from(sdxl, 1024, 1024, 0.5), func(p *dreamstudio.Params) { p.AspectRatio = "1:1" }),
			dreamstudio.FieldSize, "not an aspect ratio"},
		{"sd 1.6", "stable-diffusion-v1-6", from("stable-diffusion-v1-6", 512, 768, 0.5), "", ""},
		{"sd 1.6 too small", "stable-diffusion-v1-6", from("stable-diffusion-v1-6", 256, 256, 0.5),
			dreamstudio.FieldSize, "can't start from a 256x256 picture"},
		{"ultra", "ultra", from("ultra", 640, 480, 0.7), "", ""},
		{"ultra aspect ratio", "ultra", with(from("ultra", 512, 512, 0.5), func(p *dreamstudio.Params) { p.AspectRatio = "16:9" }),
			dreamstudio.FieldSize, "keeps the picture's shape; leave the aspect ratio out"},
		{"ultra size", "ultra", with(from("ultra", 512, 512, 0.5), func(p *dreamstudio.Params) { p.Size = dreamstudio.Size{Width: 512, Height: 512} }),
			dreamstudio.FieldSize, "aspect ratio, not a size"},
		{"ultra too small", "ultra", from("ultra", 63, 64, 0.5), dreamstudio.FieldSize,
			"Stable Image Ultra can't start from a 63x64 picture: it takes sides of 64 to 16,384 pixels"},
		{"ultra too tall", "ultra", from("ultra", 64, 16385, 0.5), dreamstudio.FieldSize, "64x16385"},
		{"ultra negative prompt as today", "ultra", with(from("ultra", 64, 64, 0.5), func(p *dreamstudio.Params) { p.NegativePrompt = "fog" }), "", ""},
		{"sd3.5", "sd3.5-large", with(from("sd3.5-large", 1000, 600, 0.25), func(p *dreamstudio.Params) { p.CfgScale = ptr(4.5) }), "", ""},
		{"sd3 no upper bound", "sd3.5-medium", from("sd3.5-medium", 20000, 64, 0.5), "", ""},
		{"sd3 too small", "sd3.5-medium", from("sd3.5-medium", 100, 63, 0.5), dreamstudio.FieldSize, "sides of at least 64 pixels"},
		{"sd3 aspect ratio", "sd3-large", with(from("sd3-large", 512, 512, 0.5), func(p *dreamstudio.Params) { p.AspectRatio = "1:1" }),
			dreamstudio.FieldSize, "leave the aspect ratio out"},
		{"sd3 cfg as today", "sd3-medium", with(from("sd3-medium", 512, 512, 0.5), func(p *dreamstudio.Params) { p.CfgScale = ptr(11.0) }),
			dreamstudio.FieldCfgScale, "between 1 and 10"},
		{"core", "core", from("core", 1024, 1024, 0.5), dreamstudio.FieldEngine,
			"Stable Image Core can't start from a picture; pick Ultra, SD 3.5 or SDXL"},
		{"core keep out of range too", "core", from("core", 1024, 1024, 7), dreamstudio.FieldEngine, "Core can't start"},
		{"sdxl keep below 0", sdxl, from(sdxl, 1024, 1024, -0.01), dreamstudio.FieldStrength, "between 0 and 1"},
		{"sdxl keep above 1", sdxl, from(sdxl, 1024, 1024, 1.01), dreamstudio.FieldStrength, "between 0 and 1"},
		{"ultra keep NaN", "ultra", from("ultra", 512, 512, math.NaN()), dreamstudio.FieldStrength, "between 0 and 1"},
		{"sd3 keep above 1", "sd3.5-large", from("sd3.5-large", 512, 512, 2), dreamstudio.FieldStrength, "strength 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checked, err := dreamstudio.CheckParams(tt.engine, tt.params)
			if !wantValidation(t, err, tt.field, tt.words) {
				return
			}
			if got := checked.Params().Init; got == nil || *got != *tt.params.Init {
				t.Errorf("Params().Init = %v, want %v", got, tt.params.Init)
			}
			// A picture changes nothing of the price: the description prices the operation.
			fromText := tt.params
			fromText.Init = nil
			plain, err := dreamstudio.CheckParams(tt.engine, fromText)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := must(checked.Credits()), must(plain.Credits()); got != want {
				t.Errorf("Credits() = %v from a picture, %v from text", got, want)
			}
		})
	}
}

func with(p dreamstudio.Params, change func(*dreamstudio.Params)) dreamstudio.Params {
	change(&p)
	return p
}

// TestPictureRulesAreTheDescriptions compares what CheckParams and CheckUpscale accept of a
// picture with the rules the fake reads from the description's image fields, at every edge.
func TestPictureRulesAreTheDescriptions(t *testing.T) {
	t.Parallel()
	// Sides around every bound the description states for an image: the operations' sides and
	// pixel counts, and conservative's 2.5:1 shape.
	edgeSides := []int{1, 31, 32, 33, 63, 64, 65, 160, 161, 512, 1024, 1025, 1535, 1536, 1537, 3072, 3073, 16384, 16385}
	type accept func(width, height int) error
	ops := map[string]accept{
		"upscale/fast": func(w, h int) error {
			_, err := dreamstudio.CheckUpscale(dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleFast, Width: w, Height: h})
			return err
		},
		"upscale/conservative": func(w, h int) error {
			_, err := dreamstudio.CheckUpscale(dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleConservative, Width: w, Height: h, Prompt: "a cat"})
			return err
		},
	}
	for _, m := range dreamstudio.StableImageModels() {
		if dreamstudio.ImageToImage(m.ID) {
			ops["generate/"+operationOf(m.ID)+" "+m.ID] = func(w, h int) error {
				_, err := dreamstudio.CheckParams(m.ID, from(m.ID, w, h, 0.5))
				return err
			}
		}
	}
	for name, check := range ops {
		op, _, _ := strings.Cut(name, " ")
		for _, w := range edgeSides {
			for _, h := range edgeSides {
				rule, err := dreamstudiotest.RefusedImage(op, w, h)
				if err != nil {
					t.Fatal(err)
				}
				if err := check(w, h); (err == nil) != (rule == "") {
					t.Errorf("%s %dx%d: client says %v; the description's rule %q", name, w, h, err, rule)
				}
			}
		}
	}
}

// TestImageToImageIsTheDescriptions checks which models start from a picture: those whose
// operation has an image field, and every v1 engine.
func TestImageToImageIsTheDescriptions(t *testing.T) {
	t.Parallel()
	ops := v2Operations(t)
	for _, m := range dreamstudio.StableImageModels() {
		_, want := ops[operationOf(m.ID)].Properties["image"]
		if got := dreamstudio.ImageToImage(m.ID); got != want {
			t.Errorf("ImageToImage(%q) = %v; the description's %s has an image: %v", m.ID, got, operationOf(m.ID), want)
		}
	}
	for id, want := range map[string]bool{sdxl: true, "stable-diffusion-v1-6": true, "some-new-engine": true, "..": false, "": false} {
		if got := dreamstudio.ImageToImage(id); got != want {
			t.Errorf("ImageToImage(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestWithInitImage(t *testing.T) {
	t.Parallel()
	fromPicture, err := dreamstudio.CheckParams(sdxl, from(sdxl, 1344, 768, 0.5))
	if err != nil {
		t.Fatal(err)
	}
	fromText, err := dreamstudio.CheckParams(sdxl, dreamstudio.Params{Prompt: "a cat", Size: dreamstudio.Size{Width: 1344, Height: 768}})
	if err != nil {
		t.Fatal(err)
	}
	right := dreamstudiotest.PNG(1344, 768)
	tests := []struct {
		name    string
		checked dreamstudio.Checked
		png     []byte
		reason  string // "" when attached
	}{
		{"the picture", fromPicture, right, ""},
		{"other width", fromPicture, dreamstudiotest.PNG(1343, 768), "the PNG is 1343x768, the request was checked for 1344x768"},
		{"turned", fromPicture, dreamstudiotest.PNG(768, 1344), "the PNG is 768x1344"},
		{"not a PNG", fromPicture, []byte("GIF89a a picture"), "not a PNG"},
		{"nothing", fromPicture, nil, "not a PNG"},
		{"signature only", fromPicture, right[:8], "read PNG header"},
		{"too large", fromPicture, append(dreamstudiotest.PNG(1344, 768), make([]byte, dreamstudio.MaxInputImageBytes)...), "more than the"},
		{"text-to-image", fromText, right, "does not start from a picture"},
		{"unchecked", dreamstudio.Checked{}, right, "does not start from a picture"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.checked.WithInitImage(tt.png)
			if tt.reason == "" {
				if err != nil || got.Engine() != sdxl {
					t.Errorf("WithInitImage = %v, %v", got.Engine(), err)
				}
				return
			}
			var ie *dreamstudio.InputImageError
			if !errors.As(err, &ie) || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("err = %v, want an *InputImageError saying %q", err, tt.reason)
			}
		})
	}
}
