package pnginfo_test

import (
	"bytes"
	"errors"
	"image/png"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dreambot/pnginfo"
)

// roundTrip is a set of parameters and the text each chunk must carry,
// written out by hand.
type roundTrip struct {
	name string
	p    pnginfo.Params
	want map[string]string
}

// roundTrips are embedded in every test image.
func roundTrips() []roundTrip {
	return []roundTrip{
		{
			name: "all fields",
			p: pnginfo.Params{
				Prompt: "a cat in space", NegativePrompt: "blurry", Engine: "stable-diffusion-xl-1024-v1-0",
				Seed: 42, Steps: 30, CfgScale: 7, Sampler: "K_EULER", Style: "anime",
				Width: 1024, Height: 1024, FinishReason: "SUCCESS",
			},
			want: map[string]string{
				"parameters": "a cat in space\nNegative prompt: blurry\nSteps: 30, Sampler: K_EULER, CFG scale: 7, " +
					"Seed: 42, Size: 1024x1024, Model: stable-diffusion-xl-1024-v1-0, Style: anime, Finish reason: SUCCESS",
				"prompt": "a cat in space", "negative_prompt": "blurry", "engine": "stable-diffusion-xl-1024-v1-0",
				"seed": "42", "steps": "30", "cfg_scale": "7", "sampler": "K_EULER", "style": "anime",
				"size": "1024x1024", "finish_reason": "SUCCESS",
			},
		},
		{
			name: "japanese",
			p:    pnginfo.Params{Prompt: "宇宙を飛ぶ猫、水彩画", NegativePrompt: "ぼやけた", Seed: 7, CfgScale: 6.5},
			want: map[string]string{
				"parameters": "宇宙を飛ぶ猫、水彩画\nNegative prompt: ぼやけた\nCFG scale: 6.5, Seed: 7",
				"prompt":     "宇宙を飛ぶ猫、水彩画", "negative_prompt": "ぼやけた", "seed": "7", "cfg_scale": "6.5",
			},
		},
		{
			name: "emoji",
			p:    pnginfo.Params{Prompt: "🐱🚀 astronaut 👩🏽‍🚀", Seed: 1, Style: "pixel-art"},
			want: map[string]string{
				"parameters": "🐱🚀 astronaut 👩🏽‍🚀\nSeed: 1, Style: pixel-art",
				"prompt":     "🐱🚀 astronaut 👩🏽‍🚀", "seed": "1", "style": "pixel-art",
			},
		},
		{
			name: "arabic",
			p:    pnginfo.Params{Prompt: "قطة في الفضاء", NegativePrompt: "ضبابي", Seed: 3, Width: 512, Height: 768},
			want: map[string]string{
				"parameters": "قطة في الفضاء\nNegative prompt: ضبابي\nSeed: 3, Size: 512x768",
				"prompt":     "قطة في الفضاء", "negative_prompt": "ضبابي", "seed": "3", "size": "512x768",
			},
		},
		{
			name: "quotes commas colons",
			p:    pnginfo.Params{Prompt: `"quotes, commas: colons"`, Seed: 5, Sampler: "K_DPM_2: fast, sharp"},
			want: map[string]string{
				"parameters": "\"quotes, commas: colons\"\nSampler: \"K_DPM_2: fast, sharp\", Seed: 5",
				"prompt":     `"quotes, commas: colons"`, "seed": "5", "sampler": "K_DPM_2: fast, sharp",
			},
		},
		{
			name: "NUL removed and invalid utf-8 repaired",
			p:    pnginfo.Params{Prompt: "a\x00b\xffc", Seed: 0},
			want: map[string]string{"parameters": "ab\uFFFDc\nSeed: 0", "prompt": "ab\uFFFDc", "seed": "0"},
		},
	}
}

func TestEmbedRoundTrip(t *testing.T) {
	t.Parallel()
	for imgName, img := range testImages() {
		orig := encodePNG(t, img)
		origChunks := splitPNG(t, orig)
		for _, tt := range roundTrips() {
			t.Run(imgName+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				input := bytes.Clone(orig)
				out, err := pnginfo.Embed(input, tt.p)
				if err != nil {
					t.Fatalf("Embed: %v", err)
				}
				if !bytes.Equal(input, orig) {
					t.Errorf("Embed modified its input")
				}
				checkChunks(t, origChunks, splitPNG(t, out), tt.want)

				decoded, err := png.Decode(bytes.NewReader(out))
				if err != nil {
					t.Fatalf("image/png rejects the output: %v", err)
				}
				samePixels(t, img, decoded)
				origDecoded, err := png.Decode(bytes.NewReader(orig))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(decoded, origDecoded) {
					t.Errorf("decoded image differs from the decoded original")
				}

				got, err := pnginfo.Read(out)
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if !maps.Equal(got, tt.want) {
					t.Errorf("Read = %q, want %q", got, tt.want)
				}
			})
		}
	}
}

// checkChunks checks that out is orig's IHDR, then one uncompressed iTXt per
// wanted field with "parameters" first, then orig's other chunks unchanged.
func checkChunks(t *testing.T, orig, out []rawChunk, want map[string]string) {
	t.Helper()
	n := len(want)
	if len(out) != len(orig)+n {
		t.Fatalf("got %d chunks, want %d original + %d text", len(out), len(orig), n)
	}
	if !bytes.Equal(out[0].raw, orig[0].raw) {
		t.Errorf("IHDR changed")
	}
	got := map[string]string{}
	for i, c := range out[1 : 1+n] {
		if c.typ != "iTXt" {
			t.Fatalf("chunk %d is %s, want iTXt", i+1, c.typ)
		}
		it := decodeITXt(t, c.data)
		checkKeyword(t, it.keyword)
		checkText(t, it.keyword, it.text)
		if it.flag != 0 || it.method != 0 || it.language != "" || it.translated != "" {
			t.Errorf("%s: flag %d method %d language %q translated %q, want 0 0 \"\" \"\"",
				it.keyword, it.flag, it.method, it.language, it.translated)
		}
		if i == 0 && it.keyword != "parameters" {
			t.Errorf("first text chunk is %q, want parameters", it.keyword)
		}
		got[it.keyword] = it.text
	}
	if !maps.Equal(got, want) {
		t.Errorf("iTXt chunks = %q, want %q", got, want)
	}
	for i, c := range orig[1:] {
		if !bytes.Equal(out[1+n+i].raw, c.raw) {
			t.Errorf("chunk %d (%s) not copied byte for byte", 1+i, c.typ)
		}
	}
	if a, b := idat(orig), idat(out); !bytes.Equal(a, b) || len(a) == 0 {
		t.Errorf("IDAT bytes differ: %d before, %d after", len(a), len(b))
	}
}

// idat concatenates the IDAT chunks, headers and CRCs included.
func idat(cs []rawChunk) []byte {
	var b []byte
	for _, c := range cs {
		if c.typ == "IDAT" {
			b = append(b, c.raw...)
		}
	}
	return b
}

func TestEmbedInputHasSeveralIDATs(t *testing.T) {
	t.Parallel()
	// Guards the round trip above: copying one IDAT would prove less.
	cs := splitPNG(t, encodePNG(t, testImages()["nrgba noise"]))
	n := 0
	for _, c := range cs {
		if c.typ == "IDAT" {
			n++
		}
	}
	if n < 2 {
		t.Fatalf("test image has %d IDAT chunks, want several", n)
	}
}

func TestEmbedReplacesOwnChunks(t *testing.T) {
	t.Parallel()
	foreign := makeChunk("tEXt", []byte("Software\x00some editor"))
	stale := makeChunk("iTXt", []byte("style\x00\x00\x00\x00\x00old style"))
	base := withChunks(t, smallPNG(t), foreign, stale)
	first, err := pnginfo.Embed(base, pnginfo.Params{Prompt: "first", Seed: 1, Style: "anime", Steps: 10})
	if err != nil {
		t.Fatal(err)
	}
	second, err := pnginfo.Embed(first, pnginfo.Params{Prompt: "second", Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var keywords []string
	for _, c := range splitPNG(t, second) {
		if c.typ == "iTXt" || c.typ == "tEXt" {
			k, _, _ := bytes.Cut(c.data, []byte{0})
			keywords = append(keywords, string(k))
		}
	}
	want := []string{"parameters", "prompt", "seed", "Software"}
	if !slices.Equal(keywords, want) {
		t.Errorf("text chunks %q, want %q", keywords, want)
	}
	got, err := pnginfo.Read(second)
	if err != nil {
		t.Fatal(err)
	}
	if got["parameters"] != "second\nSeed: 2" || got["Software"] != "some editor" {
		t.Errorf("Read = %q", got)
	}
}

func TestEmbedRefusesHugeText(t *testing.T) {
	t.Parallel()
	_, err := pnginfo.Embed(smallPNG(t), pnginfo.Params{Prompt: strings.Repeat("a", 1<<20+1)})
	if err == nil {
		t.Fatal("Embed accepted a prompt over 1 MiB")
	}
	var fe *pnginfo.FormatError
	if errors.As(err, &fe) {
		t.Errorf("error %v is a FormatError, but the png was fine", err)
	}
}
