package commands_test

import (
	"encoding/json"
	"strings"
	"testing"

	"dreambot/commands"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// opt is one option of a command payload, with Discord's type number.
type opt struct {
	name  string
	typ   int
	value any
}

func str(name, v string) opt         { return opt{name, 3, v} }
func integer(name string, v int) opt { return opt{name, 4, v} }
func number(name string, v float64) opt {
	return opt{name, 10, v}
}

func withOpts(os ...opt) func(map[string]any) {
	return func(m map[string]any) {
		var list []any
		for _, o := range os {
			list = append(list, map[string]any{"name": o.name, "type": o.typ, "value": o.value})
		}
		m["data"].(map[string]any)["options"] = list
	}
}

func TestImagineOptionsReachTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig(), dreamstudiotest.WithStrictRules())
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", withOpts(
		str("prompt", "a lighthouse"), str("engine", "stable-diffusion-xl-1024-v1-0"),
		str("negative_prompt", "fog, people"), str("size", "1152x896"), integer("seed", 4294967295),
		integer("steps", 30), number("cfg_scale", 9.5), str("sampler", "K_EULER"), str("style_preset", "anime"),
	))))
	if len(msg.Files) != 1 {
		t.Fatalf("got %q, want an image", msg.Content)
	}
	reqs := e.api.Requests()
	var body map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(body)
	want := `{"cfg_scale":9.5,"height":896,"sampler":"K_EULER","seed":4294967295,"steps":30,"style_preset":"anime",` +
		`"text_prompts":[{"text":"a lighthouse","weight":1},{"text":"fog, people","weight":-1}],"width":1152}`
	if string(got) != want {
		t.Errorf("request body\n got %s\nwant %s", got, want)
	}
	for _, s := range []string{"Without: fog, people", "1152x896", "30 steps", "CFG 9.5", "K_EULER", "anime", "4294967295"} {
		if !strings.Contains(msg.Content, s) {
			t.Errorf("reply %q does not mention %q", msg.Content, s)
		}
	}
}

func TestImagineInvalidOptionsCostNothing(t *testing.T) {
	t.Parallel()
	sdxl := str("engine", "stable-diffusion-xl-1024-v1-0")
	tests := []struct {
		name string
		opts []opt
		want string
	}{
		{"SDXL refuses 512x512", []opt{sdxl, str("size", "512x512")}, "1024x1024, 1152x896"},
		{"not a size", []opt{sdxl, str("size", "huge")}, "width x height"},
		{"not a multiple of 64", []opt{str("engine", "stable-diffusion-v1-6"), str("size", "1000x1000")}, "64"},
		{"too many pixels for a 512 engine", []opt{str("engine", "stable-diffusion-512-v2-1"), str("size", "1536x1536")}, "pixels"},
		{"forged steps", []opt{integer("steps", 5)}, "steps"},
		{"forged cfg scale", []opt{number("cfg_scale", 40)}, "from 0 to 35"},
		{"forged seed", []opt{integer("seed", -1)}, "seed"},
		{"seed too large", []opt{number("seed", 4294967296)}, "`seed` must be a whole number from 0 to 4294967295."},
		{"fractional seed", []opt{number("seed", 1.5)}, "whole number"},
		{"seed as text", []opt{str("seed", "123")}, "seed"},
		{"fractional steps", []opt{number("steps", 10.9)}, "whole number"},
		{"zero steps", []opt{integer("steps", 0)}, "steps"},
		{"cfg scale as text", []opt{str("cfg_scale", "abc")}, "cfg_scale"},
		{"forged sampler", []opt{str("sampler", "DPM_FAST")}, "K_EULER"},
		{"forged style", []opt{str("style_preset", "vaporwave")}, "anime"},
		{"negative prompt too long", []opt{str("negative_prompt", strings.Repeat("x", 2001))}, "2000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, defaultConfig())
			calls := e.handle(t, interaction(t, "imagine_guild.json", withOpts(append([]opt{str("prompt", "a cat")}, tt.opts...)...)))
			if len(calls) != 1 || !ephemeral(calls[0]) || !strings.Contains(calls[0].Content, tt.want) {
				t.Errorf("calls %+v, want one private answer containing %q", calls, tt.want)
			}
			if n := len(e.api.Requests()); n > 1 { // the engine list only
				t.Errorf("%d requests to the API for an invalid request", n)
			}
		})
	}
}

func TestSizeAutocomplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		engine, typed string
		want          []string
	}{
		{"stable-diffusion-xl-1024-v1-0", "", []string{"1024x1024", "1152x896", "1216x832", "1344x768", "1536x640", "640x1536", "768x1344", "832x1216", "896x1152"}},
		{"stable-diffusion-xl-1024-v1-0", "1216", []string{"1216x832", "832x1216"}},
		{"", "", sizes("stable-diffusion-xl-1024-v1-0")}, // the default engine
		{"stable-diffusion-512-v2-1", "", sizes("stable-diffusion-512-v2-1")},
	}
	for _, tt := range tests {
		t.Run(tt.engine+"/"+tt.typed, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, defaultConfig())
			calls := e.handle(t, interaction(t, "autocomplete_engine.json", func(m map[string]any) {
				opts := []any{map[string]any{"name": "prompt", "type": 3, "value": "x"}}
				if tt.engine != "" {
					opts = append(opts, map[string]any{"name": "engine", "type": 3, "value": tt.engine})
				}
				opts = append(opts, map[string]any{"name": "size", "type": 3, "value": tt.typed, "focused": true})
				m["data"].(map[string]any)["options"] = opts
			}))
			if got, want := choiceValues(calls[0].Choices), strings.Join(tt.want, ","); got != want {
				t.Errorf("sizes %s, want %s", got, want)
			}
			for _, c := range calls[0].Choices {
				if !strings.Contains(c.Name, ":") {
					t.Errorf("choice %q does not show its aspect ratio", c.Name)
				}
			}
		})
	}
}

func TestDocumentedBadRequestNamesAreExplained(t *testing.T) {
	t.Parallel()
	generic, _ := commands.Describe(&dreamstudio.Error{Status: 400, Name: "bad_request"})
	for _, name := range []string{"invalid_sdxl_v1_dimensions", "invalid_sdxl_v222_dimensions", "invalid_pixel_count",
		"invalid_height_or_width", "invalid_prompts", "invalid_samples", "invalid_file_size", "invalid_mime_type",
		"invalid_image_dimensions", "invalid_mask_image"} {
		resp, _ := commands.Describe(&dreamstudio.Error{Status: 400, Name: name, Message: "raw api text"})
		if resp.Content == generic.Content || strings.Contains(resp.Content, "raw api text") || !resp.Ephemeral {
			t.Errorf("%s: %q is not a specific, private explanation", name, resp.Content)
		}
	}
}

func sizes(engine string) []string {
	var out []string
	for _, s := range dreamstudio.Sizes(engine) {
		out = append(out, s.String())
	}
	return out
}
