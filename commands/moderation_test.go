package commands_test

import (
	"context"
	"strings"
	"testing"

	"dreambot/commands"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/settings"
)

// sub builds /dreamstudio's options: a path of subcommand group and
// subcommand, then name, value pairs.
func sub(path []string, kv ...any) func(map[string]any) {
	return func(m map[string]any) {
		var opts []any
		for i := 0; i+1 < len(kv); i += 2 {
			typ := 3
			switch kv[i+1].(type) {
			case float64:
				typ = 4
			case bool:
				typ = 5
			}
			opts = append(opts, map[string]any{"name": kv[i], "type": typ, "value": kv[i+1]})
		}
		for i := len(path) - 1; i >= 0; i-- {
			typ := 1
			if i < len(path)-1 {
				typ = 2
			}
			opts = []any{map[string]any{"name": path[i], "type": typ, "options": opts}}
		}
		m["data"].(map[string]any)["options"] = opts
	}
}

func withPermissions(p string) func(map[string]any) {
	return func(m map[string]any) { m["member"].(map[string]any)["permissions"] = p }
}

func (e *env) moderate(t *testing.T, edit ...func(map[string]any)) string {
	t.Helper()
	msg := last(t, e.handle(t, interaction(t, "dreamstudio_guild.json", both(edit...))))
	if !ephemeral(msg) {
		t.Errorf("settings reply %q is public, want it private", msg.Content)
	}
	return msg.Content
}

func (e *env) audits(t *testing.T) int {
	t.Helper()
	changes, err := e.db.Audit(context.Background(), "1309000000000000001", 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(changes)
}

func TestModeratorsOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		edit func(map[string]any)
		want string
	}{
		{"member without Manage Server", "dreamstudio_guild.json", withPermissions("2248473465835073"), "Manage Server"},
		{"no permissions at all", "dreamstudio_guild.json", withPermissions("0"), "Manage Server"},
		{"in a DM", "imagine_dm.json", sub([]string{"engines", "allow"}, "engine", "stable-diffusion-v1-6"), "inside a server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, defaultConfig())
			in := interaction(t, tt.file, both(tt.edit, func(m map[string]any) { m["data"].(map[string]any)["name"] = "dreamstudio" }))
			msg := last(t, e.handle(t, in))
			if !ephemeral(msg) || !strings.Contains(msg.Content, tt.want) {
				t.Errorf("got %q, want a private refusal mentioning %q", msg.Content, tt.want)
			}
			if n := e.audits(t); n != 0 {
				t.Errorf("%d changes recorded after a refusal", n)
			}
		})
	}
}

func TestAllowAndBlockEngines(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())

	got := e.moderate(t, sub([]string{"engines", "allow"}, "engine", "stable-diffusion-v1-6"))
	if !strings.Contains(got, "Done: allow stable-diffusion-v1-6") || !strings.Contains(got, "Engines members may use: Stable Diffusion v1.6") {
		t.Fatalf("allow reply:\n%s", got)
	}
	// /imagine now defaults to, and autocompletes, only the allowed engine,
	// and refuses another even when typed by hand.
	ac := e.handle(t, interaction(t, "autocomplete_engine.json", focused("")))
	if v := choiceValues(ac[len(ac)-1].Choices); v != "stable-diffusion-v1-6" {
		t.Errorf("autocomplete offers %s, want only the allowed engine", v)
	}
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil))) // asks for SDXL
	if !strings.Contains(msg.Content, "isn't allowed here") || e.api.Generations() != 0 {
		t.Errorf("blocked engine: got %q after %d generations", msg.Content, e.api.Generations())
	}
	msg = last(t, e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "a cat"))))
	if len(msg.Files) != 1 || !strings.Contains(msg.Content, "Stable Diffusion v1.6") {
		t.Errorf("default engine: got %q", msg.Content)
	}

	got = e.moderate(t, sub([]string{"engines", "block"}, "engine", "stable-diffusion-v1-6"))
	if !strings.Contains(got, "only allowed engine") {
		t.Errorf("blocking the last allowed engine: got %q", got)
	}
	e.moderate(t, sub([]string{"engines", "allow"}, "engine", "Stable Diffusion XL 1.0")) // by name
	got = e.moderate(t, sub([]string{"engines", "block"}, "engine", "stable-diffusion-v1-6"))
	if !strings.Contains(got, "Engines members may use: Stable Diffusion XL 1.0 (`stable-diffusion-xl-1024-v1-0`, ≈0.33 credits)\n") ||
		!strings.Contains(got, "Blocked: `stable-diffusion-v1-6`") {
		t.Errorf("after block:\n%s", got)
	}
	if n := e.audits(t); n != 3 {
		t.Errorf("%d changes recorded, want 3 (the refused block is not one)", n)
	}

	got = e.moderate(t, sub([]string{"engines", "reset"}))
	if !strings.Contains(got, "Engines: all that DreamStudio offers") {
		t.Errorf("after reset:\n%s", got)
	}
}

func TestEngineMustExist(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	for _, path := range [][]string{{"engines", "allow"}, {"engines", "block"}, {"default-engine"}} {
		got := e.moderate(t, sub(path, "engine", "../../etc/passwd"))
		if !strings.Contains(got, "isn't an engine DreamStudio offers") || !strings.Contains(got, "stable-diffusion-xl-1024-v1-0") {
			t.Errorf("%v with a forged id: got %q, want a refusal listing the valid engines", path, got)
		}
	}
	if n := e.audits(t); n != 0 {
		t.Errorf("%d changes recorded for forged ids", n)
	}
}

func TestDefaultEngineSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	got := e.moderate(t, sub([]string{"default-engine"}, "engine", "stable-diffusion-512-v2-1"))
	if !strings.Contains(got, "Default engine: Stable Diffusion v2.1 (`stable-diffusion-512-v2-1`, set for this server)") {
		t.Errorf("reply:\n%s", got)
	}
	e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "a cat")))
	reqs := e.api.Requests()
	if p := reqs[len(reqs)-1].Path; !strings.Contains(p, "/stable-diffusion-512-v2-1/") {
		t.Errorf("generated with %s, want the server's default", p)
	}
}

func TestLimitsSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig()) // the operator allows 2 in a row
	got := e.moderate(t, sub([]string{"limits"}, "per-user", 1.0, "every", 60.0))
	if !strings.Contains(got, "Limit: 1 images every 60 s per member (set for this server)") {
		t.Errorf("reply:\n%s", got)
	}
	e.handle(t, interaction(t, "imagine_guild.json", nil))
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if !strings.Contains(msg.Content, "imagine again in") {
		t.Errorf("second image: got %q, want the server's limit", msg.Content)
	}
	for _, bad := range []func(map[string]any){
		sub([]string{"limits"}, "per-user", 1.0),
		sub([]string{"limits"}, "per-user", 1.0, "every", 60.0, "reset", true),
		sub([]string{"limits"}, "per-user", 500.0, "every", 60.0),
	} {
		if got := e.moderate(t, bad); strings.Contains(got, "Done") {
			t.Errorf("bad limits accepted: %q", got)
		}
	}
	if got := e.moderate(t, sub([]string{"limits"}, "reset", true)); !strings.Contains(got, "the bot's default") {
		t.Errorf("reset: %q", got)
	}
}

func TestListShowsEverything(t *testing.T) {
	t.Parallel()
	// The API no longer lists the 512 engine.
	e := newEnv(t, commands.Config{AllowedEngines: []string{"stable-diffusion-v1-6"}},
		dreamstudiotest.WithEngines(dreamstudiotest.DefaultEngines()[:2]...))
	got := e.moderate(t, sub([]string{"engines", "list"}))
	if !strings.Contains(got, "Engines members may use: Stable Diffusion v1.6") || strings.Contains(got, "Last change") {
		t.Errorf("operator default:\n%s", got)
	}
	// Allowing on top of the operator's list extends it.
	e.moderate(t, sub([]string{"engines", "allow"}, "engine", "stable-diffusion-xl-1024-v1-0"))
	// An engine allowed while the API still listed it.
	if _, err := e.db.UpdateGuild(context.Background(), "1309000000000000001", "42", "allow", func(g *settings.Guild) (string, error) {
		return "allow stable-diffusion-512-v2-1", g.Allow("stable-diffusion-512-v2-1")
	}); err != nil {
		t.Fatal(err)
	}
	got = e.moderate(t, sub([]string{"engines", "list"}))
	defer func() {
		// A retired engine can still be blocked, to tidy the list.
		got := e.moderate(t, sub([]string{"engines", "block"}, "engine", "stable-diffusion-512-v2-1"))
		if !strings.Contains(got, "Done: block stable-diffusion-512-v2-1") || strings.Contains(got, "no longer offered") {
			t.Errorf("blocking a retired engine:\n%s", got)
		}
	}()
	for _, want := range []string{"Stable Diffusion XL 1.0 (`stable-diffusion-xl-1024-v1-0`, ≈0.33 credits), Stable Diffusion v1.6",
		"no longer offered by DreamStudio: `stable-diffusion-512-v2-1`",
		"Last change: <@42>", "(allow stable-diffusion-512-v2-1)", "Default engine: Stable Diffusion XL 1.0", "Limit:"} {
		if !strings.Contains(got, want) {
			t.Errorf("list does not show %q:\n%s", want, got)
		}
	}
}
