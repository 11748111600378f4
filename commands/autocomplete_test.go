package commands_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"dreambot/commands"
	"dreambot/dreamstudio/dreamstudiotest"
)

func focused(value string) func(map[string]any) {
	return func(m map[string]any) {
		m["data"].(map[string]any)["options"] = []any{
			map[string]any{"name": "prompt", "type": 3, "value": "a lighthouse"},
			map[string]any{"name": "engine", "type": 3, "value": value, "focused": true},
		}
	}
}

func choiceValues(cs []*discordgo.ApplicationCommandOptionChoice) string {
	var v []string
	for _, c := range cs {
		v = append(v, fmt.Sprint(c.Value))
	}
	return strings.Join(v, ",")
}

func TestEngineAutocomplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		allowed []string
		typed   string
		want    string
	}{
		{name: "everything", want: "stable-diffusion-xl-1024-v1-0,stable-diffusion-v1-6,stable-diffusion-512-v2-1"},
		{name: "by name, any case", typed: "XL", want: "stable-diffusion-xl-1024-v1-0"},
		{name: "by id", typed: "v1-6", want: "stable-diffusion-v1-6"},
		{name: "by name with dots", typed: "v2.1", want: "stable-diffusion-512-v2-1"},
		{name: "nothing matches", typed: "midjourney", want: ""},
		{name: "allow-list", allowed: []string{"stable-diffusion-v1-6"}, want: "stable-diffusion-v1-6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultConfig()
			cfg.AllowedEngines = tt.allowed
			e := newEnv(t, cfg)
			calls := e.handle(t, interaction(t, "autocomplete_engine.json", focused(tt.typed)))
			if len(calls) != 1 || calls[0].Type != discordgo.InteractionApplicationCommandAutocompleteResult {
				t.Fatalf("calls %+v, want one autocomplete result", calls)
			}
			if got := choiceValues(calls[0].Choices); got != tt.want {
				t.Errorf("choices %s, want %s", got, tt.want)
			}
		})
	}
}

func TestEngineAutocompleteLimits(t *testing.T) {
	t.Parallel()
	var engines []dreamstudiotest.Engine
	for i := range 30 {
		engines = append(engines, dreamstudiotest.Engine{
			ID: fmt.Sprintf("engine-%02d", i), Name: fmt.Sprintf("Engine %02d %s", i, strings.Repeat("long name ", 20)),
			Description: "test engine", Type: "PICTURE",
		})
	}
	e := newEnv(t, defaultConfig(), dreamstudiotest.WithEngines(engines...))
	c := e.handle(t, interaction(t, "autocomplete_engine.json", focused("")))[0]
	if len(c.Choices) != 25 {
		t.Fatalf("%d choices, want Discord's maximum of 25", len(c.Choices))
	}
	for _, ch := range c.Choices {
		if n := utf8.RuneCountInString(ch.Name); n < 1 || n > 100 {
			t.Errorf("choice name of %d characters", n)
		}
	}
	if c.Choices[0].Value != "engine-00" || !strings.HasPrefix(c.Choices[0].Name, "Engine 00") {
		t.Errorf("first choice %+v: label must be the name, value the id", c.Choices[0])
	}
}

func TestEngineAutocompleteWhenAPIDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, commands.Config{})
	e.api.AddFault(dreamstudiotest.Fault{Status: 500, Name: "internal_error", Message: "down", Times: dreamstudiotest.Always})
	calls := e.handle(t, interaction(t, "autocomplete_engine.json", focused("xl")))
	if len(calls) != 1 || calls[0].Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(calls[0].Choices) != 0 {
		t.Fatalf("calls %+v, want an empty autocomplete result, never an error", calls)
	}
}
