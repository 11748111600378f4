package main

// End-to-end tests: the bot's real wiring (run, as the binary calls it)
// against the fake Discord (discordtest) and the fake Stability API
// (dreamstudiotest). Both fakes fail the test on any request the real
// services would refuse.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"dreambot/discordtest"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/pnginfo"
)

// syncBuffer collects the bot's logs while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	// wrote is closed and replaced at every write.
	wrote chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{})} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.wrote)
	s.wrote = make(chan struct{})
	return s.b.Write(p)
}

// waitFor blocks until the logs contain text.
func (s *syncBuffer) waitFor(ctx context.Context, text string) error {
	for {
		s.mu.Lock()
		found, wrote := strings.Contains(s.b.String(), text), s.wrote
		s.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-wrote:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %q in the logs: %w", text, ctx.Err())
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type e2e struct {
	discord  *discordtest.Server
	api      *dreamstudiotest.Server
	env      map[string]string
	logs     *syncBuffer
	stop     context.CancelFunc
	exited   chan int
	imageDir string
}

// startBot runs the bot until the test ends, with env added to the
// configuration, and waits until its commands are registered.
func startBot(t *testing.T, env map[string]string) *e2e {
	t.Helper()
	e := &e2e{
		discord: discordtest.NewServer(t), api: dreamstudiotest.NewServer(t),
		logs: newSyncBuffer(), exited: make(chan int, 1), imageDir: t.TempDir(),
	}
	e.env = map[string]string{
		"DISCORD_TOKEN": e.discord.Token, "DISCORD_API_BASE": e.discord.URL,
		"DREAMSTUDIO_API_KEY": e.api.Key, "API_HOST": e.api.URL,
		"IMAGE_DIR": e.imageDir, "DATA_DIR": t.TempDir(), "LOG_LEVEL": "debug",
	}
	for k, v := range env {
		if k == "DISCORD_GUILD_ID" && v == "fake" {
			v = e.discord.GuildID
		}
		e.env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	go func() { e.exited <- run(ctx, nil, func(k string) string { return e.env[k] }, &bytes.Buffer{}, e.logs) }()
	t.Cleanup(func() {
		cancel()
		if code := <-e.exited; code != 0 {
			t.Errorf("bot exited with %d; logs:\n%s", code, e.logs)
		}
		secrets := []string{e.discord.Token, e.api.Key}
		for _, r := range e.discord.Requests() {
			for _, seg := range strings.Split(r.Path, "/") {
				if len(seg) > 60 { // interaction tokens, in webhook and callback paths
					secrets = append(secrets, seg)
				}
			}
		}
		for _, secret := range secrets {
			if strings.Contains(e.logs.String(), secret) {
				t.Errorf("a token or key appears in the logs")
			}
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	if err := e.discord.WaitReady(wctx); err != nil {
		t.Fatalf("bot never got READY: %v\n%s", err, e.logs)
	}
	registered := discordtest.RoutePutGlobalCommands
	if env["DISCORD_GUILD_ID"] != "" {
		registered = discordtest.RoutePutGuildCommands
	}
	if _, err := e.discord.WaitRequest(wctx, func(r discordtest.Request) bool { return r.Route == registered && r.Status == 200 }); err != nil {
		t.Fatalf("commands never registered: %v\n%s", err, e.logs)
	}
	return e
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// done reports whether m is a final answer: not "thinking...", and not a
// job's progress note (its place in the queue, "Generating...").
func done(m *discordtest.Message) bool {
	return !m.Loading() && !strings.HasPrefix(m.Content, "⏳") && !strings.HasPrefix(m.Content, "🎨")
}

func TestE2ERegistersCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		guild bool
	}{{"globally", false}, {"in one server", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			if tt.guild {
				env["DISCORD_GUILD_ID"] = "fake" // the fake's own server
			}
			e := startBot(t, env)
			scope := e.env["DISCORD_GUILD_ID"]
			var names []string
			for _, c := range e.discord.Commands(scope) {
				names = append(names, c.Name)
			}
			if got := strings.Join(names, ","); got != "imagine,dreamstudio" {
				t.Errorf("registered %q, want imagine,dreamstudio", got)
			}
		})
	}
}

func TestE2EImagine(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)

	ac := e.discord.Inject(discordtest.Autocomplete("imagine", discordtest.WithOption("prompt", "a lighthouse"), discordtest.Focused("engine", "xl")))
	resp, err := ac.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != 8 || len(resp.Data.Choices) != 1 || resp.Data.Choices[0].Value != "stable-diffusion-xl-1024-v1-0" {
		t.Fatalf("autocomplete answered %+v", resp)
	}

	it := e.discord.Inject(discordtest.SlashCommand("imagine",
		discordtest.WithOption("prompt", "a lighthouse on a cliff"), discordtest.WithOption("engine", "stable-diffusion-xl-1024-v1-0")))
	if resp, err = it.WaitResponse(ctx); err != nil || resp.Type != 5 {
		t.Fatalf("first response %+v, %v: want a deferral", resp, err)
	}
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 1 {
		t.Fatalf("message %q has %d attachments, want the image", msg.Content, len(msg.Attachments))
	}
	path := savedPath(t, msg.Content)
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, msg.Attachments[0].Data) {
		t.Error("the attachment's bytes differ from the saved file's")
	}
	if !strings.HasPrefix(path, e.imageDir) {
		t.Errorf("saved at %s, outside IMAGE_DIR %s", path, e.imageDir)
	}
}

// savedPath returns the path quoted in "Saved as `...`".
func savedPath(t *testing.T, content string) string {
	t.Helper()
	_, after, ok := strings.Cut(content, "Saved as `")
	path, _, ok2 := strings.Cut(after, "`")
	if !ok || !ok2 {
		t.Fatalf("message %q does not give the saved path", content)
	}
	return path
}

func TestE2ESlowGenerationIsAcknowledgedAtOnce(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	release := e.api.Hold()
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a slow cat")))
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// The generation is still running, and the member already sees "thinking".
	resp, err := it.WaitResponse(ctx)
	if err != nil || resp.Type != 5 {
		t.Fatalf("response %+v, %v: want a deferral while generating", resp, err)
	}
	if lat, ok := it.AckLatency(); !ok || lat > 3*time.Second {
		t.Errorf("acknowledged after %v", lat)
	}
	release()
	if msg, err := it.WaitOriginal(ctx, done); err != nil || len(msg.Attachments) != 1 {
		t.Fatalf("final message %+v, %v", msg, err)
	}
}

func TestE2EAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status     int
		name, want string
	}{
		{401, "unauthorized", "refused this bot's API key"},
		{403, "permission_denied", "refused this bot's API key"},
		{404, "not_found", "doesn't offer that engine"},
		{400, "invalid_prompts", "refused the prompt"},
		{500, "internal_error", "error 500"},
	}
	e := startBot(t, map[string]string{"USER_RATE_BURST": "100", "LOW_BALANCE_CREDITS": "0"})
	ctx := ctxFor(t)
	warm := e.discord.Inject(discordtest.Autocomplete("imagine", discordtest.WithOption("prompt", "x"), discordtest.Focused("engine", "")))
	if _, err := warm.WaitResponse(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		e.api.FailNext(tt.status, tt.name, "the fake refuses")
		it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat")))
		// The job's message says what became of it.
		msg, err := it.WaitOriginal(ctx, done)
		if err != nil {
			t.Fatalf("%d: %v", tt.status, err)
		}
		if !strings.Contains(msg.Content, tt.want) || len(msg.Attachments) != 0 {
			t.Errorf("%d %s: got %q, want %q", tt.status, tt.name, msg.Content, tt.want)
		}
	}
	if n := e.api.Generations(); n != 0 {
		t.Errorf("%d images generated, want 0", n)
	}
}

func TestE2EMistakesAndLimits(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil) // a burst of 2 per member
	ctx := ctxFor(t)
	answer := func(spec *discordtest.InteractionSpec) (discordtest.Response, *discordtest.Interaction) {
		t.Helper()
		it := e.discord.Inject(spec)
		resp, err := it.WaitResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return resp, it
	}
	resp, _ := answer(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"), discordtest.WithOption("engine", "nope")))
	if resp.Type != 4 || !strings.Contains(resp.Data.Content, "isn't an engine") || resp.Data.Flags&64 == 0 {
		t.Errorf("unknown engine: %+v", resp)
	}
	for range 2 {
		_, it := answer(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat")))
		if _, err := it.WaitOriginal(ctx, done); err != nil {
			t.Fatal(err)
		}
	}
	resp, _ = answer(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat")))
	if resp.Type != 4 || !strings.Contains(resp.Data.Content, "imagine again in") || resp.Data.Flags&64 == 0 {
		t.Errorf("over the limit: %+v", resp)
	}
	if n := e.api.Generations(); n != 2 {
		t.Errorf("%d generations, want 2", n)
	}
}

func TestE2EUploadRefusedKeepsTheFile(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	e.discord.FailNext(discordtest.RouteEditOriginal, 1, discordtest.TooLarge())
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a huge cat")))
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 0 || !strings.Contains(msg.Content, "couldn't attach") {
		t.Errorf("got %q with %d attachments, want the text without the image", msg.Content, len(msg.Attachments))
	}
	if _, err := os.Stat(savedPath(t, msg.Content)); err != nil {
		t.Errorf("the image is not on disk: %v", err)
	}
}

func TestE2EExpiredTokenFallsBackToTheChannel(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	release := e.api.Hold()
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a very slow cat")))
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := it.WaitResponse(ctx); err != nil {
		t.Fatal(err)
	}
	e.discord.Clock().Advance(16 * time.Minute) // the interaction token expires
	release()
	req, err := e.discord.WaitRequest(ctx, func(r discordtest.Request) bool {
		return r.Route == discordtest.RouteCreateMessage && r.Status == 200
	})
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.discord.Messages(it.ChannelID())
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Content, "<@") || len(last.Attachments) != 1 {
		t.Fatalf("channel message %q with %d attachments (request %s), want a mention and the image", last.Content, len(last.Attachments), req.Path)
	}
	if _, err := os.Stat(savedPath(t, last.Content)); err != nil {
		t.Errorf("the image is not on disk: %v", err)
	}
}

func TestE2EGatewayReconnectLosesNothing(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	release := e.api.Hold()
	first := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "during a reconnect")))
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	holdGateway := e.discord.HoldGateway()
	e.discord.DropGateway()
	// Sent while the bot is disconnected: delivered on RESUME.
	second := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "while disconnected")))
	holdGateway()
	if err := e.discord.WaitResumed(ctx); err != nil {
		t.Fatal(err)
	}
	release()
	for _, it := range []*discordtest.Interaction{first, second} {
		msg, err := it.WaitOriginal(ctx, done)
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Attachments) != 1 {
			t.Errorf("message %q has no image", msg.Content)
		}
	}
}

func TestE2EModeratorsChooseEngines(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	const manageGuild = 1 << 5
	refused := e.discord.Inject(discordtest.SlashCommand("dreamstudio",
		discordtest.Subcommand("engines", discordtest.Subcommand("allow", discordtest.WithOption("engine", "stable-diffusion-v1-6")))))
	if resp, err := refused.WaitResponse(ctx); err != nil || !strings.Contains(resp.Data.Content, "Manage Server") {
		t.Fatalf("member without permission: %+v, %v", resp, err)
	}
	allow := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|manageGuild),
		discordtest.Subcommand("engines", discordtest.Subcommand("allow", discordtest.WithOption("engine", "stable-diffusion-v1-6")))))
	resp, err := allow.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Data.Content, "Done: allow stable-diffusion-v1-6") || resp.Data.Flags&64 == 0 {
		t.Fatalf("moderator: %+v", resp)
	}
	ac := e.discord.Inject(discordtest.Autocomplete("imagine", discordtest.WithOption("prompt", "x"), discordtest.Focused("engine", "")))
	resp, err = ac.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data.Choices) != 1 || resp.Data.Choices[0].Value != "stable-diffusion-v1-6" {
		t.Errorf("autocomplete after allow: %+v", resp.Data.Choices)
	}
}

func TestE2EGracefulShutdown(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	release := e.api.Hold()
	inflight := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "finish me")))
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	e.stop() // SIGTERM
	if err := e.logs.waitFor(ctx, "shutting down"); err != nil {
		t.Fatal(err)
	}
	late := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "too late")))
	resp, err := late.WaitResponse(ctx)
	if err != nil || !strings.Contains(resp.Data.Content, "restarting") {
		t.Errorf("new work during shutdown: %+v, %v", resp, err)
	}
	select {
	case code := <-e.exited:
		t.Fatalf("bot exited (%d) before its generation finished\n%s", code, e.logs)
	default:
	}
	release()
	msg, err := inflight.WaitOriginal(ctx, done)
	if err != nil || len(msg.Attachments) != 1 {
		t.Fatalf("in-flight image: %+v, %v", msg, err)
	}
	code := <-e.exited
	e.exited <- code // for the cleanup
	if e.api.Generations() != 1 {
		t.Errorf("%d generations, want 1", e.api.Generations())
	}
}

func TestE2EImagineOptionsAndMetadata(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	ac := e.discord.Inject(discordtest.Autocomplete("imagine", discordtest.WithOption("prompt", "x"),
		discordtest.WithOption("engine", "stable-diffusion-xl-1024-v1-0"), discordtest.Focused("size", "")))
	resp, err := ac.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data.Choices) != 9 {
		t.Errorf("%d size choices for SDXL, want its 9 sizes", len(resp.Data.Choices))
	}

	e.api.FinishNext("CONTENT_FILTERED")
	it := e.discord.Inject(discordtest.SlashCommand("imagine",
		discordtest.WithOption("prompt", "ein Leuchtturm, 灯台"), discordtest.WithOption("negative_prompt", "fog"),
		discordtest.WithOption("size", "1344x768"), discordtest.WithOption("seed", 99), discordtest.WithOption("steps", 25),
		discordtest.WithOption("cfg_scale", 8.5), discordtest.WithOption("sampler", "K_DPMPP_2M"),
		discordtest.WithOption("style_preset", "photographic")))
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 1 || !strings.HasPrefix(msg.Attachments[0].Filename, "SPOILER_") {
		t.Fatalf("message %q: want one spoilered attachment, got %+v", msg.Content, msg.Attachments)
	}
	info, err := pnginfo.Read(msg.Attachments[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	want := "ein Leuchtturm, 灯台\nNegative prompt: fog\nSteps: 25, Sampler: K_DPMPP_2M, CFG scale: 8.5, Seed: 99, " +
		"Size: 1344x768, Model: stable-diffusion-xl-1024-v1-0, Style: photographic, Finish reason: CONTENT_FILTERED"
	if got := info[pnginfo.KeywordParameters]; got != want {
		t.Errorf("parameters in the posted PNG\n got %q\nwant %q", got, want)
	}

	bad := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "x"),
		discordtest.WithOption("engine", "stable-diffusion-xl-1024-v1-0"), discordtest.WithOption("size", "512x512")))
	if resp, err = bad.WaitResponse(ctx); err != nil || resp.Type != 4 || !strings.Contains(resp.Data.Content, "1024x1024") {
		t.Errorf("a size SDXL refuses: %+v, %v", resp, err)
	}
	if n := e.api.Generations(); n != 1 {
		t.Errorf("%d generations, want 1", n)
	}
}

func TestE2ELowBalance(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"LOW_BALANCE_CREDITS": "2"})
	ctx := ctxFor(t)
	e.api.SetBalance(1.5)
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat")))
	resp, err := it.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != 4 || resp.Data.Flags&64 != 0 || !strings.Contains(resp.Data.Content, "Moderators") {
		t.Errorf("first refusal: %+v, want a public notice to moderators", resp)
	}
	bal := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|1<<5),
		discordtest.Subcommand("balance")))
	if resp, err = bal.WaitResponse(ctx); err != nil || !strings.Contains(resp.Data.Content, "**1.50**") {
		t.Errorf("/dreamstudio balance: %+v, %v", resp, err)
	}
	if n := e.api.Generations(); n != 0 {
		t.Errorf("%d generations while low on credits", n)
	}
}

func TestE2EDirectMessages(t *testing.T) {
	t.Parallel()
	t.Run("offered only when ALLOW_DMS is set", func(t *testing.T) {
		t.Parallel()
		e := startBot(t, nil)
		for _, c := range e.discord.Commands("") {
			var def struct{ Contexts []int }
			if err := json.Unmarshal(c.JSON, &def); err != nil {
				t.Fatal(err)
			}
			if len(def.Contexts) != 1 || def.Contexts[0] != 0 {
				t.Errorf("/%s contexts %v, want servers only", c.Name, def.Contexts)
			}
		}
	})
	t.Run("works in a DM when allowed", func(t *testing.T) {
		t.Parallel()
		e := startBot(t, map[string]string{"ALLOW_DMS": "true"})
		ctx := ctxFor(t)
		it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"), discordtest.InDM()))
		msg, err := it.WaitOriginal(ctx, done)
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Attachments) != 1 || !strings.Contains(msg.Content, "-dm-") {
			t.Errorf("DM answer %q with %d attachments", msg.Content, len(msg.Attachments))
		}
	})
}

func TestE2EShutdownTimeoutStillAnswers(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"SHUTDOWN_TIMEOUT": "100ms"})
	ctx := ctxFor(t)
	release := e.api.Hold()
	defer release()
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "never finishes")))
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	e.stop()
	// The generation is stopped and its job kept for the next start: the
	// member is told their image is still coming.
	msg, err := it.WaitOriginal(ctx, func(m *discordtest.Message) bool { return strings.Contains(m.Content, "restarting") })
	if err != nil {
		t.Fatalf("%v: %+v", err, it.Original())
	}
	if !strings.Contains(msg.Content, "still coming") {
		t.Errorf("got %q, want a note that the image is still coming", msg.Content)
	}
	if code := <-e.exited; code != 0 {
		t.Errorf("exit code %d", code)
	}
	e.exited <- 0 // for the cleanup
}

// TestE2EDiscordTroubleIsRetried: Discord answering 429 (with retry_after)
// or 500 to the bot's edit does not cost the member their image.
func TestE2EDiscordTroubleIsRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault discordtest.Fault
	}{
		{"rate limited", discordtest.RateLimited(20 * time.Millisecond)},
		{"globally rate limited", discordtest.GloballyRateLimited(20 * time.Millisecond)},
		{"server error", discordtest.ServerError(500)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := startBot(t, nil)
			ctx := ctxFor(t)
			e.discord.FailNext(discordtest.RouteEditOriginal, 1, tt.fault)
			it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a patient cat")))
			msg, err := it.WaitOriginal(ctx, done)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg.Content, "Saved as") || len(msg.Attachments) != 1 {
				t.Errorf("final message %q with %d attachments, want the image and its path", msg.Content, len(msg.Attachments))
			}
			if _, err := os.Stat(savedPath(t, msg.Content)); err != nil {
				t.Errorf("the image is not on disk: %v", err)
			}
		})
	}
}

func TestE2EAgainButton(t *testing.T) {
	t.Parallel()
	e := startBot(t, nil)
	ctx := ctxFor(t)
	it := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a lighthouse"), discordtest.WithOption("seed", 5)))
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	again := e.discord.Inject(discordtest.ComponentClick(find(t, buttons(t, msg), "Again"), discordtest.OnMessage(msg.ID)))
	resp, err := again.WaitResponse(ctx)
	if err != nil || resp.Type != 5 {
		t.Fatalf("click answered %+v, %v; want a deferral", resp, err)
	}
	second, err := again.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Attachments) != 1 || second.ID == msg.ID || strings.Contains(second.Content, "Seed: `5`") {
		t.Errorf("again: %q (message %s, first %s), want a new image with a new seed", second.Content, second.ID, msg.ID)
	}
}
