package dreamstudio_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// engineIDs returns engines of every family with size rules, and one the client does not know.
func engineIDs() []string {
	return []string{
		"stable-diffusion-xl-1024-v1-0",
		"stable-diffusion-xl-1024-v0-9",
		"stable-diffusion-xl-beta-v2-2-2",
		"stable-diffusion-v1-6",
		"stable-diffusion-512-v2-1",
		"stable-diffusion-v1-5",
		"stable-diffusion-768-v2-1",
		"some-engine-from-2027",
	}
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    dreamstudio.Size
		wantErr bool
	}{
		{"1024x1024", dreamstudio.Size{Width: 1024, Height: 1024}, false},
		{"1152X896", dreamstudio.Size{Width: 1152, Height: 896}, false},
		{" 640 × 1536 ", dreamstudio.Size{Width: 640, Height: 1536}, false},
		{"1024", dreamstudio.Size{}, true},
		{"x1024", dreamstudio.Size{}, true},
		{"1024x", dreamstudio.Size{}, true},
		{"0x1024", dreamstudio.Size{}, true},
		{"-64x128", dreamstudio.Size{}, true},
		{"1024x1024x3", dreamstudio.Size{}, true},
		{"big", dreamstudio.Size{}, true},
		{"", dreamstudio.Size{}, true},
	}
	for _, tt := range tests {
		got, err := dreamstudio.ParseSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		var verr *dreamstudio.ValidationError
		if err != nil && (!errors.As(err, &verr) || verr.Field != dreamstudio.FieldSize) {
			t.Errorf("ParseSize(%q) error %v is not a size *ValidationError", tt.in, err)
		}
		if err == nil && got.String() != fmt.Sprintf("%dx%d", tt.want.Width, tt.want.Height) {
			t.Errorf("String() = %q", got.String())
		}
	}
}

func TestSizesAreAccepted(t *testing.T) {
	t.Parallel()
	for _, id := range engineIDs() {
		sizes := dreamstudio.Sizes(id)
		if len(sizes) < 3 {
			t.Errorf("%s: only %d sizes to offer", id, len(sizes))
		}
		w, h := dreamstudio.DefaultSize(id)
		if !slices.Contains(sizes, dreamstudio.Size{Width: w, Height: h}) {
			t.Errorf("%s: DefaultSize %dx%d is not among Sizes %v", id, w, h, sizes)
		}
		for _, s := range sizes {
			if err := dreamstudio.ValidateSize(id, s); err != nil {
				t.Errorf("%s: offered size %s is refused: %v", id, s, err)
			}
			if name, _ := dreamstudiotest.RefusedSize(id, s.Width, s.Height); name != "" {
				t.Errorf("%s: offered size %s is refused by the fake with %s", id, s, name)
			}
		}
	}
}

func TestDefaultSize(t *testing.T) {
	t.Parallel()
	tests := map[string]dreamstudio.Size{
		"stable-diffusion-xl-1024-v1-0":   {Width: 1024, Height: 1024},
		"stable-diffusion-v1-6":           {Width: 1024, Height: 1024},
		"stable-diffusion-xl-beta-v2-2-2": {Width: 512, Height: 512},
		"stable-diffusion-512-v2-1":       {Width: 512, Height: 512},
		"stable-diffusion-768-v2-1":       {Width: 768, Height: 768},
		"some-engine-from-2027":           {Width: 1024, Height: 1024},
	}
	for id, want := range tests {
		if w, h := dreamstudio.DefaultSize(id); w != want.Width || h != want.Height {
			t.Errorf("DefaultSize(%s) = %dx%d, want %s", id, w, h, want)
		}
	}
	if got := dreamstudio.Sizes(sdxl); !slices.Equal(sizeNames(got), sdxlSizes()) {
		t.Errorf("Sizes(%s) = %v, want exactly %v", sdxl, got, sdxlSizes())
	}
}

// TestSizeRulesAgreeWithTheFake compares the client's size rules with the fake's independent
// reading of the same prose, over every multiple of 64 from 64 to 2048 on both sides.
func TestSizeRulesAgreeWithTheFake(t *testing.T) {
	t.Parallel()
	for _, id := range engineIDs() {
		for w := 64; w <= 2048; w += 64 {
			for h := 64; h <= 2048; h += 64 {
				clientErr := dreamstudio.ValidateSize(id, dreamstudio.Size{Width: w, Height: h})
				fakeName, _ := dreamstudiotest.RefusedSize(id, w, h)
				if (clientErr == nil) != (fakeName == "") {
					t.Errorf("%s %dx%d: client says %v, fake says %q", id, w, h, clientErr, fakeName)
				}
			}
		}
	}
}

func sizeNames(sizes []dreamstudio.Size) []string {
	out := make([]string, len(sizes))
	for i, s := range sizes {
		out[i] = s.String()
	}
	return out
}
