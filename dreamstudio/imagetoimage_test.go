package dreamstudio_test

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// TestImageToImage makes an image from a picture with every model that can, every option it
// takes, and checks the exact form the fake received, the picture it read, the image that came
// back and the credits spent.
func TestImageToImage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		engine string
		params dreamstudio.Params
		path   string
		accept string
		form   map[string]string
		file   string // the picture's part
		width  int    // of the image that comes back
		height int
	}{
		{"sdxl everything", sdxl, dreamstudio.Params{Prompt: "a lighthouse", NegativePrompt: "fog",
			Size: dreamstudio.Size{Width: 1344, Height: 768}, Seed: 42, Steps: 30, CfgScale: ptr(0.0), Sampler: "K_EULER",
			StylePreset: "photographic", Init: &dreamstudio.Init{Width: 1344, Height: 768, Keep: 0.35}},
			"/v1/generation/" + sdxl + "/image-to-image", "image/png",
			map[string]string{"init_image_mode": "IMAGE_STRENGTH", "image_strength": "0.35",
				"text_prompts[0][text]": "a lighthouse", "text_prompts[0][weight]": "1",
				"text_prompts[1][text]": "fog", "text_prompts[1][weight]": "-1",
				"cfg_scale": "0", "sampler": "K_EULER", "seed": "42", "steps": "30", "style_preset": "photographic"},
			"init_image", 1344, 768},
		{"sdxl defaults left out", sdxl, from(sdxl, 1024, 1024, 0),
			"/v1/generation/" + sdxl + "/image-to-image", "image/png",
			map[string]string{"init_image_mode": "IMAGE_STRENGTH", "image_strength": "0",
				"text_prompts[0][text]": "a lighthouse on a cliff", "text_prompts[0][weight]": "1"},
			"init_image", 1024, 1024},
		{"sd 1.6", "stable-diffusion-v1-6", from("stable-diffusion-v1-6", 512, 768, 1),
			"/v1/generation/stable-diffusion-v1-6/image-to-image", "image/png",
			map[string]string{"init_image_mode": "IMAGE_STRENGTH", "image_strength": "1",
				"text_prompts[0][text]": "a lighthouse on a cliff", "text_prompts[0][weight]": "1"},
			"init_image", 512, 768},
		{"ultra", "ultra", with(from("ultra", 640, 480, 0.7), func(p *dreamstudio.Params) { p.NegativePrompt, p.Seed = "fog", 42 }),
			"/v2beta/stable-image/generate/ultra", "image/*",
			map[string]string{"prompt": "a lighthouse on a cliff", "negative_prompt": "fog", "seed": "42",
				"strength": "0.3", "output_format": "png"},
			"image", 1152, 896},
		{"sd3.5 large", "sd3.5-large", with(from("sd3.5-large", 1000, 600, 0.25), func(p *dreamstudio.Params) {
			p.NegativePrompt, p.Seed, p.CfgScale = "fog", 7, ptr(4.5)
		}),
			"/v2beta/stable-image/generate/sd3", "image/*",
			map[string]string{"prompt": "a lighthouse on a cliff", "negative_prompt": "fog", "seed": "7", "cfg_scale": "4.5",
				"model": "sd3.5-large", "mode": "image-to-image", "strength": "0.75", "output_format": "png"},
			"image", 1344, 768},
		{"sd3 large turbo", "sd3-large-turbo", from("sd3-large-turbo", 64, 64, 0.5),
			"/v2beta/stable-image/generate/sd3", "image/*",
			map[string]string{"prompt": "a lighthouse on a cliff", "model": "sd3-large-turbo", "mode": "image-to-image",
				"strength": "0.5", "output_format": "png"},
			"image", 1024, 1024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, c := newFake(t)
			checked, err := dreamstudio.CheckParams(tt.engine, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			picture := dreamstudiotest.PNG(tt.params.Init.Width, tt.params.Init.Height)
			checked, err = checked.WithInitImage(picture)
			if err != nil {
				t.Fatal(err)
			}
			img, err := c.Generate(t.Context(), checked)
			if err != nil {
				t.Fatal(err)
			}
			if img.Width != tt.width || img.Height != tt.height || img.FinishReason != dreamstudio.FinishSuccess {
				t.Errorf("image %dx%d %s, want %dx%d SUCCESS", img.Width, img.Height, img.FinishReason, tt.width, tt.height)
			}
			r := s.Requests()[0]
			if r.Method != http.MethodPost || r.Path != tt.path || r.Header.Get("Accept") != tt.accept {
				t.Errorf("%s %s accept %q, want POST %s accept %q", r.Method, r.Path, r.Header.Get("Accept"), tt.path, tt.accept)
			}
			if !maps.Equal(r.Form, tt.form) {
				t.Errorf("form %q\nwant %q", r.Form, tt.form)
			}
			want := dreamstudiotest.FilePart{Format: "png", Width: tt.params.Init.Width, Height: tt.params.Init.Height, Bytes: len(picture)}
			if !maps.Equal(r.Files, map[string]dreamstudiotest.FilePart{tt.file: want}) {
				t.Errorf("files %+v, want %s %+v", r.Files, tt.file, want)
			}
			if credits, _ := checked.Credits(); s.Balance() != 100-credits || s.Generations() != 1 {
				t.Errorf("balance %v, generations %d; want 100 - %v, 1", s.Balance(), s.Generations(), credits)
			}
		})
	}
}

// TestImageToImageNeedsThePicture checks that a request from a picture is not sent without it,
// as when it comes back from storage, which never holds the picture.
func TestImageToImageNeedsThePicture(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	checked, err := dreamstudio.CheckParams("ultra", from("ultra", 512, 512, 0.5))
	if err != nil {
		t.Fatal(err)
	}
	withPicture, err := checked.WithInitImage(dreamstudiotest.PNG(512, 512))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := withPicture.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := checked.MarshalJSON()
	if string(stored) != string(plain) {
		t.Errorf("stored with the picture %s, without %s", stored, plain)
	}
	var back dreamstudio.Checked
	if err := back.UnmarshalJSON(stored); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]dreamstudio.Checked{"checked": checked, "stored": back} {
		_, err := c.Generate(t.Context(), r)
		var ie *dreamstudio.InputImageError
		if !errors.As(err, &ie) {
			t.Errorf("%s: Generate err = %v, want an *InputImageError", name, err)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("the fake got %d requests, want none", n)
	}
}

// TestImageToImageErrors checks that the API's refusals of a picture come back as *Error with
// the operation named, for either version.
func TestImageToImageErrors(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{sdxl, "ultra"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s, c := newFake(t)
			s.FailNextGeneration(http.StatusBadRequest, "invalid_mime_type", "init_image: the mime type of the file is invalid")
			checked, err := dreamstudio.CheckParams(engine, from(engine, 1024, 1024, 0.5))
			if err != nil {
				t.Fatal(err)
			}
			if checked, err = checked.WithInitImage(dreamstudiotest.PNG(1024, 1024)); err != nil {
				t.Fatal(err)
			}
			_, err = c.Generate(t.Context(), checked)
			var apiErr *dreamstudio.Error
			if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Name != "invalid_mime_type" {
				t.Fatalf("err = %v, want 400 invalid_mime_type", err)
			}
			if want := "image-to-image " + engine + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q, want it to start %q", err, want)
			}
			if s.Balance() != 100 {
				t.Errorf("balance %v after a refusal, want 100", s.Balance())
			}
		})
	}
}
