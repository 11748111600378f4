package commands_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/commands"
	"dreambot/dreamstudio/dreamstudiotest"
)

func TestImagineHappyPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	calls := e.handle(t, interaction(t, "imagine_guild.json", nil))

	if len(calls) != 2 || calls[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || calls[1].Method != "edit" {
		t.Fatalf("calls %+v, want a deferral then an edit", calls)
	}
	msg := calls[1]
	if len(msg.Files) != 1 || !bytes.HasPrefix(msg.Files[0].Data, []byte("\x89PNG")) {
		t.Fatalf("edit attached %d files, want one PNG", len(msg.Files))
	}
	files := savedFiles(t, e.dir)
	if len(files) != 1 {
		t.Fatalf("saved %v, want one file", files)
	}
	path := filepath.Join(e.dir, files[0])
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, msg.Files[0].Data) {
		t.Error("the attachment differs from the saved file")
	}
	for _, want := range []string{path, "Stable Diffusion XL 1.0", "Seed", "a lighthouse on a cliff at dawn", "1024x1024"} {
		if !strings.Contains(msg.Content, want) {
			t.Errorf("message %q does not mention %q", msg.Content, want)
		}
	}
	if e.api.Generations() != 1 {
		t.Errorf("%d generations, want 1", e.api.Generations())
	}

	var body struct {
		Width, Height int
		TextPrompts   []struct{ Text string } `json:"text_prompts"`
	}
	reqs := e.api.Requests()
	gen := reqs[len(reqs)-1]
	if gen.Header.Get("Accept") != "image/png" || !strings.HasSuffix(gen.Path, "/stable-diffusion-xl-1024-v1-0/text-to-image") {
		t.Errorf("generation request %s Accept %q", gen.Path, gen.Header.Get("Accept"))
	}
	if err := json.Unmarshal(gen.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Width != 1024 || body.Height != 1024 || body.TextPrompts[0].Text != "a lighthouse on a cliff at dawn" {
		t.Errorf("generation body %s", gen.Body)
	}
}

func TestImagineRefusesMistakesWithoutSpending(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 2001)
	tests := []struct {
		name string
		cfg  func(*commands.Config)
		file string
		edit func(map[string]any)
		want string
	}{
		{name: "blank prompt", edit: withOptions("prompt", "   "), want: "prompt is empty"},
		{name: "prompt too long", edit: withOptions("prompt", long), want: "the limit is 2000"},
		{name: "unknown engine", edit: withOptions("prompt", "a cat", "engine", "dall-e-9"), want: "Stable Diffusion XL 1.0"},
		{name: "engine not allowed", cfg: func(c *commands.Config) { c.AllowedEngines = []string{"stable-diffusion-v1-6"} },
			edit: withOptions("prompt", "a cat", "engine", "stable-diffusion-xl-1024-v1-0"), want: "isn't allowed"},
		{name: "DM when DMs are off", file: "imagine_dm.json", want: "only make images in servers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			e := newEnv(t, cfg)
			file := tt.file
			if file == "" {
				file = "imagine_guild.json"
			}
			calls := e.handle(t, interaction(t, file, tt.edit))
			if len(calls) != 1 || calls[0].Method != "respond" || !ephemeral(calls[0]) {
				t.Fatalf("calls %+v, want one immediate private answer", calls)
			}
			if !strings.Contains(calls[0].Content, tt.want) {
				t.Errorf("answer %q does not contain %q", calls[0].Content, tt.want)
			}
			if n := e.api.Generations(); n != 0 {
				t.Errorf("%d generations: a mistake spent credits", n)
			}
			if files := savedFiles(t, e.dir); len(files) != 0 {
				t.Errorf("files saved: %v", files)
			}
		})
	}
}

func TestImagineInDMWhenAllowed(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.AllowDMs = true
	e := newEnv(t, cfg)
	msg := last(t, e.handle(t, interaction(t, "imagine_dm.json", nil)))
	if msg.Method != "edit" || len(msg.Files) != 1 {
		t.Fatalf("got %+v, want the image", msg)
	}
}

func TestImagineDefaultEngine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, configured, typed, wantPath string
	}{
		{"preferred when nothing is set", "", "", "/stable-diffusion-xl-1024-v1-0/"},
		{"DEFAULT_ENGINE", "stable-diffusion-v1-6", "", "/stable-diffusion-v1-6/"},
		{"typed name instead of id", "", "stable diffusion v1.6", "/stable-diffusion-v1-6/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultConfig()
			cfg.DefaultEngine = tt.configured
			e := newEnv(t, cfg)
			var engine any
			if tt.typed != "" {
				engine = tt.typed
			}
			msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "a cat", "engine", engine))))
			if len(msg.Files) != 1 {
				t.Fatalf("got %+v, want an image", msg)
			}
			reqs := e.api.Requests()
			if p := reqs[len(reqs)-1].Path; !strings.Contains(p, tt.wantPath) {
				t.Errorf("generated with %s, want %s", p, tt.wantPath)
			}
		})
	}
}

func TestImagineRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig()) // burst of 2 per member, then one every 20 s

	// Mistakes give their token back.
	for range 3 {
		e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "")))
	}
	for i := range 2 {
		msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
		if len(msg.Files) != 1 {
			t.Fatalf("image %d: got %+v, want an image", i+1, msg)
		}
	}
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if !ephemeral(msg) || !strings.Contains(msg.Content, "imagine again in") {
		t.Fatalf("third image: got %+v, want a private rate-limit message", msg)
	}
	if !strings.Contains(msg.Content, "20 s") && !strings.Contains(msg.Content, "19 s") {
		t.Errorf("message %q does not say how long to wait", msg.Content)
	}
	if n := e.api.Generations(); n != 2 {
		t.Errorf("%d generations, want 2", n)
	}
	// Another member is not affected.
	other := last(t, e.handle(t, interaction(t, "imagine_guild.json", asMember("999999999999999999"))))
	if len(other.Files) != 1 {
		t.Errorf("another member got %+v, want an image", other)
	}
}

func TestImagineServerRateLimit(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.GuildEvery, cfg.GuildBurst = time.Minute, 1
	e := newEnv(t, cfg)
	e.handle(t, interaction(t, "imagine_guild.json", nil))
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", asMember("999999999999999999"))))
	if !strings.Contains(msg.Content, "This server") || !ephemeral(msg) {
		t.Errorf("got %+v, want the server's limit explained", msg)
	}
}

func TestImagineAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		apiErr string
		want   string
	}{
		{"bad key", 401, "unauthorized", "refused this bot's API key"},
		{"forbidden", 403, "permission_denied", "refused this bot's API key"},
		{"engine gone", 404, "not_found", "doesn't offer that engine"},
		{"prompt refused", 400, "invalid_prompts", "refused the prompt"},
		{"other 400 names its error, not the upstream text", 400, "bad_request", "refused the request (bad_request, error 400)"},
		{"server error", 500, "internal_error", "having trouble right now (error 500)"},
		{"bad gateway", 502, "bad_gateway", "error 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, defaultConfig())
			// Warm the engine cache first, so the fault hits the generation.
			e.handle(t, interaction(t, "autocomplete_engine.json", nil))
			e.api.FailNext(tt.status, tt.apiErr, "the fake says no")
			calls := e.handle(t, interaction(t, "imagine_guild.json", nil))
			msg := last(t, calls)
			if !strings.Contains(msg.Content, tt.want) {
				t.Errorf("got %q, want %q", msg.Content, tt.want)
			}
			if strings.Contains(msg.Content, "the fake says no") {
				t.Errorf("the member was shown DreamStudio's own text: %q", msg.Content)
			}
			// The job's outcome replaces its own message, so that saying it
			// again after a crash changes nothing.
			if msg.Method != "edit" || len(msg.Files) != 0 {
				t.Errorf("calls %+v: the failure should replace the job's message", calls)
			}
		})
	}
}

func TestImagineTimeout(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.GenerateTimeout, cfg.UserBurst = 50*time.Millisecond, 1
	e := newEnv(t, cfg)
	release := e.api.Hold()
	defer release()
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if !strings.Contains(msg.Content, "took too long") {
		t.Errorf("got %q, want a timeout message", msg.Content)
	}
	// The API may have made (and charged for) the image anyway: the
	// member's token stays spent.
	msg = last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if !strings.Contains(msg.Content, "imagine again in") {
		t.Errorf("after a timeout: got %q, want the rate limit", msg.Content)
	}
}

func TestImagineContentFiltered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	e.api.FinishNext("CONTENT_FILTERED")
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if len(msg.Files) != 1 || !strings.HasPrefix(msg.Files[0].Name, "SPOILER_") || !strings.Contains(msg.Content, "content filter") {
		t.Errorf("got %q with files %v, want a spoilered image and a note", msg.Content, msg.Files)
	}
	if files := savedFiles(t, e.dir); len(files) != 1 {
		t.Errorf("saved %v: a filtered image is still kept", files)
	}
}

func TestImagineEngineListDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	e.api.AddFault(dreamstudiotest.Fault{Status: 503, Name: "unavailable", Message: "down", Times: dreamstudiotest.Always})
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if !ephemeral(msg) || !strings.Contains(msg.Content, "error 503") {
		t.Errorf("got %+v, want a private explanation", msg)
	}
}

func TestImagineFinishError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	e.api.FinishNext("ERROR")
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if len(msg.Files) != 0 || msg.Method != "edit" || !strings.Contains(msg.Content, "reported an error") {
		t.Errorf("got %s %q with %d files, want the job's message to explain, with no image", msg.Method, msg.Content, len(msg.Files))
	}
	files := savedFiles(t, e.dir)
	if len(files) != 1 || !strings.Contains(msg.Content, files[0]) {
		t.Errorf("saved %v; the message %q should say where", files, msg.Content)
	}
	// The failed image gave its rate-limit token back: two more work.
	for i := range 2 {
		if m := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil))); len(m.Files) != 1 {
			t.Errorf("image %d after the failure: %q", i+1, m.Content)
		}
	}
}

// TestPromptCannotFormatThePublicMessage: a prompt is shown as typed, not
// as Discord markdown: no masked link, no emphasis, no spoiler.
func TestPromptCannotFormatThePublicMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	prompt := "[free nitro](https://evil.example) **bold** ||spoiler||"
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", prompt))))
	want := `\[free nitro\](https://evil.example) \*\*bold\*\* \|\|spoiler\|\|`
	if !strings.Contains(msg.Content, want) {
		t.Errorf("message %q does not show the prompt escaped as %q", msg.Content, want)
	}
}

// TestBrokenImagesAreRefused: a PNG that is cut short, corrupt or
// incomplete is the API failing: the member is told, nothing is saved or
// attached, and their rate-limit token comes back.
func TestBrokenImagesAreRefused(t *testing.T) {
	t.Parallel()
	for _, damage := range []dreamstudiotest.Damage{dreamstudiotest.Truncated, dreamstudiotest.BadCRC, dreamstudiotest.NoIEND, dreamstudiotest.NoIDAT} {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v chunked %v", damage, chunked), func(t *testing.T) {
				t.Parallel()
				cfg := defaultConfig()
				cfg.UserBurst = 1
				e := newEnv(t, cfg)
				e.api.AddImageFault(dreamstudiotest.ImageFault{Damage: damage, Chunked: chunked})
				msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
				if len(msg.Files) != 0 || !strings.Contains(msg.Content, "an image I can't use") {
					t.Errorf("got %q with %d files, want the member told of a broken image", msg.Content, len(msg.Files))
				}
				if files := savedFiles(t, e.dir); len(files) != 0 {
					t.Errorf("saved %v", files)
				}
				// The token came back: with a burst of 1, the next image is made at once.
				again := last(t, e.handle(t, interaction(t, "imagine_guild.json", withID(2))))
				if len(again.Files) != 1 {
					t.Errorf("next image: %q, want it made (the rate-limit token came back)", again.Content)
				}
			})
		}
	}
}
