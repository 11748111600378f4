package main

// End-to-end tests of Stability's v2beta Stable Image models beside the v1
// engines: the picker, /imagine on each kind, refusals that spend nothing,
// the Again button, moderators' choices, the operator's ceilings and
// budgets, and the shell.

import (
	"bytes"
	"mime"
	"mime/multipart"
	"os"
	"reflect"
	"strings"
	"testing"

	"dreambot/discordtest"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/pnginfo"
)

const manageGuild = 1 << 5

// v2Forms returns the fields of every v2beta request the fake received, oldest first, with the
// path each went to under "path".
func v2Forms(t *testing.T, api *dreamstudiotest.Server) []map[string]string {
	t.Helper()
	var out []map[string]string
	for _, r := range api.Requests() {
		if !strings.HasPrefix(r.Path, "/v2beta/") {
			continue
		}
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("%s: content type: %v", r.Path, err)
		}
		form, err := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"]).ReadForm(1 << 20)
		if err != nil {
			t.Fatalf("%s: %v", r.Path, err)
		}
		fields := map[string]string{"path": r.Path, "accept": r.Header.Get("Accept")}
		for k, v := range form.Value {
			fields[k] = strings.Join(v, "|")
		}
		out = append(out, fields)
	}
	return out
}

// choices asks the picker of command for option focused, with opts already filled.
func choices(t *testing.T, e *e2e, command, focused, typed string, opts ...discordtest.InteractionOption) map[string]string {
	t.Helper()
	opts = append(opts, discordtest.Focused(focused, typed))
	resp, err := e.discord.Inject(discordtest.Autocomplete(command, opts...)).WaitResponse(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range resp.Data.Choices {
		out[c.Value.(string)] = c.Name
	}
	return out
}

func TestE2EPickerOffersEnginesAndModelsWithCosts(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	got := choices(t, e, "imagine", "engine", "", discordtest.WithOption("prompt", "x"))
	want := map[string]string{
		"stable-diffusion-xl-1024-v1-0": "Stable Diffusion XL 1.0 · ≈",
		"ultra":                         "Stable Image Ultra · 8 credits",
		"core":                          "Stable Image Core · 3 credits",
		"sd3.5-large":                   "SD 3.5 Large · 6.5 credits",
		"sd3.5-large-turbo":             "SD 3.5 Large Turbo · 4 credits",
		"sd3.5-medium":                  "SD 3.5 Medium · 3.5 credits",
	}
	for id, label := range want {
		if !strings.HasPrefix(got[id], label) {
			t.Errorf("choice %s is labelled %q, want %q…", id, got[id], label)
		}
	}

	ratios := choices(t, e, "imagine", "size", "", discordtest.WithOption("prompt", "x"), discordtest.WithOption("engine", "core"))
	var values []string
	for v := range ratios {
		values = append(values, v)
	}
	if len(values) != 9 || ratios["16:9"] == "" || ratios["1:1"] == "" || ratios["9:21"] == "" {
		t.Errorf("sizes for core: %v, want the nine aspect ratios", ratios)
	}
	sizes := choices(t, e, "imagine", "size", "", discordtest.WithOption("prompt", "x"),
		discordtest.WithOption("engine", "stable-diffusion-xl-1024-v1-0"))
	if len(sizes) != 9 || sizes["1344x768"] == "" {
		t.Errorf("sizes for SDXL: %v, want the nine SDXL sizes", sizes)
	}
}

func TestE2EImagineStableImage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   []discordtest.InteractionOption
		fields map[string]string // sent to the API, besides prompt, output_format and the path
		shows  []string
		model  string
	}{
		{
			name: "core with ratio, seed, style and negative prompt",
			opts: []discordtest.InteractionOption{discordtest.WithOption("engine", "core"), discordtest.WithOption("size", "16:9"),
				discordtest.WithOption("seed", 42), discordtest.WithOption("style_preset", "anime"),
				discordtest.WithOption("negative_prompt", "fog")},
			fields: map[string]string{"path": "/v2beta/stable-image/generate/core", "aspect_ratio": "16:9", "seed": "42",
				"style_preset": "anime", "negative_prompt": "fog"},
			shows: []string{"Engine: Stable Image Core", "Seed: `42`", "1344x768", "16:9", "anime", "Without: fog"},
			model: "core",
		},
		{
			name: "SD 3.5 Large with ratio and cfg scale",
			opts: []discordtest.InteractionOption{discordtest.WithOption("engine", "sd3.5-large"), discordtest.WithOption("size", "2:3"),
				discordtest.WithOption("cfg_scale", 5.5), discordtest.WithOption("seed", 7)},
			fields: map[string]string{"path": "/v2beta/stable-image/generate/sd3", "model": "sd3.5-large", "aspect_ratio": "2:3",
				"cfg_scale": "5.5", "seed": "7"},
			shows: []string{"Engine: SD 3.5 Large", "Seed: `7`", "832x1216", "CFG 5.5"},
			model: "sd3.5-large",
		},
		{
			name:   "ultra with the defaults",
			opts:   []discordtest.InteractionOption{discordtest.WithOption("engine", "ultra")},
			fields: map[string]string{"path": "/v2beta/stable-image/generate/ultra"},
			shows:  []string{"Engine: Stable Image Ultra", "1024x1024"},
			model:  "ultra",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := startBot(t, nil)
			ctx := ctxFor(t)
			it := e.discord.Inject(discordtest.SlashCommand("imagine",
				append([]discordtest.InteractionOption{discordtest.WithOption("prompt", "a lighthouse on a cliff")}, tt.opts...)...))
			if resp, err := it.WaitResponse(ctx); err != nil || resp.Type != 5 {
				t.Fatalf("first response %+v, %v: want a deferral", resp, err)
			}
			msg, err := it.WaitOriginal(ctx, done)
			if err != nil {
				t.Fatal(err)
			}
			if len(msg.Attachments) != 1 {
				t.Fatalf("message %q has %d attachments, want the image", msg.Content, len(msg.Attachments))
			}
			for _, want := range tt.shows {
				if !strings.Contains(msg.Content, want) {
					t.Errorf("message %q does not show %q", msg.Content, want)
				}
			}
			saved, err := os.ReadFile(savedPath(t, msg.Content))
			if err != nil || !bytes.Equal(saved, msg.Attachments[0].Data) {
				t.Fatalf("the saved file differs from the attachment (%v)", err)
			}
			info, err := pnginfo.Read(saved)
			if err != nil || !strings.Contains(info[pnginfo.KeywordParameters], "Model: "+tt.model) {
				t.Errorf("PNG parameters %q (%v), want the model %s", info[pnginfo.KeywordParameters], err, tt.model)
			}

			forms := v2Forms(t, e.api)
			if len(forms) != 1 {
				t.Fatalf("%d v2 requests, want 1", len(forms))
			}
			want := map[string]string{"prompt": "a lighthouse on a cliff", "output_format": "png", "accept": "image/*"}
			for k, v := range tt.fields {
				want[k] = v
			}
			if !reflect.DeepEqual(forms[0], want) {
				t.Errorf("sent %v\nwant %v", forms[0], want)
			}
		})
	}
}

func TestE2EStableImageRefusalsSpendNothing(t *testing.T) {
	t.Parallel()
	// A burst of one: every refusal below must give the member's token back.
	e := startBot(t, map[string]string{"USER_RATE_BURST": "1", "USER_RATE_EVERY": "1h"})
	ctx := ctxFor(t)
	imagine := func(opts ...discordtest.InteractionOption) *discordtest.Interaction {
		return e.discord.Inject(discordtest.SlashCommand("imagine", append([]discordtest.InteractionOption{
			discordtest.WithOption("prompt", "a cat")}, opts...)...))
	}

	// Options a model doesn't take are refused at once, privately, before anything is sent.
	mistakes := []struct {
		opts []discordtest.InteractionOption
		want string
	}{
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "core"), discordtest.WithOption("steps", 30)}, "steps"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "ultra"), discordtest.WithOption("style_preset", "anime")}, "style"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "core"), discordtest.WithOption("cfg_scale", 5)}, "cfg"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "sd3.5-medium"), discordtest.WithOption("cfg_scale", 20)}, "10"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "core"), discordtest.WithOption("size", "1024x1024")}, "16:9"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "stable-diffusion-xl-1024-v1-0"), discordtest.WithOption("size", "16:9")}, "1024x1024"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "core"), discordtest.WithOption("seed", 4294967295)}, "4294967294"},
		{[]discordtest.InteractionOption{discordtest.WithOption("engine", "core"), discordtest.WithOption("sampler", "K_EULER")}, "sampler"},
	}
	for _, m := range mistakes {
		resp, err := imagine(m.opts...).WaitResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Type != 4 || resp.Data.Flags&64 == 0 || !strings.Contains(strings.ToLower(resp.Data.Content), strings.ToLower(m.want)) {
			t.Errorf("%v: answered %+v, want a private message about %q", m.opts, resp, m.want)
		}
	}

	// Refusals of the API say that nothing was spent.
	for _, f := range []struct {
		status int
		name   string
	}{{403, "content_moderation"}, {422, "invalid_language"}} {
		e.api.FailNextGeneration(f.status, f.name, "the fake refuses")
		msg, err := imagine(discordtest.WithOption("engine", "core")).WaitOriginal(ctx, done)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Content, "No credits were spent") || len(msg.Attachments) != 0 {
			t.Errorf("%d %s: %q", f.status, f.name, msg.Content)
		}
		if f.status == 403 && strings.Contains(msg.Content, "API key") {
			t.Errorf("content moderation reads as a key problem: %q", msg.Content)
		}
	}
	if n := e.api.Generations(); n != 0 {
		t.Errorf("%d images generated, want 0", n)
	}
	usage := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|manageGuild),
		discordtest.Subcommand("usage")))
	resp, err := usage.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "0 images") {
		t.Errorf("usage after refusals: %q, want no images", resp.Data.Content)
	}
	// Nothing was spent, so the member's one token is still there.
	msg, err := imagine(discordtest.WithOption("engine", "core")).WaitOriginal(ctx, done)
	if err != nil || len(msg.Attachments) != 1 {
		t.Errorf("after the refusals: %+v, %v; want the image", msg, err)
	}
}

func TestE2EAgainOnAStableImage(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a lighthouse"),
		discordtest.WithOption("engine", "core"), discordtest.WithOption("size", "21:9"), discordtest.WithOption("seed", 5)))
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	again := e.discord.Inject(discordtest.ComponentClick(find(t, buttons(t, msg), "Again"), discordtest.OnMessage(msg.ID)))
	second, err := again.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Attachments) != 1 || !strings.Contains(second.Content, "Stable Image Core") || strings.Contains(second.Content, "Seed: `5`") {
		t.Errorf("again: %q, want a new Core image with a new seed", second.Content)
	}
	forms := v2Forms(t, e.api)
	if len(forms) != 2 || forms[1]["path"] != "/v2beta/stable-image/generate/core" || forms[1]["aspect_ratio"] != "21:9" || forms[1]["seed"] != "" {
		t.Errorf("requests %v, want the same Core request again without the seed", forms)
	}
}

func TestE2EModeratorsAllowOnlyCore(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	allow := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|manageGuild),
		discordtest.Subcommand("engines", discordtest.Subcommand("allow", discordtest.WithOption("engine", "core")))))
	if resp, err := allow.WaitResponse(ctx); err != nil || !strings.Contains(resp.Data.Content, "Done: allow core") {
		t.Fatalf("allow core: %+v, %v", resp, err)
	}
	got := choices(t, e, "imagine", "engine", "", discordtest.WithOption("prompt", "x"))
	if len(got) != 1 || got["core"] == "" {
		t.Errorf("picker after allowing only Core: %v", got)
	}
	resp, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("engine", "ultra"))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "isn't allowed here") {
		t.Errorf("ultra where only Core is allowed: %+v, %v", resp, err)
	}
	// With no engine chosen, the server's only engine is used.
	msg, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"))).WaitOriginal(ctx, done)
	if err != nil || len(msg.Attachments) != 1 || !strings.Contains(msg.Content, "Stable Image Core") {
		t.Errorf("default engine: %+v, %v", msg, err)
	}
}

func TestE2EOperatorCeilingAndDailyBudget(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"MAX_CREDITS_PER_IMAGE": "5", "DAILY_CREDIT_BUDGET": "5", "USER_RATE_BURST": "100"})
	ctx := ctxFor(t)
	got := choices(t, e, "imagine", "engine", "", discordtest.WithOption("prompt", "x"))
	if got["ultra"] != "" || got["sd3.5-large"] != "" || got["core"] == "" || got["sd3.5-medium"] == "" {
		t.Errorf("picker with a ceiling of 5 credits: %v, want Core and Medium but not Ultra or Large", got)
	}
	resp, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("engine", "ultra"))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "8 credits") {
		t.Errorf("ultra over the ceiling: %+v, %v", resp, err)
	}

	first, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("engine", "core"))).WaitOriginal(ctx, done)
	if err != nil || len(first.Attachments) != 1 {
		t.Fatalf("first Core image: %+v, %v", first, err)
	}
	resp, err = e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a dog"),
		discordtest.WithOption("engine", "core"))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "budget") || !strings.Contains(resp.Data.Content, "<t:") {
		t.Errorf("second Core image over a budget of 5: %+v, %v", resp, err)
	}
	if n := e.api.Generations(); n != 1 {
		t.Errorf("%d images generated, want 1", n)
	}
	usage, err := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|manageGuild),
		discordtest.Subcommand("usage"))).WaitResponse(ctx)
	if err != nil || !strings.Contains(usage.Data.Content, "1 image") || !strings.Contains(usage.Data.Content, "3 credits") {
		t.Errorf("usage: %+v, %v; want 1 image and 3 credits", usage, err)
	}
}

func TestEnginesCommandListsBothKinds(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	code, out, errOut := runCLI(t, apiEnv(t, api), "engines")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"stable-diffusion-xl-1024-v1-0", "≈", "Stable Image Ultra", "ultra", "8 credits",
		"Stable Image Core", "3 credits", "sd3.5-large-turbo"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not list %q:\n%s", want, out)
		}
	}
}

func TestImagineCommandOnStableImageModels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		fields map[string]string
		params string
		cost   string
	}{
		{[]string{"--engine", "core", "--size", "16:9", "--seed", "9", "--style", "anime", "a lighthouse"},
			map[string]string{"path": "/v2beta/stable-image/generate/core", "aspect_ratio": "16:9", "seed": "9", "style_preset": "anime"},
			"Seed: 9, Size: 1344x768, Model: core, Style: anime", "3"},
		{[]string{"--engine", "sd3.5-medium", "--cfg-scale", "4", "a lighthouse"},
			map[string]string{"path": "/v2beta/stable-image/generate/sd3", "model": "sd3.5-medium", "cfg_scale": "4"},
			"CFG scale: 4", "3.5"},
	}
	for _, tt := range tests {
		t.Run(tt.args[1], func(t *testing.T) {
			t.Parallel()
			api := dreamstudiotest.NewServer(t)
			env := apiEnv(t, api)
			code, out, errOut := runCLI(t, env, append([]string{"imagine"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %s", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			data, err := os.ReadFile(lines[len(lines)-1])
			if err != nil {
				t.Fatal(err)
			}
			info, err := pnginfo.Read(data)
			if err != nil || !strings.Contains(info[pnginfo.KeywordParameters], tt.params) {
				t.Errorf("PNG parameters %q (%v), want %q", info[pnginfo.KeywordParameters], err, tt.params)
			}
			forms := v2Forms(t, api)
			if len(forms) != 1 {
				t.Fatalf("%d v2 requests, want 1", len(forms))
			}
			for k, v := range tt.fields {
				if forms[0][k] != v {
					t.Errorf("sent %s=%q, want %q (all: %v)", k, forms[0][k], v, forms[0])
				}
			}
			// The operator's usage report counts the shell's image.
			code, out, errOut = runCLI(t, env, "usage")
			want := []string{"(DMs", "and", "shell)", "1", tt.cost, "1", tt.cost, "1", tt.cost}
			if code != 0 || !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(want, " ")) {
				t.Errorf("usage: exit %d, %s%s; want a row %v", code, out, errOut, want)
			}
		})
	}
	api := dreamstudiotest.NewServer(t)
	code, _, errOut := runCLI(t, apiEnv(t, api), "imagine", "--engine", "core", "--steps", "30", "a cat")
	if code == 0 || !strings.Contains(errOut, "steps") || len(v2Forms(t, api)) != 0 {
		t.Errorf("--steps on core: exit %d, stderr %q; want a refusal before any request", code, errOut)
	}
}
