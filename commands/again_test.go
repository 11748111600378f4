package commands_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// click loads the real component payload with its custom_id set.
func click(t *testing.T, customID string, edit ...func(map[string]any)) *discordgo.Interaction {
	t.Helper()
	return interaction(t, "again_click.json", both(append(edit, func(m map[string]any) {
		m["data"].(map[string]any)["custom_id"] = customID
	})...))
}

// againButton returns the custom id of the Again button of the last message.
func againButton(t *testing.T, e *env) string {
	t.Helper()
	calls := e.rec.Calls()
	ids := calls[len(calls)-1].CustomIDs()
	if len(ids) == 0 || !strings.HasPrefix(ids[0], "again:") {
		t.Fatalf("buttons %v, want Again first", ids)
	}
	return ids[0]
}

func TestAgainMakesTheImageAgainWithANewSeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	e.handle(t, interaction(t, "imagine_guild.json", withOpts(
		str("prompt", "a lighthouse"), str("size", "1216x832"), integer("seed", 7), integer("steps", 20), str("style_preset", "anime"))))
	button := againButton(t, e)

	// Someone else in the server clicks it.
	before := len(e.rec.Calls())
	calls := e.handle(t, click(t, button, asMember("222222222222222222")))[before:]
	if len(calls) != 2 || calls[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || len(calls[1].Files) != 1 {
		t.Fatalf("calls %+v, want a deferral then a new image", calls)
	}
	if ids := calls[1].CustomIDs(); len(ids) == 0 || ids[0] == button || !strings.HasPrefix(ids[0], "again:") {
		t.Errorf("the new image's buttons %v, want its own Again button", ids)
	}
	reqs := e.api.Requests()
	var body map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if _, seeded := body["seed"]; seeded || body["width"] != 1216.0 || body["steps"] != 20.0 || body["style_preset"] != "anime" {
		t.Errorf("again sent %v, want the same request with a random seed", body)
	}
	if e.api.Generations() != 2 {
		t.Errorf("%d generations, want 2", e.api.Generations())
	}
}

func TestAgainRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	e.handle(t, interaction(t, "imagine_guild.json", nil))
	button := againButton(t, e)
	tests := []struct {
		name string
		in   *discordgo.Interaction
		want string
	}{
		{"unknown id", click(t, "again:999999"), "older than what I remember"},
		{"forged id", click(t, "again:../../x"), "doesn't work"},
		{"another server", click(t, button, func(m map[string]any) { m["guild_id"] = "1309999999999999999" }), "another conversation"},
	}
	for _, tt := range tests {
		msg := last(t, e.handle(t, tt.in))
		if !ephemeral(msg) || !strings.Contains(msg.Content, tt.want) {
			t.Errorf("%s: got %q, want a private %q", tt.name, msg.Content, tt.want)
		}
	}
	// The member's second token is still there: refusals gave theirs back.
	if msg := last(t, e.handle(t, click(t, button))); len(msg.Files) != 1 {
		t.Errorf("second image: %q", msg.Content)
	}
	// The third is over the member's limit, even through the button.
	if msg := last(t, e.handle(t, click(t, button))); !strings.Contains(msg.Content, "imagine again in") {
		t.Errorf("third image: got %q, want the rate limit", msg.Content)
	}
}

func TestAgainFollowsTheServersEngines(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	e.handle(t, interaction(t, "imagine_guild.json", nil)) // SDXL
	button := againButton(t, e)
	e.moderate(t, sub([]string{"engines", "block"}, "engine", "stable-diffusion-xl-1024-v1-0"))
	if msg := last(t, e.handle(t, click(t, button))); !strings.Contains(msg.Content, "isn't allowed here") {
		t.Errorf("got %q, want the blocked engine refused", msg.Content)
	}
}
