package dreamstudiotest_test

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"dreambot/dreamstudio/dreamstudiotest"
)

// i2i is a v1 image-to-image call for engine with init as the init_image file part (none when
// nil) and the given text fields.
func i2i(t *testing.T, engine, accept string, init []byte, fields ...field) call {
	t.Helper()
	return formCall(t, "/v1/generation/"+engine+"/image-to-image", accept, "init_image", init, fields...)
}

// v1Prompt is the one prompt an image-to-image call needs, under the description's form keys.
var v1Prompt = field{"text_prompts[0][text]", "a lighthouse on a cliff"}

// TestImageToImageV1 checks that v1 image-to-image takes a picture as the description says,
// answers an image of the picture's size, and charges and records it like text-to-image.
func TestImageToImageV1(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		engine  string
		accept  string
		init    []byte
		in      dreamstudiotest.FilePart // what the fake must record of the picture, but Bytes
		fields  []field
		samples int
		price   float64
	}{
		{"sdxl png, every field", sdxl, "image/png", pngOf(t, 1344, 768), part("png", 1344, 768), []field{
			{"init_image_mode", "IMAGE_STRENGTH"}, {"image_strength", "0.35"}, v1Prompt, {"text_prompts[0][weight]", "1"},
			{"text_prompts[1][text]", "fog"}, {"text_prompts[1][weight]", "-1"}, {"cfg_scale", "0"}, {"sampler", "K_EULER"},
			{"seed", "42"}, {"steps", "30"}, {"style_preset", "photographic"}, {"clip_guidance_preset", "NONE"},
		}, 1, 0.2},
		{"defaults", sdxl, "image/png", pngOf(t, 1024, 1024), part("png", 1024, 1024), []field{v1Prompt}, 1, 0.33},
		{"prompts out of order", sdxl, "image/png", pngOf(t, 1024, 1024), part("png", 1024, 1024), []field{
			{"text_prompts[7][text]", "fog"}, {"text_prompts[7][weight]", "-0.5"}, {"text_prompts[2][text]", "a cat"},
		}, 1, 0.33},
		{"sd 1.6 jpeg", "stable-diffusion-v1-6", "image/png", jpegOf(t, 512, 768), part("jpeg", 512, 768),
			[]field{v1Prompt, {"image_strength", "1"}}, 1, 0.33},
		{"512 engine, JSON, two samples", "stable-diffusion-512-v2-1", "application/json", pngOf(t, 512, 512), part("png", 512, 512),
			[]field{v1Prompt, {"samples", "2"}, {"image_strength", "0"}}, 2, 0.66},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			a := send(t, s, i2i(t, tt.engine, tt.accept, tt.init, tt.fields...))
			if a.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %.300s", a.status, a.body)
			}
			if f := rec.failures(); len(f) != 0 {
				t.Errorf("the fake reported %q", f)
			}
			for _, image := range answeredImages(t, a, tt.samples) {
				if w, h := pngSize(t, image); w != tt.in.Width || h != tt.in.Height {
					t.Errorf("answer is %dx%d, want the picture's %dx%d", w, h, tt.in.Width, tt.in.Height)
				}
			}
			if n, b := s.Generations(), s.Balance(); n != tt.samples || b != 100-tt.price {
				t.Errorf("Generations(), Balance() = %d, %v; want %d, %v", n, b, tt.samples, 100-tt.price)
			}
			req := s.Requests()[0]
			want := tt.in
			want.Bytes = len(tt.init)
			if !maps.Equal(req.Files, map[string]dreamstudiotest.FilePart{"init_image": want}) {
				t.Errorf("Files = %+v, want init_image %+v", req.Files, want)
			}
			wantForm := make(map[string]string)
			for _, f := range tt.fields {
				wantForm[f.name] = f.value
			}
			if !maps.Equal(req.Form, wantForm) {
				t.Errorf("Form = %q, want %q", req.Form, wantForm)
			}
		})
	}
}

// answeredImages returns the images of a v1 generation answer, PNG or JSON, checking their count.
func answeredImages(t *testing.T, a answer, samples int) [][]byte {
	t.Helper()
	if a.header.Get("Content-Type") == "image/png" {
		if seed, reason := a.header.Get("Seed"), a.header.Get("Finish-Reason"); seed == "" || reason != "SUCCESS" {
			t.Errorf("Seed, Finish-Reason = %q, %q", seed, reason)
		}
		return [][]byte{a.body}
	}
	var body struct {
		Artifacts []struct{ Base64, FinishReason string }
	}
	if err := json.Unmarshal(a.body, &body); err != nil || len(body.Artifacts) != samples {
		t.Fatalf("JSON answer %.200s: %v, want %d artifacts", a.body, err, samples)
	}
	var images [][]byte
	for _, art := range body.Artifacts {
		b, err := base64.StdEncoding.DecodeString(art.Base64)
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, b)
	}
	return images
}

// TestImageToImageV1Refusals checks that a request the real API would refuse is answered as it
// would be, costs nothing, and fails the test that sent it.
func TestImageToImageV1Refusals(t *testing.T) {
	t.Parallel()
	png := pngOf(t, 1024, 1024)
	tests := []struct {
		name    string
		engine  string
		accept  string
		init    []byte
		fields  []field
		status  int
		error   string // the answer's error name
		failure string // part of the test failure
	}{
		// The picture.
		{"gif", sdxl, "", gifOf(t, 1024, 1024), []field{v1Prompt}, 400, "invalid_mime_type", "mime type of the file is invalid"},
		{"webp", sdxl, "", webpOf(1024, 1024), []field{v1Prompt}, 400, "invalid_mime_type", "webp is not png or jpeg"},
		{"text", sdxl, "", []byte("a lighthouse"), []field{v1Prompt}, 400, "invalid_mime_type", "not a jpeg, png or webp"},
		{"truncated png", sdxl, "", truncated(png), []field{v1Prompt}, 400, "bad_request", "corrupt png"},
		{"over 10 MiB", sdxl, "", noisePNG(t, 1700, 1600), []field{v1Prompt}, 400, "invalid_file_size", "invalid_file_size"},
		{"sdxl size", sdxl, "", pngOf(t, 512, 512), []field{v1Prompt}, 400, "invalid_sdxl_v1_dimensions", "invalid_sdxl_v1_dimensions"},
		{"512 engine pixels", "stable-diffusion-512-v2-1", "", pngOf(t, 256, 256), []field{v1Prompt}, 400, "invalid_pixel_count", "invalid_pixel_count"},
		{"sides not of 64", "stable-diffusion-v1-6", "", jpegOf(t, 1000, 1000), []field{v1Prompt}, 400, "invalid_height_or_width", "increments of 64"},
		{"as a text field", sdxl, "", nil, []field{v1Prompt, {"init_image", "\x89PNG\r\n\x1a\n"}}, 400, "bad_request", "init_image: is required"},
		{"no picture", sdxl, "", nil, []field{v1Prompt}, 400, "bad_request", `"init_image" is missing`},
		// The fields beside it.
		{"strength above 1", sdxl, "", png, []field{v1Prompt, {"image_strength", "1.5"}}, 400, "bad_request", "image_strength\": number must be at most 1"},
		{"unknown mode", sdxl, "", png, []field{v1Prompt, {"init_image_mode", "NOISE"}}, 400, "bad_request", "init_image_mode"},
		{"steps below 10", sdxl, "", png, []field{v1Prompt, {"steps", "5"}}, 400, "bad_request", "steps\": number must be at least 10"},
		{"undeclared field", sdxl, "", png, []field{v1Prompt, {"width", "1024"}}, 400, "bad_request", "part width: undefined"},
		{"sent twice", sdxl, "", png, []field{v1Prompt, {"seed", "1"}, {"seed", "2"}}, 400, "bad_request", "seed: sent more than once"},
		{"two images", sdxl, "", png, []field{v1Prompt, {"samples", "2"}}, 400, "invalid_samples", "invalid_samples"},
		// The prompts, by hand and then by the TextPrompt schema.
		{"no prompt", sdxl, "", png, nil, 400, "bad_request", `"text_prompts" is missing`},
		{"blank prompt", sdxl, "", png, []field{{"text_prompts[0][text]", " "}}, 400, "bad_request", "cannot be blank"},
		{"prompt over 2000", sdxl, "", png, []field{{"text_prompts[0][text]", strings.Repeat("a", 2001)}}, 400, "bad_request", "maximum string length is 2000"},
		{"weight without text", sdxl, "", png, []field{v1Prompt, {"text_prompts[1][weight]", "-1"}}, 400, "bad_request", `"text" is missing`},
		{"weight not a number", sdxl, "", png, []field{v1Prompt, {"text_prompts[0][weight]", "heavy"}}, 400, "bad_request", "not a number"},
		{"JSON-style key", sdxl, "", png, []field{{"text_prompts[0].text", "a cat"}}, 400, "bad_request", "not a prompt key"},
		{"prompt sent twice", sdxl, "", png, []field{v1Prompt, v1Prompt}, 400, "bad_request", "sent more than once"},
		// What the fake does not do.
		{"step schedule", sdxl, "", png, []field{v1Prompt, {"init_image_mode", "STEP_SCHEDULE"}}, 501, "not_implemented", "not implemented"},
		{"step schedule start", sdxl, "", png, []field{v1Prompt, {"step_schedule_start", "0.6"}}, 501, "not_implemented", "step_schedule_start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			accept := tt.accept
			if accept == "" {
				accept = "image/png"
			}
			a := send(t, s, i2i(t, tt.engine, accept, tt.init, tt.fields...))
			if a.status != tt.status {
				t.Errorf("status = %d, want %d; body %.300s", a.status, tt.status, a.body)
			}
			if name, _ := a.apiError(t); name != tt.error {
				t.Errorf("error name = %q, want %q", name, tt.error)
			}
			rec.refused(t, s, tt.failure)
		})
	}
}

// TestImageToImageV1UnknownEngine checks that an engine the account does not have is a 404, as
// for text-to-image, and not a failure of the test: a retired engine is worth testing.
func TestImageToImageV1UnknownEngine(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	a := send(t, s, i2i(t, "stable-diffusion-v1-5", "image/png", pngOf(t, 512, 512), v1Prompt))
	if a.status != http.StatusNotFound {
		t.Fatalf("status %d, want 404", a.status)
	}
	if name, _ := a.apiError(t); name != "not_found" || len(rec.failures()) != 0 {
		t.Errorf("error %q, failures %q; want not_found and none", name, rec.failures())
	}
}

// TestImageToImageV1SharesTheMachinery checks that v1 image-to-image is a generation to the
// fault queue, the image faults, the rate limit and the hold.
func TestImageToImageV1SharesTheMachinery(t *testing.T) {
	t.Parallel()
	call := func(t *testing.T) call { return i2i(t, sdxl, "image/png", pngOf(t, 1024, 1024), v1Prompt) }
	t.Run("generation fault", func(t *testing.T) {
		t.Parallel()
		s := dreamstudiotest.NewServer(t)
		s.FailNextGeneration(http.StatusInternalServerError, "server_error", "try again")
		if got := reportedBalance(t, s); got != 100 {
			t.Errorf("balance read before: %v", got)
		}
		a := send(t, s, call(t))
		if name, _ := a.apiError(t); a.status != 500 || name != "server_error" {
			t.Errorf("got %d %s, want 500 server_error", a.status, name)
		}
		if a := send(t, s, call(t)); a.status != 200 || s.Generations() != 1 {
			t.Errorf("next: status %d, %d generations; want 200, 1", a.status, s.Generations())
		}
	})
	t.Run("image fault", func(t *testing.T) {
		t.Parallel()
		s := dreamstudiotest.NewServer(t)
		s.AddImageFault(dreamstudiotest.ImageFault{Damage: dreamstudiotest.NoIEND})
		a := send(t, s, call(t))
		if a.status != 200 || strings.Contains(string(a.body), "IEND") {
			t.Errorf("status %d; want 200 and a PNG without its IEND chunk", a.status)
		}
		if s.Generations() != 1 || s.Balance() != 100-0.33 {
			t.Errorf("%d generations, balance %v; want 1, 99.67", s.Generations(), s.Balance())
		}
	})
	t.Run("rate limit", func(t *testing.T) {
		t.Parallel()
		s := dreamstudiotest.NewServer(t, dreamstudiotest.WithRateLimit(1, time.Minute, time.Minute))
		if a := send(t, s, call(t)); a.status != 200 {
			t.Fatalf("first: status %d", a.status)
		}
		a := send(t, s, call(t))
		if name, _ := a.apiError(t); a.status != 429 || name != "rate_limit_exceeded" {
			t.Errorf("second: %d %s, want 429 rate_limit_exceeded", a.status, name)
		}
	})
	t.Run("hold", func(t *testing.T) {
		t.Parallel()
		holdOne(t, call(t))
	})
}
