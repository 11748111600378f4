package dreamstudiotest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"net/http"
	"strconv"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

func TestGeneratePNG(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	tests := []struct {
		engine        string
		width, height int
	}{
		{sdxl, 1024, 1024},
		{sdxl, 1536, 640},
		{sdxl, 640, 1536},
		{"stable-diffusion-v1-6", 512, 768},
		{"stable-diffusion-512-v2-1", 512, 512},
	}
	for _, tt := range tests {
		t.Run(tt.engine+"/"+strconv.Itoa(tt.width)+"x"+strconv.Itoa(tt.height), func(t *testing.T) {
			a := send(t, s, call{
				path:   "/v1/generation/" + tt.engine + "/text-to-image",
				body:   `{"text_prompts":[{"text":"a cat","weight":1},{"text":"blurry","weight":-1}],"seed":42,"width":` + strconv.Itoa(tt.width) + `,"height":` + strconv.Itoa(tt.height) + `}`,
				accept: "image/png",
			})
			if a.status != http.StatusOK {
				t.Fatalf("status = %d, body %s", a.status, a.body)
			}
			for h, want := range map[string]string{
				"Content-Type":   "image/png",
				"Content-Length": strconv.Itoa(len(a.body)),
				"Finish-Reason":  "SUCCESS",
				"Seed":           "42",
			} {
				if got := a.header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(a.body))
			if err != nil {
				t.Fatalf("body is not a PNG: %v", err)
			}
			if cfg.Width != tt.width || cfg.Height != tt.height {
				t.Errorf("PNG is %dx%d, want %dx%d", cfg.Width, cfg.Height, tt.width, tt.height)
			}
			if _, err := png.Decode(bytes.NewReader(a.body)); err != nil {
				t.Errorf("PNG does not decode: %v", err)
			}
		})
	}
	if got, want := s.Generations(), len(tests); got != want {
		t.Errorf("Generations() = %d, want %d", got, want)
	}
}

func TestGenerateRandomSeed(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	for _, body := range []string{sized(1024, 1024), `{"text_prompts":[{"text":"a cat"}],"seed":0,"width":1024,"height":1024}`} {
		a := send(t, s, generate(body))
		seed, err := strconv.ParseUint(a.header.Get("Seed"), 10, 32)
		if a.status != http.StatusOK || err != nil || seed == 0 {
			t.Errorf("%s: status %d, Seed %q (%v), want 200 and a random non-zero seed", body, a.status, a.header.Get("Seed"), err)
		}
	}
}

func TestGenerateJSON(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.FinishNext("CONTENT_FILTERED")
	for _, accept := range []string{"application/json", ""} {
		t.Run("accept="+accept, func(t *testing.T) {
			a := send(t, s, call{
				path:   textToImage,
				body:   `{"text_prompts":[{"text":"a cat"}],"samples":2,"seed":7,"width":832,"height":1216}`,
				accept: accept,
			})
			if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/json" {
				t.Fatalf("status %d, Content-Type %q, body %.200s", a.status, a.header.Get("Content-Type"), a.body)
			}
			var got struct {
				Artifacts []struct {
					Base64       string `json:"base64"`
					Seed         uint32 `json:"seed"`
					FinishReason string `json:"finishReason"`
				} `json:"artifacts"`
			}
			if err := json.Unmarshal(a.body, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Artifacts) != 2 {
				t.Fatalf("got %d artifacts, want 2", len(got.Artifacts))
			}
			for i, art := range got.Artifacts {
				img, err := base64.StdEncoding.DecodeString(art.Base64)
				if err != nil {
					t.Fatalf("artifact %d: %v", i, err)
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(img))
				if err != nil || cfg.Width != 832 || cfg.Height != 1216 {
					t.Errorf("artifact %d: %dx%d PNG (%v), want 832x1216", i, cfg.Width, cfg.Height, err)
				}
				if want := uint32(7 + i); art.Seed != want {
					t.Errorf("artifact %d: seed %d, want %d", i, art.Seed, want)
				}
				if art.FinishReason == "" {
					t.Errorf("artifact %d: no finishReason", i)
				}
			}
		})
	}
	if got := s.Generations(); got != 4 {
		t.Errorf("Generations() = %d, want 4 (two samples twice)", got)
	}
}

func TestFinishNext(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.FinishNext("CONTENT_FILTERED", "ERROR")
	for _, want := range []string{"CONTENT_FILTERED", "ERROR", "SUCCESS", "SUCCESS"} {
		a := send(t, s, generate(sized(1024, 1024)))
		if a.status != http.StatusOK {
			t.Fatalf("status %d, body %s", a.status, a.body)
		}
		if got := a.header.Get("Finish-Reason"); got != want {
			t.Errorf("Finish-Reason = %q, want %q", got, want)
		}
		if _, err := png.DecodeConfig(bytes.NewReader(a.body)); err != nil {
			t.Errorf("%s: no image: %v", want, err)
		}
	}
}

func TestFinishNextRefusesUnknownReasons(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	s.FinishNext("BLURRED")
	if len(rec.failures()) != 1 {
		t.Errorf("failures = %q, want one", rec.failures())
	}
}
