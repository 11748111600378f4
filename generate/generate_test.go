package generate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
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
