package dreamstudio_test

import (
	"regexp"
	"strconv"
	"testing"

	"dreambot/dreamstudio"
)

// documentedPrice reads a model's price from the description's prose: the sd3 model field lists
// "`<model>` requires X credits", Ultra "uses 8 credits per successful result" and Core "Flat
// rate of 3 credits per successful generation".
func documentedPrice(t *testing.T, ops map[string]v2Operation, id string) float64 {
	t.Helper()
	op := operationOf(id)
	text := ops[op].Description
	re := regexp.MustCompile(`(\d+(?:\.\d+)?) credits per successful`)
	if op == "sd3" {
		text = ops[op].Properties["model"].Description
		re = regexp.MustCompile("`" + regexp.QuoteMeta(id) + "` requires (\\d+(?:\\.\\d+)?) credits")
	}
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the description states no price for %s", id)
	}
	price, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return price
}

func TestCreditsAreTheDocumentedPrices(t *testing.T) {
	t.Parallel()
	ops := v2Operations(t)
	for _, m := range dreamstudio.StableImageModels() {
		want := documentedPrice(t, ops, m.ID)
		if got, est := dreamstudio.Credits(m.ID); got != want || est {
			t.Errorf("Credits(%q) = %v, %v; the description says %v", m.ID, got, est, want)
		}
		checked, err := dreamstudio.CheckParams(m.ID, dreamstudio.Params{Prompt: "a cat", AspectRatio: "16:9", Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if got, est := checked.Credits(); got != want || est {
			t.Errorf("%s: Checked.Credits() = %v, %v; want %v, false", m.ID, got, est, want)
		}
	}
}

func TestV1CreditsAreEstimated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		engine string
		size   dreamstudio.Size
		steps  int
		want   float64
	}{
		{"default steps", sdxl, dreamstudio.Size{Width: 1024, Height: 1024}, 0, 0.33},
		{"30 steps", sdxl, dreamstudio.Size{Width: 1024, Height: 1024}, 30, 0.2},
		{"under a megapixel costs a megapixel", sdxl, dreamstudio.Size{Width: 1536, Height: 640}, 30, 0.2},
		{"most steps", sdxl, dreamstudio.Size{Width: 896, Height: 1152}, 150, 1},
		{"fewest steps", sdxl, dreamstudio.Size{Width: 1024, Height: 1024}, 10, 0.07},
		{"2.25 megapixels", "stable-diffusion-v1-6", dreamstudio.Size{Width: 1536, Height: 1536}, 30, 0.45},
		{"small", "stable-diffusion-512-v2-1", dreamstudio.Size{Width: 512, Height: 512}, 50, 0.33},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checked, err := dreamstudio.CheckParams(tt.engine, dreamstudio.Params{Prompt: "a cat", Size: tt.size, Steps: tt.steps})
			if err != nil {
				t.Fatal(err)
			}
			if got, est := checked.Credits(); got != tt.want || !est {
				t.Errorf("Credits() = %v, %v; want %v, true", got, est, tt.want)
			}
		})
	}
	for _, id := range []string{sdxl, "stable-diffusion-v1-6", "stable-diffusion-768-v2-1", "some-engine-from-2027"} {
		if got, est := dreamstudio.Credits(id); got != 0.33 || !est {
			t.Errorf("Credits(%q) = %v, %v; want 0.33 (DefaultSize, %d steps), true", id, got, est, dreamstudio.DefaultSteps)
		}
	}
}

func TestFormatCredits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		credits   float64
		estimated bool
		want      string
	}{
		{8, false, "8 credits"},
		{3.5, false, "3.5 credits"},
		{6.5, false, "6.5 credits"},
		{1, false, "1 credit"},
		{0.2, true, "≈0.2 credits"},
		{1.0 / 3, true, "≈0.33 credits"},
		{1, true, "≈1 credit"},
		{0, false, "0 credits"},
	}
	for _, tt := range tests {
		if got := dreamstudio.FormatCredits(tt.credits, tt.estimated); got != tt.want {
			t.Errorf("FormatCredits(%v, %v) = %q, want %q", tt.credits, tt.estimated, got, tt.want)
		}
	}
}
