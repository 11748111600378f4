package pnginfo_test

import (
	"testing"

	"dreambot/pnginfo"
)

// BenchmarkEmbed embeds into a 1024x1024 PNG of about 1.5 MB, the size of an
// SDXL result. Embed should allocate little more than its output.
func BenchmarkEmbed(b *testing.B) {
	png := encodePNG(b, noiseImage(1024, 1024, 420))
	p := pnginfo.Params{
		Prompt: "a cat in space, watercolor, 宇宙を飛ぶ猫", NegativePrompt: "blurry, lowres",
		Engine: "stable-diffusion-xl-1024-v1-0", Seed: 42, Steps: 30, CfgScale: 7,
		Sampler: "K_EULER", Style: "anime", Width: 1024, Height: 1024,
	}
	b.SetBytes(int64(len(png)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pnginfo.Embed(png, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(png))/1e6, "MB/png")
}

// BenchmarkRead reads the text back from the same PNG.
func BenchmarkRead(b *testing.B) {
	png, err := pnginfo.Embed(encodePNG(b, noiseImage(1024, 1024, 420)), pnginfo.Params{Prompt: "a cat", Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(png)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pnginfo.Read(png); err != nil {
			b.Fatal(err)
		}
	}
}
