package generate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/generate"
	"dreambot/images"
	"dreambot/pnginfo"
)

func client(t *testing.T, api *dreamstudiotest.Server) *dreamstudio.Client {
	t.Helper()
	c, err := dreamstudio.New(api.URL, api.Key, dreamstudio.WithHTTPClient(api.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// generateOne prepares r and generates it, as the worker and the shell do.
func generateOne(t *testing.T, gen *generate.Service, r generate.Request) (*generate.Result, error) {
	t.Helper()
	p, err := generate.Prepare(r)
	if err != nil {
		return nil, err
	}
	return gen.Generate(context.Background(), p, "")
}

func TestPrepareFillsTheEnginesSize(t *testing.T) {
	t.Parallel()
	p, err := generate.Prepare(generate.Request{Engine: "stable-diffusion-xl-1024-v1-0", Prompt: "a cat"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Request.Width != 1024 || p.Request.Height != 1024 {
		t.Errorf("size %dx%d, want 1024x1024", p.Request.Width, p.Request.Height)
	}
}

// TestPreparedSurvivesStorage: a prepared request stored with a job comes
// back the same, and a stored one the API would refuse does not come back.
func TestPreparedSurvivesStorage(t *testing.T) {
	t.Parallel()
	cfg := 9.5
	p, err := generate.Prepare(generate.Request{Engine: "stable-diffusion-xl-1024-v1-0", Prompt: "a cat", NegativePrompt: "dogs",
		Seed: 7, Steps: 30, CfgScale: &cfg, Sampler: "K_EULER", Style: "anime"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back generate.Prepared
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Request, p.Request) {
		t.Errorf("came back as %+v, want %+v", back.Request, p.Request)
	}
	forged := []byte(`{"engine":"stable-diffusion-xl-1024-v1-0","prompt":"a cat","width":512,"height":512}`)
	var ve *dreamstudio.ValidationError
	if err := json.Unmarshal(forged, &back); !errors.As(err, &ve) {
		t.Errorf("a stored size SDXL refuses: %v, want a validation error", err)
	}
}

func TestGenerateSavesThePNG(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t, dreamstudiotest.WithStrictRules())
	dir, err := images.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res, err := generateOne(t, generate.New(client(t, api), dir, nil), generate.Request{
		Engine: "stable-diffusion-xl-1024-v1-0", Prompt: "a cat", NegativePrompt: "dogs", Seed: 42,
	})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, res.PNG) || res.Seed != 42 {
		t.Errorf("got seed %d, saved equal %v", res.Seed, bytes.Equal(saved, res.PNG))
	}
	if filepath.Dir(res.Path) != dir.Path() {
		t.Errorf("saved at %s, outside %s", res.Path, dir.Path())
	}
}

func TestPrepareRefusesBeforeSpending(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t, dreamstudiotest.WithStrictRules())
	dir, _ := images.NewDir(t.TempDir())
	gen := generate.New(client(t, api), dir, nil)
	_, err := generateOne(t, gen, generate.Request{Engine: "stable-diffusion-xl-1024-v1-0", Prompt: "a cat", Width: 512, Height: 512})
	var ve *dreamstudio.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a validation error", err)
	}
	if len(api.Requests()) != 0 {
		t.Errorf("%d requests sent for an invalid size", len(api.Requests()))
	}
}

// brokenDisk fails every save, as a full or read-only disk would.
type brokenDisk struct{}

func (brokenDisk) Save([]byte, images.Name) (string, error) {
	return "", errors.New("no space left on device")
}

func TestGenerateKeepsTheImageWhenSavingFails(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	res, err := generateOne(t, generate.New(client(t, api), brokenDisk{}, nil), generate.Request{Engine: "stable-diffusion-v1-6", Prompt: "a cat"})
	if err != nil {
		t.Fatalf("a failed save lost the image: %v", err)
	}
	if res.SaveErr == nil || res.Path != "" || !bytes.HasPrefix(res.PNG, []byte("\x89PNG")) {
		t.Errorf("got path %q, save error %v, %d bytes: want the PNG and the error", res.Path, res.SaveErr, len(res.PNG))
	}
}

func TestGenerateWritesParametersIntoThePNG(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t, dreamstudiotest.WithStrictRules())
	dir, _ := images.NewDir(t.TempDir())
	cfg := 9.5
	res, err := generateOne(t, generate.New(client(t, api), dir, nil), generate.Request{
		Engine: "stable-diffusion-xl-1024-v1-0", Prompt: "灯台, at dawn: \"quiet\"", NegativePrompt: "fog",
		Width: 1152, Height: 896, Seed: 7, Steps: 30, CfgScale: &cfg, Sampler: "K_EULER", Style: "anime",
	})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pnginfo.Read(saved)
	if err != nil {
		t.Fatal(err)
	}
	want := "灯台, at dawn: \"quiet\"\nNegative prompt: fog\nSteps: 30, Sampler: K_EULER, CFG scale: 9.5, Seed: 7, Size: 1152x896, Model: stable-diffusion-xl-1024-v1-0, Style: anime, Finish reason: SUCCESS"
	if got := text[pnginfo.KeywordParameters]; got != want {
		t.Errorf("parameters chunk:\n got %q\nwant %q", got, want)
	}
	if text[pnginfo.KeywordPrompt] != "灯台, at dawn: \"quiet\"" || text[pnginfo.KeywordSeed] != "7" {
		t.Errorf("single-key chunks: %v", text)
	}
}

func TestParametersNameTheAPIDefaults(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	dir, _ := images.NewDir(t.TempDir())
	res, err := generateOne(t, generate.New(client(t, api), dir, nil), generate.Request{
		Engine: "stable-diffusion-v1-6", Prompt: "a cat", Seed: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	text, err := pnginfo.Read(res.PNG)
	if err != nil {
		t.Fatal(err)
	}
	want := "a cat\nSteps: 50, CFG scale: 7, Seed: 3, Size: 1024x1024, Model: stable-diffusion-v1-6, Finish reason: SUCCESS"
	if got := text[pnginfo.KeywordParameters]; got != want {
		t.Errorf("parameters\n got %q\nwant %q", got, want)
	}
}

func TestSetShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw        string
		w, h       int
		ratio, err string
	}{
		{raw: ""},
		{raw: "1344x768", w: 1344, h: 768},
		{raw: " 832 × 1216 ", w: 832, h: 1216},
		{raw: "16:9", ratio: "16:9"},
		{raw: " 9 : 21", ratio: "9:21"},
		{raw: "wide", err: "is not a size"},
	}
	for _, tt := range tests {
		var r generate.Request
		err := r.SetShape(tt.raw)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: error %v, want %q", tt.raw, err, tt.err)
		case tt.err == "" && (err != nil || r.Width != tt.w || r.Height != tt.h || r.AspectRatio != tt.ratio):
			t.Errorf("%q: %dx%d ratio %q (%v), want %dx%d ratio %q", tt.raw, r.Width, r.Height, r.AspectRatio, err, tt.w, tt.h, tt.ratio)
		}
	}
}

func TestStableImageModelThroughGenerate(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	dir, _ := images.NewDir(t.TempDir())
	cfg := 4.5
	req := generate.Request{Engine: "sd3.5-large-turbo", Prompt: "a cat", AspectRatio: "3:2", Seed: 11, CfgScale: &cfg}
	p, err := generate.Prepare(req)
	if err != nil {
		t.Fatal(err)
	}
	if credits, estimate := p.Credits(); credits != 4 || estimate {
		t.Errorf("Credits = %v, %v; want 4, false", credits, estimate)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back generate.Prepared
	if err := json.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back.Request, req) {
		t.Fatalf("stored and read back as %+v (%v), want %+v", back.Request, err, req)
	}
	res, err := generate.New(client(t, api), dir, nil).Generate(t.Context(), back, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 1216 || res.Height != 832 || res.Seed != 11 {
		t.Errorf("result %dx%d seed %d, want 1216x832 seed 11", res.Width, res.Height, res.Seed)
	}
	text, err := pnginfo.Read(res.PNG)
	if err != nil {
		t.Fatal(err)
	}
	// No v1 defaults are claimed for a model that doesn't document them.
	want := "a cat\nCFG scale: 4.5, Seed: 11, Size: 1216x832, Model: sd3.5-large-turbo, Finish reason: SUCCESS"
	if got := text[pnginfo.KeywordParameters]; got != want {
		t.Errorf("parameters\n got %q\nwant %q", got, want)
	}
}

// TestUpscaleBringsALargePictureDown: a picture larger than the fast upscaler takes is scaled
// down to the largest size it takes before it is sent; one that fits goes as it is.
func TestUpscaleBringsALargePictureDown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		w, h, sentW, sentH int
	}{
		{2048, 1024, 0, 0}, // sent size computed below, from UpscaleInput
		{1024, 1024, 1024, 1024},
	}
	for _, tt := range tests {
		api := dreamstudiotest.NewServer(t)
		dir, _ := images.NewDir(t.TempDir())
		path := filepath.Join(t.TempDir(), "source.png")
		if err := os.WriteFile(path, dreamstudiotest.PNG(tt.w, tt.h), 0o600); err != nil {
			t.Fatal(err)
		}
		if tt.sentW == 0 {
			tt.sentW, tt.sentH = dreamstudio.UpscaleInput(dreamstudio.UpscaleFast, tt.w, tt.h)
		}
		p, err := generate.Prepare(generate.Request{Upscale: dreamstudio.UpscaleFast, Prompt: "a cat",
			Init: &generate.Init{Path: path, Width: tt.w, Height: tt.h}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := generate.New(client(t, api), dir, nil).Generate(t.Context(), p, "g1"); err != nil {
			t.Fatal(err)
		}
		reqs := api.Requests()
		img := reqs[len(reqs)-1].Files["image"]
		if img.Width != tt.sentW || img.Height != tt.sentH || tt.sentW*tt.sentH > 1<<20 {
			t.Errorf("%dx%d: sent %dx%d, want %dx%d within a megapixel", tt.w, tt.h, img.Width, img.Height, tt.sentW, tt.sentH)
		}
	}
}
