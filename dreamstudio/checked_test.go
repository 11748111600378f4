package dreamstudio_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"dreambot/dreamstudio"
)

// TestCheckedJSON checks the stored form of both kinds of request: what goes out comes back the
// same, and what comes back is checked again.
func TestCheckedJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		engine string
		params dreamstudio.Params
		stored string
	}{
		{"v1 keeps the request form", sdxl,
			dreamstudio.Params{Prompt: "a cat", NegativePrompt: "dogs", Size: dreamstudio.Size{Width: 1024, Height: 1024}, Seed: 7, CfgScale: ptr(0.0)},
			`{"engine":"` + sdxl + `","request":{"text_prompts":[{"text":"a cat","weight":1},{"text":"dogs","weight":-1}],"width":1024,"height":1024,"cfg_scale":0,"seed":7}}`},
		{"core", "core",
			dreamstudio.Params{Prompt: "a cat", NegativePrompt: "dogs", AspectRatio: "21:9", Seed: 4294967294, StylePreset: "anime"},
			`{"engine":"core","params":{"prompt":"a cat","negative_prompt":"dogs","aspect_ratio":"21:9","seed":4294967294,"style_preset":"anime"}}`},
		{"sd3", "sd3.5-large-turbo",
			dreamstudio.Params{Prompt: "a cat", CfgScale: ptr(1.5)},
			`{"engine":"sd3.5-large-turbo","params":{"prompt":"a cat","cfg_scale":1.5}}`},
		{"v1 from a picture keeps the params form", sdxl,
			dreamstudio.Params{Prompt: "a cat", Size: dreamstudio.Size{Width: 1344, Height: 768}, Steps: 30,
				Init: &dreamstudio.Init{Width: 1344, Height: 768, Keep: 0.35}},
			`{"engine":"` + sdxl + `","params":{"prompt":"a cat","size":{"Width":1344,"Height":768},"steps":30,"init":{"width":1344,"height":768,"keep":0.35}}}`},
		{"ultra from a picture", "ultra",
			dreamstudio.Params{Prompt: "a cat", Init: &dreamstudio.Init{Width: 640, Height: 480, Keep: 0}},
			`{"engine":"ultra","params":{"prompt":"a cat","init":{"width":640,"height":480,"keep":0}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checked, err := dreamstudio.CheckParams(tt.engine, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(checked)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.stored {
				t.Errorf("stored %s\nwant   %s", b, tt.stored)
			}
			var back dreamstudio.Checked
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Params(), tt.params) || back.Engine() != tt.engine {
				t.Errorf("back %s %+v, want %s %+v", back.Engine(), back.Params(), tt.engine, tt.params)
			}
			if got, _ := back.Credits(); got != must(checked.Credits()) {
				t.Errorf("Credits() changed on the way: %v", got)
			}
		})
	}
}

func TestStoredStableImageRequestsAreCheckedAgain(t *testing.T) {
	t.Parallel()
	for _, stored := range []string{
		`{"engine":"core","params":{"prompt":"a cat","cfg_scale":5}}`,
		`{"engine":"ultra","params":{"prompt":"a cat","steps":30}}`,
		`{"engine":"sd3-medium","params":{"prompt":"a cat","aspect_ratio":"4:3"}}`,
		`{"engine":"ultra","params":{"prompt":""}}`,
		`{"engine":"ultra","request":{"text_prompts":[{"text":"a cat"}],"width":1024,"height":1024}}`,
		`{"engine":"` + sdxl + `","params":{"prompt":"a cat","size":{"Width":1024,"Height":1024}}}`,
	} {
		var c dreamstudio.Checked
		var verr *dreamstudio.ValidationError
		if err := json.Unmarshal([]byte(stored), &c); !errors.As(err, &verr) {
			t.Errorf("unmarshal %s: err = %v, want a *ValidationError", stored, err)
		}
	}
}

// TestParamsAreCopies checks that a caller's cfg scale cannot change a checked request.
func TestParamsAreCopies(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{sdxl, "sd3.5-large"} {
		cfg := 5.0
		p := dreamstudio.Params{Prompt: "a cat", CfgScale: &cfg}
		if engine == sdxl {
			p.Size = dreamstudio.Size{Width: 1024, Height: 1024}
		}
		checked, err := dreamstudio.CheckParams(engine, p)
		if err != nil {
			t.Fatal(err)
		}
		cfg = 99
		*checked.Params().CfgScale = 98
		if got := *checked.Params().CfgScale; got != 5 {
			t.Errorf("%s: cfg scale %v after the caller changed theirs, want 5", engine, got)
		}
	}
}

func must[T any](v T, _ bool) T { return v }
