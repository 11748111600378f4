package pnginfo_test

import (
	"testing"

	"dreambot/pnginfo"
)

// FuzzEmbed checks, on any input, that Embed either refuses it or returns a
// PNG whose chunks all check out and whose text Read returns; and that input
// Read accepts is never refused by Embed.
func FuzzEmbed(f *testing.F) {
	good := smallPNG(f)
	f.Add(good, "a cat")
	f.Add(good[:len(good)-3], "truncated")
	f.Add(withChunks(f, good, makeChunk("tEXt", []byte("prompt\x00old"))), "replace \x00 me \xff")
	f.Add([]byte("\x89PNG\r\n\x1a\n"), "")
	f.Fuzz(func(t *testing.T, png []byte, prompt string) {
		_, readErr := pnginfo.Read(png)
		out, err := pnginfo.Embed(png, pnginfo.Params{Prompt: prompt, Seed: 1})
		if err != nil {
			if readErr == nil {
				t.Fatalf("Read accepts the input but Embed refuses it: %v", err)
			}
			return
		}
		splitPNG(t, out)
		m, err := pnginfo.Read(out)
		if err != nil {
			t.Fatalf("Read of Embed's output: %v", err)
		}
		if m["seed"] != "1" {
			t.Errorf("seed = %q, want 1", m["seed"])
		}
	})
}
