package main

// Crash tests: the bot runs as a child process (this test binary, started
// again with DREAMBOT_E2E_CHILD set) so that it can be killed with SIGKILL,
// as docker, an OOM kill or a power cut would, and started again on the same
// DATA_DIR and IMAGE_DIR.

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"dreambot/discordtest"
	"dreambot/dreamstudio/dreamstudiotest"
)

// TestBotChildProcess is the bot when this binary runs as a child of a crash
// test; otherwise it does nothing.
func TestBotChildProcess(t *testing.T) {
	if os.Getenv("DREAMBOT_E2E_CHILD") != "1" {
		t.Skip("runs only as the child of a crash test")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, nil, os.Getenv, os.Stdout, os.Stderr))
}

// crashEnv is a bot that can be killed and started again.
type crashEnv struct {
	t       *testing.T
	discord *discordtest.Server
	api     *dreamstudiotest.Server
	env     map[string]string
	logs    *syncBuffer
	cmd     *exec.Cmd
	exited  chan error
}

func newCrashEnv(t *testing.T, env map[string]string) *crashEnv {
	t.Helper()
	c := &crashEnv{t: t, discord: discordtest.NewServer(t), api: dreamstudiotest.NewServer(t), logs: newSyncBuffer()}
	dir := t.TempDir()
	c.env = map[string]string{
		"DISCORD_TOKEN": c.discord.Token, "DISCORD_API_BASE": c.discord.URL,
		"DREAMSTUDIO_API_KEY": c.api.Key, "API_HOST": c.api.URL,
		"IMAGE_DIR": filepath.Join(dir, "images"), "DATA_DIR": filepath.Join(dir, "data"), "LOG_LEVEL": "debug",
		"LOW_BALANCE_CREDITS": "0",
	}
	for k, v := range env {
		c.env[k] = v
	}
	t.Cleanup(func() {
		if c.cmd != nil {
			c.kill()
		}
		secrets := []string{c.discord.Token, c.api.Key}
		for _, r := range c.discord.Requests() {
			for _, seg := range strings.Split(r.Path, "/") {
				if len(seg) > 60 { // interaction tokens, in webhook and callback paths
					secrets = append(secrets, seg)
				}
			}
		}
		for _, secret := range secrets {
			if strings.Contains(c.logs.String(), secret) {
				t.Errorf("a token or key appears in the logs")
			}
		}
	})
	return c
}

// start runs the bot and waits until it has identified (for the n-th time)
// and registered its commands.
func (c *crashEnv) start(ctx context.Context, n int) {
	c.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBotChildProcess$")
	cmd.Env = append(os.Environ(), "DREAMBOT_E2E_CHILD=1")
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = c.logs, c.logs
	began := time.Now()
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.cmd, c.exited = cmd, make(chan error, 1)
	go func() { c.exited <- cmd.Wait() }()
	err := c.discord.WaitGateway(ctx, func(st discordtest.GatewayStats) bool { return st.Identified >= n && st.Live })
	if err != nil {
		c.t.Fatalf("bot never got READY: %v\n%s", err, c.logs)
	}
	_, err = c.discord.WaitRequest(ctx, func(r discordtest.Request) bool {
		return r.Route == discordtest.RoutePutGlobalCommands && r.Status == 200 && r.At.After(began)
	})
	if err != nil {
		c.t.Fatalf("commands never registered: %v\n%s", err, c.logs)
	}
}

// kill ends the bot with SIGKILL: nothing runs after it.
func (c *crashEnv) kill() {
	c.t.Helper()
	_ = c.cmd.Process.Kill()
	<-c.exited
	c.cmd = nil
}

// generations counts the image requests the fake API received.
func (c *crashEnv) generations() int {
	n := 0
	for _, r := range c.api.Requests() {
		if strings.HasSuffix(r.Path, "/text-to-image") {
			n++
		}
	}
	return n
}

// oneAnswer checks that the member got exactly one final answer: the image,
// in the interaction's own message, and nothing posted besides.
func (c *crashEnv) oneAnswer(ctx context.Context, it *discordtest.Interaction) {
	c.t.Helper()
	msg, err := it.WaitOriginal(ctx, func(m *discordtest.Message) bool { return len(m.Attachments) > 0 })
	if err != nil {
		c.t.Fatalf("no image: %v\nlast: %+v\n%s", err, it.Original(), c.logs)
	}
	if !strings.Contains(msg.Content, "Saved as") {
		c.t.Errorf("final message %q does not say where the image was saved", msg.Content)
	}
	if n := len(it.Followups()); n != 0 {
		c.t.Errorf("%d follow-up messages besides the answer", n)
	}
	for _, r := range c.discord.Requests() {
		if r.Route == discordtest.RouteCreateMessage {
			c.t.Errorf("a channel message was posted besides the answer: %s", r.JSON)
		}
	}
}

func TestE2ECrashMidGeneration(t *testing.T) {
	t.Parallel()
	c := newCrashEnv(t, nil)
	ctx := ctxFor(t)
	c.start(ctx, 1)
	release := c.api.Hold()
	it := c.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a lighthouse in a storm")))
	if err := c.api.WaitHeld(ctx, 1); err != nil {
		t.Fatalf("the generation never reached the API: %v\n%s", err, c.logs)
	}
	c.kill()
	release()
	c.start(ctx, 2)
	c.oneAnswer(ctx, it)
	if n := c.generations(); n != 2 {
		t.Errorf("%d generations, want 2 (the one the crash interrupted, then the one delivered)", n)
	}
}

func TestE2ECrashAfterSaveDeliversWithoutMakingAgain(t *testing.T) {
	t.Parallel()
	for _, gone := range []bool{false, true} {
		t.Run(map[bool]string{false: "file kept", true: "file removed meanwhile"}[gone], func(t *testing.T) {
			t.Parallel()
			c := newCrashEnv(t, nil)
			ctx := ctxFor(t)
			c.start(ctx, 1)
			_, drop := c.discord.HoldRoute(discordtest.RouteEditOriginal)
			it := c.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a saved lighthouse")))
			if err := c.discord.WaitRouteHeld(ctx, 1); err != nil {
				t.Fatal(err)
			}
			c.kill()
			drop() // the dead bot's edit never arrives
			entries, _ := os.ReadDir(c.env["IMAGE_DIR"])
			if len(entries) != 1 {
				t.Fatalf("IMAGE_DIR has %d files before the restart, want the saved image", len(entries))
			}
			if gone {
				if err := os.Remove(filepath.Join(c.env["IMAGE_DIR"], entries[0].Name())); err != nil {
					t.Fatal(err)
				}
			}
			c.start(ctx, 2)
			if gone {
				msg, err := it.WaitOriginal(ctx, done)
				if err != nil || len(msg.Attachments) != 0 || !strings.Contains(msg.Content, "can no longer be read") ||
					!strings.Contains(msg.Content, entries[0].Name()) {
					t.Errorf("final message %+v, %v: want the path and why there is no image", msg, err)
				}
			} else {
				c.oneAnswer(ctx, it)
			}
			if n := c.generations(); n != 1 {
				t.Errorf("%d generations, want 1: a saved image is delivered, not made again", n)
			}
		})
	}
}

// oneGeneratingOneQueued starts a bot whose budget (two requests per 10 s:
// the engine list and the first image) makes a second image wait, holds the
// first at the API, and returns both once the second shows its place.
func oneGeneratingOneQueued(t *testing.T) (c *crashEnv, ctx context.Context, release func(), first, second *discordtest.Interaction) {
	t.Helper()
	c = newCrashEnv(t, map[string]string{"API_RATE_PER_10S": "2", "QUEUE_NOTICE_AFTER": "100ms"})
	ctx = ctxFor(t)
	c.start(ctx, 1)
	release = c.api.Hold()
	t.Cleanup(release)
	first = c.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "the first lighthouse")))
	if err := c.api.WaitHeld(ctx, 1); err != nil {
		t.Fatalf("the generation never reached the API: %v\n%s", err, c.logs)
	}
	second = c.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "the second lighthouse"),
		discordtest.WithUser(discordtest.User{ID: "80351110224678912", Username: "second"})))
	queued, err := second.WaitOriginal(ctx, func(m *discordtest.Message) bool { return strings.Contains(m.Content, "Queued: #1") })
	if err != nil {
		t.Fatalf("the waiting member was not told their place: %v\n%+v", err, second.Original())
	}
	if len(queued.Components) != 1 || !strings.Contains(string(queued.Components[0]), `"cancel:`) {
		t.Errorf("queued message has no Cancel button: %s", queued.Components)
	}
	return c, ctx, release, first, second
}

func TestE2ECrashWhileQueued(t *testing.T) {
	t.Parallel()
	c, ctx, release, first, second := oneGeneratingOneQueued(t)
	c.kill()
	release()
	c.start(ctx, 2)
	c.oneAnswer(ctx, first)
	c.oneAnswer(ctx, second)
}

func TestE2ERestartLeavesNoTemporaryFiles(t *testing.T) {
	t.Parallel()
	c := newCrashEnv(t, nil)
	ctx := ctxFor(t)
	if err := os.MkdirAll(c.env["IMAGE_DIR"], 0o755); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(c.env["IMAGE_DIR"], ".tmp-1234.png")
	if err := os.WriteFile(leftover, []byte("\x89PNG half"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(leftover, old, old); err != nil {
		t.Fatal(err)
	}
	c.start(ctx, 1)
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("the crashed save's temporary file is still there (%v)", err)
	}
}

func TestE2ESigtermHandsWaitingJobsToTheNextStart(t *testing.T) {
	t.Parallel()
	// SHUTDOWN_TIMEOUT is left at its default: it must fit docker stop.
	c, ctx, release, first, second := oneGeneratingOneQueued(t)
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// docker stop sends SIGKILL 10 s after SIGTERM.
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case err := <-c.exited:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, c.logs)
		}
		c.cmd = nil
	case <-stopCtx.Done():
		t.Fatalf("still running 10 s after SIGTERM\n%s", c.logs)
	}
	for _, it := range []*discordtest.Interaction{first, second} {
		if m := it.Original(); m == nil || !strings.Contains(m.Content, "restarting") {
			t.Errorf("member not told the bot is restarting: %+v", m)
		}
	}
	release()
	c.start(ctx, 2)
	c.oneAnswer(ctx, first)
	c.oneAnswer(ctx, second)
}

// TestE2EAJobThatKeepsCrashingIsGivenUp: a request the bot dies on every
// time ends, after three tries, with a message rather than for ever.
func TestE2EAJobThatKeepsCrashingIsGivenUp(t *testing.T) {
	t.Parallel()
	c := newCrashEnv(t, nil)
	ctx := ctxFor(t)
	release := c.api.Hold()
	defer release()
	var it *discordtest.Interaction
	for run := 1; run <= 3; run++ {
		c.start(ctx, run)
		if it == nil {
			it = c.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cursed lighthouse")))
		}
		if err := c.api.WaitHeld(ctx, 1); err != nil {
			t.Fatalf("run %d: the generation never reached the API: %v\n%s", run, err, c.logs)
		}
		c.kill()
		if err := c.api.WaitHeld(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	c.start(ctx, 4)
	msg, err := it.WaitOriginal(ctx, func(m *discordtest.Message) bool { return strings.Contains(m.Content, "gave up") })
	if err != nil {
		t.Fatalf("never told: %v; last %+v", err, it.Original())
	}
	if len(msg.Attachments) != 0 {
		t.Errorf("the given-up message has attachments")
	}
	if n := c.generations(); n != 3 {
		t.Errorf("%d generations, want 3", n)
	}
}
