package dreamstudiotest_test

import (
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestV2RefusesBadImages checks that a request whose image, or whose fields beside an image,
// break the description's rules is answered like the real API, costs nothing, and fails the test
// that sent it.
func TestV2RefusesBadImages(t *testing.T) {
	t.Parallel()
	strength := field{"strength", "0.5"}
	i2i := field{"mode", "image-to-image"}
	tests := []struct {
		name    string
		op      string
		image   []byte // nil for no image part
		fields  []field
		status  int
		failure string // part of the test failure
	}{
		// What the bytes are.
		{"gif", "upscale/fast", gifOf(t, 64, 64), nil, 400, "not a jpeg, png or webp"},
		{"text", "upscale/fast", []byte("a lighthouse"), nil, 400, "not a jpeg, png or webp"},
		{"truncated png", "upscale/fast", truncated(pngOf(t, 512, 512)), nil, 400, "corrupt png"},
		{"truncated jpeg", "generate/ultra", truncated(jpegOf(t, 512, 512)), []field{prompt, strength}, 400, "corrupt jpeg"},
		{"truncated webp", "upscale/conservative", truncated(webpOf(64, 64)), []field{prompt}, 400, "webp"},
		{"image as a text field", "upscale/fast", nil, []field{{"image", "\x89PNG\r\n\x1a\n"}}, 400, "text field"},
		// upscale/fast: sides 32..1,536, 1,024..1,048,576 pixels.
		{"fast too narrow", "upscale/fast", pngOf(t, 31, 64), nil, 400, "Width must be between 32 and 1,536 pixels"},
		{"fast too short", "upscale/fast", webpOf(64, 31), nil, 400, "Height must be between 32 and 1,536 pixels"},
		{"fast too wide", "upscale/fast", jpegOf(t, 1537, 32), nil, 400, "Width must be between 32 and 1,536 pixels"},
		{"fast too many pixels", "upscale/fast", webpOf(1024, 1025), nil, 400, "between 1,024 and 1,048,576 pixels"},
		// upscale/conservative: sides from 64, 4,096..9,437,184 pixels, 1:2.5 to 2.5:1.
		{"conservative too small", "upscale/conservative", pngOf(t, 63, 100), []field{prompt}, 400, "at least 64 pixels"},
		{"conservative too wide", "upscale/conservative", pngOf(t, 161, 64), []field{prompt}, 400, "between 1:2.5 and 2.5:1"},
		{"conservative too tall", "upscale/conservative", webpOf(64, 161), []field{prompt}, 400, "between 1:2.5 and 2.5:1"},
		{"conservative too many pixels", "upscale/conservative", webpOf(3073, 3072), []field{prompt}, 400, "9,437,184"},
		// ultra: sides 64..16,384; sd3: sides from 64.
		{"ultra too small", "generate/ultra", pngOf(t, 63, 64), []field{prompt, strength}, 400, "Width must be between 64 and 16,384"},
		{"ultra too large", "generate/ultra", pngOf(t, 64, 16385), []field{prompt, strength}, 400, "Height must be between 64 and 16,384"},
		{"sd3 too small", "generate/sd3", jpegOf(t, 100, 63), []field{prompt, i2i, strength}, 400, "at least 64 pixels"},
		// The fields beside an image.
		{"ultra image without strength", "generate/ultra", pngOf(t, 512, 512), []field{prompt}, 400, "strength: is required"},
		{"strength above 1", "generate/ultra", pngOf(t, 512, 512), []field{prompt, {"strength", "1.5"}}, 400, "strength"},
		{"sd3 image in text-to-image", "generate/sd3", pngOf(t, 512, 512), []field{prompt, strength}, 400, "image: is only valid for image-to-image"},
		{"sd3 strength in text-to-image", "generate/sd3", nil, []field{prompt, {"mode", "text-to-image"}, strength}, 400, "strength: is only valid"},
		{"sd3 image-to-image without image", "generate/sd3", nil, []field{prompt, i2i, strength}, 400, "image: is required"},
		{"sd3 image-to-image without strength", "generate/sd3", pngOf(t, 512, 512), []field{prompt, i2i}, 400, "strength: is required"},
		{"sd3 image-to-image with aspect_ratio", "generate/sd3", pngOf(t, 512, 512), []field{prompt, i2i, strength, {"aspect_ratio", "1:1"}}, 400, "aspect_ratio"},
		{"core with an image", "generate/core", pngOf(t, 512, 512), []field{prompt, strength}, 400, "image"},
		{"fast without image", "upscale/fast", nil, []field{{"output_format", "png"}}, 400, "image"},
		{"fast with a prompt", "upscale/fast", pngOf(t, 512, 512), []field{prompt}, 400, "prompt"},
		{"conservative without prompt", "upscale/conservative", pngOf(t, 512, 512), nil, 400, "prompt"},
		{"conservative creativity 0.6", "upscale/conservative", pngOf(t, 512, 512), []field{prompt, {"creativity", "0.6"}}, 400, "creativity"},
		{"conservative seed too big", "upscale/conservative", pngOf(t, 512, 512), []field{prompt, {"seed", "4294967295"}}, 400, "seed"},
		// 11,000,000 bytes of real PNG: over the 10 MiB (10,485,760 bytes) a request may have.
		{"body over 10 MiB", "upscale/conservative", noisePNG(t, 1700, 1600), []field{prompt}, 413, "413 payload_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecordingTB(t)
			s := dreamstudiotest.NewServer(rec)
			a := send(t, s, v2Call(t, tt.op, "", tt.image, tt.fields...))
			if a.status != tt.status {
				t.Errorf("status = %d, want %d; body %.300s", a.status, tt.status, a.body)
			}
			wantName := map[int]string{400: "bad_request", 413: "payload_too_large"}[tt.status]
			if name, _ := a.v2Error(t); name != wantName {
				t.Errorf("error name = %q, want %q", name, wantName)
			}
			rec.refused(t, s, tt.failure)
		})
	}
}

// TestRecordsWhatWasUploaded checks that the record says what an upload was, even one refused.
func TestRecordsWhatWasUploaded(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	gif := gifOf(t, 64, 64)
	send(t, s, v2Call(t, "upscale/fast", "", gif))
	send(t, s, v2Generate(t, "core", "", prompt))
	send(t, s, generate(sized(1024, 1024)))
	reqs := s.Requests()
	if got, want := reqs[0].Files["image"], (dreamstudiotest.FilePart{Bytes: len(gif)}); got != want || len(reqs[0].Files) != 1 {
		t.Errorf("gif upload: Files = %+v, want image %+v", reqs[0].Files, want)
	}
	if reqs[1].Files != nil || reqs[2].Files != nil {
		t.Errorf("requests without files: Files = %v, %v, want nil", reqs[1].Files, reqs[2].Files)
	}
	if len(rec.failures()) != 1 {
		t.Errorf("failures %q, want the gif's only", rec.failures())
	}
}

// TestRefusedImage checks the rules the fake reports without a request: the same as it applies
// to uploads.
func TestRefusedImage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op            string
		width, height int
		rule          string // "" when accepted
	}{
		{"upscale/fast", 32, 32, ""},
		{"upscale/fast", 1024, 1025, "Total pixel count must be between 1,024 and 1,048,576 pixels"},
		{"upscale/fast", 31, 64, "Width must be between 32 and 1,536 pixels"},
		{"upscale/conservative", 160, 64, ""},
		{"upscale/conservative", 161, 64, "The aspect ratio must be between 1:2.5 and 2.5:1"},
		{"generate/ultra", 16384, 64, ""},
		{"generate/ultra", 64, 16385, "Height must be between 64 and 16,384 pixels"},
		{"generate/sd3", 64, 100000, ""},
		{"generate/sd3", 63, 64, "Every side must be at least 64 pixels"},
	}
	for _, tt := range tests {
		rule, err := dreamstudiotest.RefusedImage(tt.op, tt.width, tt.height)
		if err != nil || rule != tt.rule {
			t.Errorf("RefusedImage(%s, %d, %d) = %q, %v; want %q", tt.op, tt.width, tt.height, rule, err, tt.rule)
		}
	}
	for _, op := range []string{"generate/core", "upscale/creative2", "text-to-image"} {
		if _, err := dreamstudiotest.RefusedImage(op, 64, 64); err == nil {
			t.Errorf("RefusedImage(%s): no error for an operation without an image", op)
		}
	}
}
