package dreamstudio_test

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

func TestEngines(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	got, err := c.Engines(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := dreamstudiotest.DefaultEngines()
	if len(got) != len(want) {
		t.Fatalf("got %d engines, want %d", len(got), len(want))
	}
	for i := range want {
		w := dreamstudio.Engine{ID: want[i].ID, Name: want[i].Name, Description: want[i].Description, Type: want[i].Type}
		if got[i] != w {
			t.Errorf("engine %d = %+v, want %+v", i, got[i], w)
		}
	}
}

func TestBalance(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	s.SetBalance(12.375)
	got, err := c.Balance(t.Context())
	if err != nil || got != 12.375 {
		t.Errorf("Balance() = %v, %v; want 12.375", got, err)
	}
}

func TestTextToImage(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	tests := []struct {
		engine string
		size   dreamstudio.Size
		seed   uint32
		finish string
	}{
		{sdxl, dreamstudio.Size{Width: 1024, Height: 1024}, 1, dreamstudio.FinishSuccess},
		{sdxl, dreamstudio.Size{Width: 1344, Height: 768}, 4294967295, dreamstudio.FinishContentFiltered},
		{"stable-diffusion-v1-6", dreamstudio.Size{Width: 512, Height: 768}, 7, dreamstudio.FinishError},
	}
	for _, tt := range tests {
		t.Run(tt.engine+"/"+tt.size.String(), func(t *testing.T) {
			s.FinishNext(tt.finish)
			req := goodRequest()
			req.Width, req.Height, req.Seed = tt.size.Width, tt.size.Height, tt.seed
			img, err := c.TextToImage(t.Context(), tt.engine, req)
			if err != nil {
				t.Fatal(err)
			}
			if img.Width != tt.size.Width || img.Height != tt.size.Height || img.Seed != tt.seed || img.FinishReason != tt.finish {
				t.Errorf("image %dx%d seed %d finish %q, want %s seed %d finish %q",
					img.Width, img.Height, img.Seed, img.FinishReason, tt.size, tt.seed, tt.finish)
			}
			if _, err := png.Decode(bytes.NewReader(img.PNG)); err != nil {
				t.Errorf("PNG does not decode: %v", err)
			}
		})
	}
	if got := s.Generations(); got != len(tests) {
		t.Errorf("Generations() = %d, want %d", got, len(tests))
	}
}

func TestTextToImageRandomSeed(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	img, err := c.TextToImage(t.Context(), sdxl, goodRequest())
	if err != nil {
		t.Fatal(err)
	}
	if img.Seed == 0 {
		t.Error("Seed = 0, want the seed the API chose")
	}
}

// TestTextToImageEngineIDIsOnePathSegment: an engine id that is an id travels as one path
// segment; anything else (an id ".." would make the path /v1/text-to-image) is refused before
// a request is sent.
func TestTextToImageEngineIDIsOnePathSegment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id       string
		wantPath string // "" when the id is refused
	}{
		{"my_engine.v2-1", "/v1/generation/my_engine.v2-1/text-to-image"},
		{"..", ""},
		{".", ""},
		{"a/../b?c", ""},
		{"odd engine", ""},
		{"%2e%2e", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			s, c := newFake(t)
			s.SetEngines(dreamstudiotest.Engine{ID: tt.id, Name: "Odd", Description: "d", Type: "PICTURE"})
			_, err := c.TextToImage(t.Context(), tt.id, goodRequest())
			if tt.wantPath != "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := s.Requests()[0].Path; got != tt.wantPath {
					t.Errorf("path %q, want %q", got, tt.wantPath)
				}
				return
			}
			var verr *dreamstudio.ValidationError
			if !errors.As(err, &verr) || verr.Field != dreamstudio.FieldEngine {
				t.Errorf("err = %v, want an engine *ValidationError", err)
			}
			if n := len(s.Requests()); n != 0 {
				t.Errorf("fake got %d requests, want none", n)
			}
		})
	}
}

func TestTextToImageValidatesBeforeSending(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	req := goodRequest()
	req.Width, req.Height = 512, 512
	_, err := c.TextToImage(t.Context(), sdxl, req)
	var verr *dreamstudio.ValidationError
	if !errors.As(err, &verr) || verr.Field != dreamstudio.FieldSize {
		t.Fatalf("err = %v, want a size *ValidationError", err)
	}
	if !strings.HasPrefix(err.Error(), "text-to-image "+sdxl+": ") {
		t.Errorf("err = %q, want it to say what was being done", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("fake got %d requests, want none", n)
	}
	if n := s.Generations(); n != 0 {
		t.Errorf("Generations() = %d, want 0", n)
	}
}
