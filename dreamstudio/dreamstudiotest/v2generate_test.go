package dreamstudiotest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

func TestV2Generates(t *testing.T) {
	t.Parallel()
	type generation struct {
		name   string
		family string
		accept string
		fields []field
		size   string // aspect ratio of the answer
		seed   string // "" for any
	}
	tests := []generation{
		{"ultra defaults", "ultra", "", []field{prompt}, "1:1", ""},
		{"ultra 16:9", "ultra", "image/*", []field{prompt, {"aspect_ratio", "16:9"}, {"seed", "42"},
			{"negative_prompt", "fog"}, {"output_format", "png"}}, "16:9", "42"},
		{"ultra longest prompt", "ultra", "image/*", []field{{"prompt", strings.Repeat("é", 10000)},
			{"seed", "4294967294"}}, "1:1", "4294967294"},
		{"core style", "core", "image/*", []field{prompt, {"style_preset", "photographic"}, {"aspect_ratio", "21:9"}}, "21:9", ""},
		{"core 9:21", "core", "image/*", []field{prompt, {"aspect_ratio", "9:21"}, {"seed", "0"}}, "9:21", ""},
		{"sd3 default model", "sd3", "image/*", []field{prompt, {"aspect_ratio", "2:3"}}, "2:3", ""},
		{"sd3 cfg_scale 1", "sd3", "image/*", []field{prompt, {"cfg_scale", "1"}, {"aspect_ratio", "3:2"}}, "3:2", ""},
		{"sd3 cfg_scale 10", "sd3", "image/*", []field{prompt, {"cfg_scale", "10"}, {"aspect_ratio", "5:4"}}, "5:4", ""},
		{"sd3 text-to-image", "sd3", "image/*", []field{prompt, {"mode", "text-to-image"}, {"aspect_ratio", "4:5"}}, "4:5", ""},
	}
	for _, model := range []string{"sd3.5-large", "sd3.5-large-turbo", "sd3.5-medium", "sd3-medium", "sd3-large", "sd3-large-turbo"} {
		tests = append(tests, generation{"sd3 " + model, "sd3", "image/*", []field{prompt, {"model", model}, {"cfg_scale", "4.5"},
			{"aspect_ratio", "9:16"}, {"seed", "7"}}, "9:16", "7"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t)
			a := send(t, s, v2Generate(t, tt.family, tt.accept, tt.fields...))
			if a.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
			}
			if got := a.header.Get("Content-Type"); got != "image/png" {
				t.Errorf("Content-Type = %q, want image/png", got)
			}
			if got := a.header.Get("Finish-Reason"); got != "SUCCESS" {
				t.Errorf("finish-reason = %q, want SUCCESS", got)
			}
			seed, err := strconv.ParseUint(a.header.Get("Seed"), 10, 64)
			if err != nil || seed == 0 || seed > 4294967294 {
				t.Errorf("seed header %q: want 1..4294967294", a.header.Get("Seed"))
			}
			if tt.seed != "" && a.header.Get("Seed") != tt.seed {
				t.Errorf("seed = %s, want %s", a.header.Get("Seed"), tt.seed)
			}
			w, h := pngSize(t, a.body)
			ww, wh, _ := dreamstudiotest.AspectRatioSize(tt.size)
			if w != ww || h != wh {
				t.Errorf("image is %dx%d, want %dx%d for %s", w, h, ww, wh, tt.size)
			}
			if got := s.Generations(); got != 1 {
				t.Errorf("Generations() = %d, want 1", got)
			}
		})
	}
}

// TestV2JSONAnswer checks the JSON form of every v2beta image answer: generations, with an image
// or without, and upscales.
func TestV2JSONAnswer(t *testing.T) {
	t.Parallel()
	const accept = "application/json"
	wide := []field{prompt, {"aspect_ratio", "16:9"}, {"seed", "99"}}
	input := pngOf(t, 64, 64)
	tests := []struct {
		name          string
		call          call
		width, height int
		seed          uint32 // 0 for any
	}{
		{"ultra", v2Generate(t, "ultra", accept, wide...), 1344, 768, 99},
		{"core", v2Generate(t, "core", accept, wide...), 1344, 768, 99},
		{"sd3", v2Generate(t, "sd3", accept, wide...), 1344, 768, 99},
		{"ultra image-to-image", v2Call(t, "generate/ultra", accept, input, prompt, field{"strength", "0.3"}, field{"seed", "99"}), 1024, 1024, 99},
		{"sd3 image-to-image", v2Call(t, "generate/sd3", accept, input, prompt, field{"mode", "image-to-image"},
			field{"strength", "0.3"}, field{"seed", "99"}), 1024, 1024, 99},
		{"fast upscale", v2Call(t, "upscale/fast", accept, input), 256, 256, 0},
		{"conservative upscale", v2Call(t, "upscale/conservative", accept, input, prompt, field{"seed", "99"}), 2048, 2048, 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t)
			s.FinishNext("CONTENT_FILTERED")
			a := send(t, s, tt.call)
			if a.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
			}
			if got := a.header.Get("Content-Type"); got != "application/json; type=image/png" {
				t.Errorf("Content-Type = %q", got)
			}
			if got := a.header.Get("Finish-Reason"); got != "" {
				t.Errorf("finish-reason header %q on a JSON answer", got)
			}
			var got struct {
				Image        string `json:"image"`
				FinishReason string `json:"finish_reason"`
				Seed         uint32 `json:"seed"`
			}
			if err := json.Unmarshal(a.body, &got); err != nil {
				t.Fatal(err)
			}
			if got.FinishReason != "CONTENT_FILTERED" || got.Seed == 0 || (tt.seed != 0 && got.Seed != tt.seed) {
				t.Errorf("finish_reason, seed = %q, %d, want CONTENT_FILTERED, %d", got.FinishReason, got.Seed, tt.seed)
			}
			img, err := base64.StdEncoding.DecodeString(got.Image)
			if err != nil {
				t.Fatalf("image is not base64: %v", err)
			}
			if w, h := pngSize(t, img); w != tt.width || h != tt.height {
				t.Errorf("image is %dx%d, want %dx%d", w, h, tt.width, tt.height)
			}
		})
	}
}

func TestAspectRatioSize(t *testing.T) {
	t.Parallel()
	for _, ratio := range []string{"16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"} {
		w, h, ok := dreamstudiotest.AspectRatioSize(ratio)
		var rw, rh int
		if _, err := fmt.Sscanf(ratio, "%d:%d", &rw, &rh); err != nil || !ok {
			t.Fatalf("%s: ok = %v, err %v", ratio, ok, err)
		}
		// Within 5% of the ratio, sides multiples of 64, about one megapixel.
		if got, want := float64(w)/float64(h), float64(rw)/float64(rh); got < want*0.95 || got > want*1.05 {
			t.Errorf("%s: %dx%d has ratio %.3f, want %.3f", ratio, w, h, got, want)
		}
		if w%64 != 0 || h%64 != 0 || w*h < 900_000 || w*h > 1_100_000 {
			t.Errorf("%s: %dx%d is not a ~1 MP size in steps of 64", ratio, w, h)
		}
	}
	if _, _, ok := dreamstudiotest.AspectRatioSize("4:3"); ok {
		t.Error("4:3 accepted")
	}
}
