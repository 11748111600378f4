package dreamstudio_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// TestBrokenImagesAreRefused: a 200 image/png answer that is not a whole PNG, or is larger
// than the limit, is a *BadImageError and no image, whether or not it came with a
// Content-Length; the API charged for it all the same.
func TestBrokenImagesAreRefused(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	tests := []struct {
		damage dreamstudiotest.Damage
		want   string // part of the error
	}{
		{dreamstudiotest.Truncated, "truncated IDAT chunk"},
		{dreamstudiotest.BadCRC, "crc mismatch in IDAT chunk"},
		{dreamstudiotest.NoIEND, "missing IEND"},
		{dreamstudiotest.NoIDAT, "no image data"},
		{dreamstudiotest.Oversized, fmt.Sprintf("larger than the limit of %d", limit)},
	}
	for _, tt := range tests {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/chunked=%v", tt.damage, chunked), func(t *testing.T) {
				t.Parallel()
				s, _ := newFake(t)
				c := newClient(t, s)
				dreamstudio.SetMaxImageBytes(c, limit)
				s.AddImageFault(dreamstudiotest.ImageFault{Damage: tt.damage, Chunked: chunked, Size: 3 * limit})

				img, err := c.TextToImage(t.Context(), sdxl, goodRequest())
				var bad *dreamstudio.BadImageError
				if !errors.As(err, &bad) {
					t.Fatalf("err = %v, want a *BadImageError", err)
				}
				if img != nil {
					t.Errorf("got an image of %d bytes with the error", len(img.PNG))
				}
				if !strings.HasPrefix(err.Error(), "text-to-image "+sdxl+": dreamstudio: bad image: ") || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %q, want it to say what was being done and contain %q", err, tt.want)
				}
				if n := s.Generations(); n != 1 {
					t.Errorf("Generations() = %d, want 1: the API charges for a broken image", n)
				}
				// The fault is used up and the client none the worse.
				if _, err := c.TextToImage(t.Context(), sdxl, goodRequest()); err != nil {
					t.Errorf("next generation: %v", err)
				}
			})
		}
	}
}
