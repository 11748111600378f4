package dreamstudiotest_test

import (
	"maps"
	"net/http"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// imageCase is a v2beta request with an image that the fake must serve.
type imageCase struct {
	name   string
	op     string // "generate/ultra", "upscale/fast", ...
	image  []byte
	in     dreamstudiotest.FilePart // what the fake must record of the image, but Bytes
	fields []field
	width  int // of the answer
	height int
	price  float64
}

// TestV2ImageToImage checks that ultra and sd3 take an image as the description says, answer
// about a megapixel in the input's shape, and charge what the operation or model costs.
func TestV2ImageToImage(t *testing.T) {
	t.Parallel()
	strength := field{"strength", "0.5"}
	i2i := field{"mode", "image-to-image"}
	runImageCases(t, []imageCase{
		{"ultra png", "generate/ultra", pngOf(t, 512, 512), part("png", 512, 512), []field{prompt, strength}, 1024, 1024, 8},
		{"ultra jpeg 4:3", "generate/ultra", jpegOf(t, 640, 480), part("jpeg", 640, 480),
			[]field{prompt, {"strength", "0"}, {"seed", "42"}, {"negative_prompt", "fog"}}, 1152, 896, 8},
		// The description says nothing of aspect_ratio beside an image: the fake follows the image.
		{"ultra aspect_ratio ignored", "generate/ultra", pngOf(t, 512, 512), part("png", 512, 512),
			[]field{prompt, strength, {"aspect_ratio", "16:9"}}, 1024, 1024, 8},
		{"ultra webp at the largest side", "generate/ultra", webpOf(16384, 64), part("webp", 16384, 64),
			[]field{prompt, {"strength", "1"}}, 16384, 64, 8},
		{"ultra smallest", "generate/ultra", pngOf(t, 64, 64), part("png", 64, 64), []field{prompt, strength}, 1024, 1024, 8},
		{"sd3 default model", "generate/sd3", jpegOf(t, 1000, 600), part("jpeg", 1000, 600),
			[]field{prompt, i2i, strength}, 1344, 768, 6.5},
		{"sd3.5-medium", "generate/sd3", pngOf(t, 64, 64), part("png", 64, 64),
			[]field{prompt, i2i, strength, {"model", "sd3.5-medium"}, {"cfg_scale", "4"}}, 1024, 1024, 3.5},
		{"sd3-large-turbo webp", "generate/sd3", webpOf(600, 1000), part("webp", 600, 1000),
			[]field{prompt, i2i, strength, {"model", "sd3-large-turbo"}}, 768, 1344, 4},
	})
}

// runImageCases sends each case to its own Server and checks the answer, the balance, the count
// and the record.
func runImageCases(t *testing.T, tests []imageCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			img := tt.image
			a := send(t, s, v2Call(t, tt.op, "image/*", img, tt.fields...))
			if a.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
			}
			if f := rec.failures(); len(f) != 0 {
				t.Errorf("the fake reported %q", f)
			}
			if ct, reason := a.header.Get("Content-Type"), a.header.Get("Finish-Reason"); ct != "image/png" || reason != "SUCCESS" {
				t.Errorf("Content-Type, finish-reason = %q, %q, want image/png, SUCCESS", ct, reason)
			}
			if seed := a.header.Get("Seed"); seed == "" || seed == "0" {
				t.Errorf("seed header %q, want a seed", seed)
			}
			if w, h := pngSize(t, a.body); w != tt.width || h != tt.height {
				t.Errorf("answer is %dx%d, want %dx%d", w, h, tt.width, tt.height)
			}
			if got, want := s.Balance(), 100-tt.price; got != want {
				t.Errorf("Balance() = %v, want %v", got, want)
			}
			if n := s.Generations(); n != 1 {
				t.Errorf("Generations() = %d, want 1", n)
			}
			req := s.Requests()[0]
			want := tt.in
			want.Bytes = len(img)
			if got := req.Files; !maps.Equal(got, map[string]dreamstudiotest.FilePart{"image": want}) {
				t.Errorf("Files = %+v, want image %+v", got, want)
			}
			if _, ok := req.Form["image"]; ok || len(req.Form) != len(tt.fields) {
				t.Errorf("Form = %q, want the %d text fields only", req.Form, len(tt.fields))
			}
		})
	}
}

func part(format string, width, height int) dreamstudiotest.FilePart {
	return dreamstudiotest.FilePart{Format: format, Width: width, Height: height}
}
