package dreamstudio_test

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

func TestCheckUpscale(t *testing.T) {
	t.Parallel()
	fast := func(w, h int) dreamstudio.UpscaleRequest {
		return dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleFast, Width: w, Height: h}
	}
	conservative := func(w, h int) dreamstudio.UpscaleRequest {
		return dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleConservative, Width: w, Height: h, Prompt: "a lighthouse"}
	}
	long := strings.Repeat("a", dreamstudio.MaxStableImagePrompt)
	tests := []struct {
		name  string
		req   dreamstudio.UpscaleRequest
		field string // "" when accepted
		words string
	}{
		{"fast smallest", fast(32, 32), "", ""},
		{"fast largest", fast(1024, 1024), "", ""},
		{"fast longest", fast(1536, 32), "", ""},
		{"fast sdxl wide", fast(1344, 768), "", ""},
		{"fast side too short", fast(31, 64), dreamstudio.FieldSize,
			"Fast upscale can't take a 31x64 picture: it takes sides of 32 to 1,536 pixels and 1,024 to 1,048,576 pixels in all"},
		{"fast side too long", fast(1537, 32), dreamstudio.FieldSize, "1537x32"},
		{"fast too many pixels", fast(1024, 1025), dreamstudio.FieldSize, "1024x1025"},
		{"fast sdxl widest", fast(1536, 640), "", ""},
		{"fast no size", fast(0, 0), dreamstudio.FieldSize, "0x0"},
		{"fast with a prompt", with2(fast(64, 64), func(r *dreamstudio.UpscaleRequest) { r.Prompt = "a cat" }),
			dreamstudio.FieldTextPrompts, "Fast upscale takes only the picture"},
		{"fast with a seed", with2(fast(64, 64), func(r *dreamstudio.UpscaleRequest) { r.Seed = 3 }), dreamstudio.FieldTextPrompts, "only the picture"},
		{"fast blank negative prompt", with2(fast(64, 64), func(r *dreamstudio.UpscaleRequest) { r.NegativePrompt = " " }), "", ""},
		{"conservative smallest", conservative(64, 64), "", ""},
		{"conservative widest", conservative(160, 64), "", ""},
		{"conservative tallest", conservative(64, 160), "", ""},
		{"conservative most pixels", conservative(3072, 3072), "", ""},
		{"conservative everything", with2(conservative(1024, 1024), func(r *dreamstudio.UpscaleRequest) {
			r.NegativePrompt, r.Seed, r.Prompt = long, dreamstudio.MaxStableImageSeed, long
		}), "", ""},
		{"conservative too narrow", conservative(63, 100), dreamstudio.FieldSize, "sides of at least 64 pixels"},
		{"conservative too wide", conservative(161, 64), dreamstudio.FieldSize, "a shape between 1:2.5 and 2.5:1"},
		{"conservative too tall", conservative(64, 161), dreamstudio.FieldSize, "64x161"},
		{"conservative too many pixels", conservative(3073, 3072), dreamstudio.FieldSize, "4,096 to 9,437,184 pixels in all"},
		{"conservative no prompt", with2(conservative(64, 64), func(r *dreamstudio.UpscaleRequest) { r.Prompt = " " }),
			dreamstudio.FieldTextPrompts, "Conservative upscale needs a prompt"},
		{"conservative prompt too long", with2(conservative(64, 64), func(r *dreamstudio.UpscaleRequest) { r.Prompt = long + "a" }),
			dreamstudio.FieldTextPrompts, "10001 characters long; the limit is 10000 for Conservative upscale"},
		{"conservative seed too large", with2(conservative(64, 64), func(r *dreamstudio.UpscaleRequest) { r.Seed = dreamstudio.MaxStableImageSeed + 1 }),
			dreamstudio.FieldSeed, "seed 4294967295 is too large"},
		{"creative", dreamstudio.UpscaleRequest{Mode: "creative", Width: 64, Height: 64, Prompt: "a cat"},
			dreamstudio.FieldMode, `"creative" is not a way to upscale; pick fast or conservative`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checked, err := dreamstudio.CheckUpscale(tt.req)
			if !wantValidation(t, err, tt.field, tt.words) {
				return
			}
			want := tt.req
			want.NegativePrompt = strings.TrimSpace(want.NegativePrompt)
			if got := checked.Request(); got != want {
				t.Errorf("Request() = %+v, want %+v", got, want)
			}
		})
	}
}

func with2(r dreamstudio.UpscaleRequest, change func(*dreamstudio.UpscaleRequest)) dreamstudio.UpscaleRequest {
	change(&r)
	return r
}

func TestUpscaleInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode          string
		width, height int
		wantW, wantH  int
	}{
		{dreamstudio.UpscaleFast, 1344, 768, 1344, 768},
		{dreamstudio.UpscaleFast, 1024, 1024, 1024, 1024},
		{dreamstudio.UpscaleFast, 2048, 2048, 1024, 1024},
		{dreamstudio.UpscaleFast, 1536, 640, 1536, 640},
		{dreamstudio.UpscaleFast, 2048, 1024, 1448, 724}, // the most pixels of 2:1
		{dreamstudio.UpscaleFast, 1024, 2048, 724, 1448},
		{dreamstudio.UpscaleFast, 4096, 1024, 1536, 384}, // the side bounds before the pixels
		{dreamstudio.UpscaleFast, 1025, 1024, 1024, 1023},
		{dreamstudio.UpscaleFast, 32, 32, 32, 32},
		{dreamstudio.UpscaleFast, 31, 31, 0, 0},    // too small already
		{dreamstudio.UpscaleFast, 6000, 100, 0, 0}, // too long: 1536x26 is too narrow
		{dreamstudio.UpscaleFast, 0, 1024, 0, 0},   // no picture
		{dreamstudio.UpscaleConservative, 1344, 768, 1344, 768},
		{dreamstudio.UpscaleConservative, 4096, 4096, 3072, 3072},
		{dreamstudio.UpscaleConservative, 5376, 3072, 4064, 2322}, // 9,436,608 pixels
		{dreamstudio.UpscaleConservative, 1536, 640, 1536, 640},
		{dreamstudio.UpscaleConservative, 1600, 640, 1600, 640}, // 2.5:1 exactly
		{dreamstudio.UpscaleConservative, 1601, 640, 1600, 640}, // a pixel off 2.5:1
		{dreamstudio.UpscaleConservative, 1700, 640, 0, 0},      // longer than 2.5:1 at any size
		{dreamstudio.UpscaleConservative, 64, 63, 0, 0},
		{"creative", 1024, 1024, 0, 0},
	}
	for _, tt := range tests {
		w, h := dreamstudio.UpscaleInput(tt.mode, tt.width, tt.height)
		if w != tt.wantW || h != tt.wantH {
			t.Errorf("UpscaleInput(%s, %d, %d) = %dx%d, want %dx%d", tt.mode, tt.width, tt.height, w, h, tt.wantW, tt.wantH)
		}
		if w == 0 {
			continue
		}
		// What it returns is what CheckUpscale takes, and nothing a pixel longer of that shape
		// and within the picture is.
		prompt := map[string]string{dreamstudio.UpscaleConservative: "a cat"}[tt.mode]
		accepted := func(w, h int) bool {
			_, err := dreamstudio.CheckUpscale(dreamstudio.UpscaleRequest{Mode: tt.mode, Width: w, Height: h, Prompt: prompt})
			return err == nil
		}
		if !accepted(w, h) {
			t.Errorf("UpscaleInput(%s, %d, %d) = %dx%d, which CheckUpscale refuses", tt.mode, tt.width, tt.height, w, h)
		}
		longer := dreamstudio.Size{Width: w + 1, Height: int(math.Round(float64(w+1) * float64(tt.height) / float64(tt.width)))}
		if tt.height > tt.width {
			longer = dreamstudio.Size{Width: int(math.Round(float64(h+1) * float64(tt.width) / float64(tt.height))), Height: h + 1}
		}
		if longer.Width <= tt.width && longer.Height <= tt.height && accepted(longer.Width, longer.Height) {
			t.Errorf("UpscaleInput(%s, %d, %d) = %dx%d, but %s is accepted too", tt.mode, tt.width, tt.height, w, h, longer)
		}
	}
}

// TestUpscaleOutput checks the sizes the client expects against those the fake answers with.
func TestUpscaleOutput(t *testing.T) {
	t.Parallel()
	for _, s := range []dreamstudio.Size{{Width: 1344, Height: 768}, {Width: 1024, Height: 1024}, {Width: 64, Height: 160},
		{Width: 3072, Height: 3072}, {Width: 32, Height: 1536}, {Width: 1021, Height: 425}} {
		for mode, fake := range map[string]func(int, int) (int, int){
			dreamstudio.UpscaleFast:         dreamstudiotest.FastUpscaleSize,
			dreamstudio.UpscaleConservative: dreamstudiotest.ConservativeUpscaleSize,
		} {
			w, h := dreamstudio.UpscaleOutput(mode, s.Width, s.Height)
			if fw, fh := fake(s.Width, s.Height); w != fw || h != fh {
				t.Errorf("UpscaleOutput(%s, %s) = %dx%d, the fake answers %dx%d", mode, s, w, h, fw, fh)
			}
		}
	}
	if w, h := dreamstudio.UpscaleOutput(dreamstudio.UpscaleFast, 1344, 768); w != 5376 || h != 3072 {
		t.Errorf("fast 1344x768 -> %dx%d, want 5376x3072", w, h)
	}
	if w, h := dreamstudio.UpscaleOutput("creative", 1024, 1024); w != 0 || h != 0 {
		t.Errorf("UpscaleOutput(creative) = %dx%d, want 0x0", w, h)
	}
}

// TestUpscaleCreditsAreTheDocumentedPrices reads each upscale's flat rate from its description.
func TestUpscaleCreditsAreTheDocumentedPrices(t *testing.T) {
	t.Parallel()
	ops := v2OperationsUnder(t, "upscale", dreamstudio.UpscaleFast, dreamstudio.UpscaleConservative)
	re := regexp.MustCompile(`Flat rate of (\d+(?:\.\d+)?) credits? per successful`)
	for mode, req := range map[string]dreamstudio.UpscaleRequest{
		dreamstudio.UpscaleFast:         {Mode: dreamstudio.UpscaleFast, Width: 64, Height: 64},
		dreamstudio.UpscaleConservative: {Mode: dreamstudio.UpscaleConservative, Width: 64, Height: 64, Prompt: "a cat"},
	} {
		m := re.FindStringSubmatch(ops[mode].Description)
		if m == nil {
			t.Fatalf("upscale/%s states no flat rate", mode)
		}
		want, _ := strconv.ParseFloat(m[1], 64)
		checked, err := dreamstudio.CheckUpscale(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := checked.Credits(); got != want {
			t.Errorf("%s: Credits() = %v, the description says %v", mode, got, want)
		}
	}
	if got := (dreamstudio.CheckedUpscale{}).Credits(); got != 0 {
		t.Errorf("zero CheckedUpscale: Credits() = %v, want 0", got)
	}
}

// TestUpscale upscales with both modes against the fake: the exact form, the picture it read,
// the size that comes back and the credits taken.
func TestUpscale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  dreamstudio.UpscaleRequest
		form map[string]string
	}{
		{"fast", dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleFast, Width: 1344, Height: 768},
			map[string]string{"output_format": "png"}},
		{"conservative", dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleConservative, Width: 1024, Height: 1024,
			Prompt: "a lighthouse", NegativePrompt: "fog", Seed: 7},
			map[string]string{"prompt": "a lighthouse", "negative_prompt": "fog", "seed": "7", "output_format": "png"}},
		{"conservative defaults", dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleConservative, Width: 160, Height: 64,
			Prompt: "a lighthouse"}, map[string]string{"prompt": "a lighthouse", "output_format": "png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, c := newFake(t)
			checked, err := dreamstudio.CheckUpscale(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			picture := dreamstudiotest.PNG(tt.req.Width, tt.req.Height)
			img, err := c.Upscale(t.Context(), checked, picture)
			if err != nil {
				t.Fatal(err)
			}
			if w, h := dreamstudio.UpscaleOutput(tt.req.Mode, tt.req.Width, tt.req.Height); img.Width != w || img.Height != h {
				t.Errorf("image %dx%d, UpscaleOutput says %dx%d", img.Width, img.Height, w, h)
			}
			r := s.Requests()[0]
			if path := "/v2beta/stable-image/upscale/" + tt.req.Mode; r.Method != http.MethodPost || r.Path != path || r.Header.Get("Accept") != "image/*" {
				t.Errorf("%s %s accept %q, want POST %s accept image/*", r.Method, r.Path, r.Header.Get("Accept"), path)
			}
			if !maps.Equal(r.Form, tt.form) {
				t.Errorf("form %q, want %q", r.Form, tt.form)
			}
			want := dreamstudiotest.FilePart{Format: "png", Width: tt.req.Width, Height: tt.req.Height, Bytes: len(picture)}
			if !maps.Equal(r.Files, map[string]dreamstudiotest.FilePart{"image": want}) {
				t.Errorf("files %+v, want image %+v", r.Files, want)
			}
			if got := s.Balance(); got != 100-checked.Credits() {
				t.Errorf("balance %v, want 100 - %v", got, checked.Credits())
			}
		})
	}
}

// TestUpscaleRefusesOtherPictures checks that only the picture that was checked is sent.
func TestUpscaleRefusesOtherPictures(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	checked, err := dreamstudio.CheckUpscale(dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleFast, Width: 512, Height: 512})
	if err != nil {
		t.Fatal(err)
	}
	for name, png := range map[string][]byte{
		"other size": dreamstudiotest.PNG(512, 511), "not a PNG": []byte("GIF89a"), "nothing": nil,
	} {
		_, err := c.Upscale(t.Context(), checked, png)
		var ie *dreamstudio.InputImageError
		if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), "upscale fast: ") {
			t.Errorf("%s: err = %v, want an *InputImageError from upscale fast", name, err)
		}
	}
	if _, err := c.Upscale(t.Context(), dreamstudio.CheckedUpscale{}, dreamstudiotest.PNG(512, 512)); err == nil {
		t.Error("the zero CheckedUpscale was sent")
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("the fake got %d requests, want none", n)
	}
}

// TestUpscaleErrors checks that the API's refusal of an upscale comes back as *Error, uncharged.
func TestUpscaleErrors(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	s.FailNextGeneration(http.StatusForbidden, "content_moderation", "flagged")
	checked, err := dreamstudio.CheckUpscale(dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleConservative, Width: 64, Height: 64, Prompt: "a cat"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Upscale(t.Context(), checked, dreamstudiotest.PNG(64, 64))
	var apiErr *dreamstudio.Error
	if !errors.As(err, &apiErr) || !apiErr.ContentModeration() || !strings.HasPrefix(err.Error(), "upscale conservative: ") {
		t.Fatalf("err = %v, want content moderation from upscale conservative", err)
	}
	if s.Balance() != 100 {
		t.Errorf("balance %v after a refusal, want 100", s.Balance())
	}
}

// TestCheckedUpscaleJSON checks the stored form: what goes out comes back, checked again.
func TestCheckedUpscaleJSON(t *testing.T) {
	t.Parallel()
	checked, err := dreamstudio.CheckUpscale(dreamstudio.UpscaleRequest{Mode: dreamstudio.UpscaleConservative,
		Width: 1024, Height: 1024, Prompt: "a cat", Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(checked)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"mode":"conservative","width":1024,"height":1024,"prompt":"a cat","seed":9}`
	if string(b) != want {
		t.Errorf("stored %s, want %s", b, want)
	}
	var back dreamstudio.CheckedUpscale
	if err := json.Unmarshal(b, &back); err != nil || back != checked {
		t.Errorf("back %+v, %v; want %+v", back, err, checked)
	}
	var ve *dreamstudio.ValidationError
	if err := json.Unmarshal([]byte(`{"mode":"fast","width":2048,"height":2048}`), &back); !errors.As(err, &ve) {
		t.Errorf("a stored upscale the API refuses: err = %v, want a *ValidationError", err)
	}
}
