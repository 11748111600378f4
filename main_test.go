package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/pnginfo"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func apiEnv(t *testing.T, api *dreamstudiotest.Server) map[string]string {
	return map[string]string{"DREAMSTUDIO_API_KEY": api.Key, "API_HOST": api.URL, "IMAGE_DIR": t.TempDir(), "DATA_DIR": t.TempDir()}
}

func withEnv(env map[string]string, k, v string) map[string]string {
	env[k] = v
	return env
}

func TestEnginesCommand(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	code, out, errOut := runCLI(t, apiEnv(t, api), "engines")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"Stable Diffusion XL 1.0", "stable-diffusion-xl-1024-v1-0", "stable-diffusion-v1-6"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not list %q:\n%s", want, out)
		}
	}
}

func TestImagineCommand(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	env := apiEnv(t, api)
	code, out, errOut := runCLI(t, env, "imagine", "--engine", "stable-diffusion-v1-6", "--size", "832x1216",
		"--negative", "fog", "--seed", "42", "--steps", "20", "--cfg-scale", "6.5", "--sampler", "K_EULER",
		"a lighthouse", "--style", "anime", "at dawn")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	path := lines[len(lines)-1]
	if !strings.HasPrefix(path, env["IMAGE_DIR"]) || !strings.HasSuffix(path, ".png") {
		t.Fatalf("last line %q is not a PNG in IMAGE_DIR", path)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Fatalf("saved file: %v", err)
	}
	if api.Generations() != 1 {
		t.Errorf("%d generations, want 1", api.Generations())
	}
	info, err := pnginfo.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	want := "a lighthouse at dawn\nNegative prompt: fog\nSteps: 20, Sampler: K_EULER, CFG scale: 6.5, Seed: 42, Size: 832x1216, " +
		"Model: stable-diffusion-v1-6, Style: anime, Finish reason: SUCCESS"
	if got := info[pnginfo.KeywordParameters]; got != want {
		t.Errorf("PNG parameters\n got %q\nwant %q", got, want)
	}
}

func TestCommandFailures(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    string
		wantOut bool
	}{
		{name: "no key", env: map[string]string{}, args: []string{"engines"}, want: "DREAMSTUDIO_API_KEY"},
		{name: "no token for the bot", env: map[string]string{"DREAMSTUDIO_API_KEY": "k"}, args: nil, want: "DISCORD_TOKEN"},
		{name: "wrong key", env: map[string]string{"DREAMSTUDIO_API_KEY": "sk-wrong-secret", "API_HOST": api.URL}, args: []string{"engines"}, want: "check DREAMSTUDIO_API_KEY"},
		{name: "no prompt", env: apiEnv(t, api), args: []string{"imagine", "--engine", "x"}, want: "no prompt"},
		{name: "engine not offered", env: apiEnv(t, api), args: []string{"imagine", "--engine", "no-such-engine-v9", "a cat"}, want: "isn't an engine DreamStudio offers"},
		{name: "engine outside ALLOWED_ENGINES", env: withEnv(apiEnv(t, api), "ALLOWED_ENGINES", "stable-diffusion-v1-6"),
			args: []string{"imagine", "--engine", "stable-diffusion-xl-1024-v1-0", "a cat"}, want: "isn't allowed here"},
		{name: "size the engine refuses", env: apiEnv(t, api), args: []string{"imagine", "--engine", "stable-diffusion-xl-1024-v1-0", "--size", "512x512", "a cat"}, want: "1024x1024"},
		{name: "forged sampler", env: apiEnv(t, api), args: []string{"imagine", "--engine", "stable-diffusion-v1-6", "--sampler", "NOPE", "a cat"}, want: "K_EULER"},
		{name: "seed too large", env: apiEnv(t, api), args: []string{"imagine", "--engine", "stable-diffusion-v1-6", "--seed", "4294967296", "a cat"}, want: "--seed"},
		{name: "unknown command", env: map[string]string{}, args: []string{"paint"}, want: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, tt.env, tt.args...)
			if code == 0 {
				t.Fatalf("exit 0, want failure; stdout %s", out)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.want)
			}
			if strings.Contains(errOut, "sk-wrong-secret") || strings.Contains(errOut, api.Key) {
				t.Errorf("stderr shows the key: %s", errOut)
			}
		})
	}
	if api.Generations() != 0 {
		t.Errorf("%d generations: failures spent credits", api.Generations())
	}
}

// TestImagineChoosesTheEngineLikeTheBot: without --engine, `dreambot imagine` takes DEFAULT_ENGINE
// when it is allowed, as the bot does for a server with no default of its own.
func TestImagineChoosesTheEngineLikeTheBot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantPath string
	}{
		{name: "no DEFAULT_ENGINE: the first preferred", wantPath: "/v1/generation/stable-diffusion-xl-1024-v1-0/text-to-image"},
		{name: "a v1 engine", env: map[string]string{"DEFAULT_ENGINE": "stable-diffusion-v1-6"},
			wantPath: "/v1/generation/stable-diffusion-v1-6/text-to-image"},
		{name: "a Stable Image model", env: map[string]string{"DEFAULT_ENGINE": "core"}, wantPath: "/v2beta/stable-image/generate/core"},
		{name: "outside ALLOWED_ENGINES: the first allowed", env: map[string]string{"DEFAULT_ENGINE": "core", "ALLOWED_ENGINES": "stable-diffusion-v1-6"},
			wantPath: "/v1/generation/stable-diffusion-v1-6/text-to-image"},
		{name: "--engine wins", env: map[string]string{"DEFAULT_ENGINE": "core"}, args: []string{"--engine", "stable-diffusion-v1-6"},
			wantPath: "/v1/generation/stable-diffusion-v1-6/text-to-image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := dreamstudiotest.NewServer(t)
			env := apiEnv(t, api)
			for k, v := range tt.env {
				env[k] = v
			}
			code, _, errOut := runCLI(t, env, append(append([]string{"imagine"}, tt.args...), "a lighthouse")...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %s", code, errOut)
			}
			var posts []string
			for _, r := range api.Requests() {
				if r.Method == http.MethodPost {
					posts = append(posts, r.Path)
				}
			}
			if len(posts) != 1 || posts[0] != tt.wantPath {
				t.Errorf("sent %v, want one POST %s", posts, tt.wantPath)
			}
		})
	}
}
