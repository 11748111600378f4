package pnginfo_test

import (
	"math"
	"testing"

	"dreambot/pnginfo"
)

func TestParameters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    pnginfo.Params
		want string
	}{
		{
			name: "all fields",
			p: pnginfo.Params{
				Prompt: "a cat in space", NegativePrompt: "blurry, lowres",
				Engine: "stable-diffusion-xl-1024-v1-0", Seed: 42, Steps: 30, CfgScale: 7,
				Sampler: "K_EULER", Style: "anime", Width: 1024, Height: 1024, FinishReason: "SUCCESS",
			},
			want: "a cat in space\nNegative prompt: blurry, lowres\n" +
				"Steps: 30, Sampler: K_EULER, CFG scale: 7, Seed: 42, Size: 1024x1024, " +
				"Model: stable-diffusion-xl-1024-v1-0, Style: anime, Finish reason: SUCCESS",
		},
		{
			name: "defaults left out",
			p:    pnginfo.Params{Prompt: "a cat", Seed: 0},
			want: "a cat\nSeed: 0",
		},
		{
			name: "fractional cfg and one-sided size",
			p:    pnginfo.Params{Prompt: "x", Seed: 4294967295, CfgScale: 7.5, Width: 512},
			want: "x\nCFG scale: 7.5, Seed: 4294967295",
		},
		{
			name: "non-finite cfg left out",
			p:    pnginfo.Params{Prompt: "x", Seed: 1, CfgScale: math.Inf(1), Steps: -3},
			want: "x\nSeed: 1",
		},
		{
			name: "prompts are not quoted",
			p:    pnginfo.Params{Prompt: "a \"cat\", with: colons", NegativePrompt: "no: dogs", Seed: 1},
			want: "a \"cat\", with: colons\nNegative prompt: no: dogs\nSeed: 1",
		},
		{
			name: "multi-line prompt",
			p:    pnginfo.Params{Prompt: "line one\nline two", Seed: 1},
			want: "line one\nline two\nSeed: 1",
		},
		{
			name: "settings with comma colon or newline are json strings",
			p: pnginfo.Params{
				Prompt: "p", Seed: 1, Sampler: `K_DPM_2, "fast"`, Engine: "engine:v2",
				Style: "two\nlines\twith \\ and \x01", FinishReason: "plain-value",
			},
			want: "p\nSampler: \"K_DPM_2, \\\"fast\\\"\", Seed: 1, Model: \"engine:v2\", " +
				"Style: \"two\\nlines\\twith \\\\ and \\u0001\", Finish reason: plain-value",
		},
		{
			name: "quotes without separators stay bare",
			p:    pnginfo.Params{Prompt: "p", Seed: 1, Style: `say "hi"`},
			want: "p\nSeed: 1, Style: say \"hi\"",
		},
		{
			name: "non-ascii kept as is inside quotes",
			p:    pnginfo.Params{Prompt: "猫", Seed: 1, Style: "アニメ, 水彩 🎨"},
			want: "猫\nSeed: 1, Style: \"アニメ, 水彩 🎨\"",
		},
		{
			name: "empty prompt trimmed like the web ui",
			p:    pnginfo.Params{Seed: 9, Steps: 10},
			want: "Steps: 10, Seed: 9",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.p.Parameters(); got != tt.want {
				t.Errorf("Parameters() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
