package dreamstudiotest_test

import (
	"testing"
)

// TestV2Upscale checks both synchronous upscales: fast answers four times each side for 1
// credit, conservative about four megapixels in the input's shape for 25.
func TestV2Upscale(t *testing.T) {
	t.Parallel()
	runImageCases(t, []imageCase{
		{"fast png", "upscale/fast", pngOf(t, 64, 48), part("png", 64, 48), nil, 256, 192, 1},
		{"fast smallest", "upscale/fast", webpOf(32, 32), part("webp", 32, 32), []field{{"output_format", "png"}}, 128, 128, 1},
		{"fast longest side", "upscale/fast", jpegOf(t, 1536, 32), part("jpeg", 1536, 32), nil, 6144, 128, 1},
		{"conservative square", "upscale/conservative", pngOf(t, 64, 64), part("png", 64, 64),
			[]field{prompt}, 2048, 2048, 25},
		{"conservative widest", "upscale/conservative", jpegOf(t, 160, 64), part("jpeg", 160, 64),
			[]field{prompt, {"negative_prompt", "blur"}, {"seed", "7"}, {"creativity", "0.2"}}, 3238, 1295, 25},
		{"conservative tallest", "upscale/conservative", pngOf(t, 64, 160), part("png", 64, 160),
			[]field{prompt, {"creativity", "0.5"}}, 1295, 3238, 25},
		{"conservative most pixels", "upscale/conservative", webpOf(3072, 3072), part("webp", 3072, 3072),
			[]field{prompt}, 2048, 2048, 25},
	})
}
