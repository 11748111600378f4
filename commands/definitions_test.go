package commands_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/commands"
	"dreambot/dreamstudio"
)

// TestImagineOptionsMatchTheAPIDescription ties /imagine's declared
// ranges and choices to the API description copied into the repository.
func TestImagineOptionsMatchTheAPIDescription(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../dreamstudio/dreamstudiotest/testdata/stability-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	type schema struct {
		Minimum, Maximum *float64
		MaxLength        *int
		Enum             []string
		Properties       map[string]schema
	}
	var doc struct {
		Components struct{ Schemas map[string]schema }
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas

	var imagine *discordgo.ApplicationCommand
	for _, c := range commands.New(commands.Config{}, commands.Deps{}, nil).Definitions() {
		if c.Name == "imagine" {
			imagine = c
		}
	}
	opts := map[string]*discordgo.ApplicationCommandOption{}
	for _, o := range imagine.Options {
		opts[o.Name] = o
	}
	ranges := []struct{ option, schema string }{{"seed", "Seed"}, {"steps", "Steps"}, {"cfg_scale", "CfgScale"}}
	for _, r := range ranges {
		o, sc := opts[r.option], s[r.schema]
		if o == nil || o.MinValue == nil || *o.MinValue != *sc.Minimum || o.MaxValue != *sc.Maximum {
			t.Errorf("%s: option %+v, want min %v max %v", r.option, o, *sc.Minimum, *sc.Maximum)
		}
	}
	choices := []struct{ option, schema string }{{"sampler", "Sampler"}, {"style_preset", "StylePreset"}}
	for _, c := range choices {
		var got []string
		for _, ch := range opts[c.option].Choices {
			got = append(got, ch.Value.(string))
		}
		if !slices.Equal(got, s[c.schema].Enum) {
			t.Errorf("%s choices %v, want the description's %v", c.option, got, s[c.schema].Enum)
		}
	}
	// The longest prompt any model takes (v1's, from its description, or the Stable Image models'),
	// within the most Discord lets a member type into an option.
	const discordMaxLength = 6000
	want := min(discordMaxLength, max(int(*s["TextPrompt"].Properties["text"].MaxLength), dreamstudio.MaxStableImagePrompt))
	for _, name := range []string{"prompt", "negative_prompt"} {
		if opts[name].MaxLength != want {
			t.Errorf("%s max_length %d, want %d", name, opts[name].MaxLength, want)
		}
	}
}
