package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/discordtest"
)

// TestConnectGivesUpAndRetries stalls one step of connecting: the bot says what it waits for,
// gives up after ConnectTimeout naming the host and the time waited, and tries again.
func TestConnectGivesUpAndRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stall func(*discordtest.Server)
		what  func(*discordtest.Server) string
	}{
		{"gateway never says HELLO", func(srv *discordtest.Server) { srv.WithholdHello() },
			func(srv *discordtest.Server) string { return "HELLO from the gateway at " + hostOf(srv.URL) }},
		{"GET /gateway hangs", func(srv *discordtest.Server) { srv.HoldRoute(discordtest.RouteGateway) },
			func(srv *discordtest.Server) string { return "an answer to GET " + srv.URL + "/api/v9/gateway" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			tt.stall(srv)
			r := runBot(t, srv, bot.Options{ConnectTimeout: 300 * time.Millisecond, RetryWait: time.Millisecond})
			what := tt.what(srv)
			ctx := testContext(t)
			for _, line := range []string{
				`for="` + what + `" timeout=300ms`,
				`err="gave up after waiting 300ms for ` + what + `"`,
				`step="the gateway" attempt=2`,
			} {
				if err := r.logs.wait(ctx, line); err != nil {
					t.Fatalf("no log line with %s: %v\n%s", line, err, r.logs)
				}
			}
			if tt.name == "gateway never says HELLO" {
				if st := srv.GatewayStats(); st.Connected < 2 {
					t.Errorf("%d gateway connections, want a second one", st.Connected)
				}
			}
			if err := r.stop(t); err != nil {
				t.Errorf("Run after cancel = %v, want nil", err)
			}
		})
	}
}

// TestConnectStopsAtOnce cancels the run context while a step of connecting hangs, with a
// timeout far longer than the test: Run must return at once all the same.
func TestConnectStopsAtOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		stall   func(*discordtest.Server)
		waiting func(*discordtest.Server) string
	}{
		{"gateway never says HELLO", func(srv *discordtest.Server) { srv.WithholdHello() },
			func(srv *discordtest.Server) string { return `for="HELLO from the gateway at ` + hostOf(srv.URL) }},
		{"GET /gateway hangs", func(srv *discordtest.Server) { srv.HoldRoute(discordtest.RouteGateway) },
			func(srv *discordtest.Server) string { return `for="an answer to GET ` + srv.URL + `/api/v9/gateway"` }},
		{"websocket handshake hangs", func(srv *discordtest.Server) { srv.HoldGateway() },
			func(srv *discordtest.Server) string {
				return `for="the websocket handshake with the gateway at ` + hostOf(srv.URL) + `"`
			}},
		{"gateway never sends READY", func(srv *discordtest.Server) { srv.WithholdReady() },
			func(srv *discordtest.Server) string {
				return `for="READY or RESUMED from the gateway at ` + hostOf(srv.URL) + `"`
			}},
		{"429 on GET /gateway with retry_after of an hour", func(srv *discordtest.Server) {
			srv.FailNext(discordtest.RouteGateway, 1, discordtest.RateLimited(time.Hour))
		}, func(srv *discordtest.Server) string {
			return `msg="rate limited by Discord: waiting" component=bot step="the gateway" attempt=1 for="the rate limit of ` +
				srv.URL + `/api/v9/gateway to reset" retry_in=1h0m0s`
		}},
		{"429 with retry_after of an hour", func(srv *discordtest.Server) {
			srv.FailNext(discordtest.RouteOAuth2Application, 1, discordtest.RateLimited(time.Hour))
		}, func(srv *discordtest.Server) string {
			return `msg="rate limited by Discord: waiting" component=bot step="the application" attempt=1 for="the rate limit of ` +
				srv.URL + `/api/v9/oauth2/applications/@me to reset" retry_in=1h0m0s`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			tt.stall(srv)
			r := runBot(t, srv, bot.Options{ConnectTimeout: time.Hour})
			if err := r.logs.wait(testContext(t), tt.waiting(srv)); err != nil {
				t.Fatalf("the bot never said it waits: %v\n%s", err, r.logs)
			}
			r.cancel()
			select {
			case err := <-r.exited:
				r.exited <- err // for the cleanup
				if err != nil {
					t.Errorf("Run = %v, want nil when asked to stop", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Run still connecting 5 s after its context was cancelled\n%s", r.logs)
			}
			if !strings.Contains(r.logs.String(), "asked to stop while connecting") {
				t.Errorf("the logs do not say the bot stopped while connecting:\n%s", r.logs)
			}
		})
	}
}

// TestConnectRefusedToken checks that a token Discord refuses stops the bot at once, with an
// error that names the host used and DISCORD_TOKEN.
func TestConnectRefusedToken(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	r := runBot(t, srv, bot.Options{Token: "not.the-token.of-this-bot-at-all", RetryWait: time.Hour})
	var err error
	select {
	case err = <-r.exited:
		r.exited <- err
	case <-testContext(t).Done():
		t.Fatalf("Run still running with a refused token\n%s", r.logs)
	}
	for _, want := range []string{"401", "check DISCORD_TOKEN", "GET " + srv.URL + "/api/v9/oauth2/applications/@me"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Run = %v, want an error with %q", err, want)
		}
	}
	if n := countRequests(srv, discordtest.RouteOAuth2Application); n != 1 {
		t.Errorf("%d requests for the application, want 1: a 401 is not retried", n)
	}
}

// TestConnectRetriesServerErrors checks that a 500 is retried, and worded with the host used
// (DISCORD_API_BASE), never discord.com.
func TestConnectRetriesServerErrors(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	srv.FailNext(discordtest.RouteOAuth2Application, 2, discordtest.ServerError(500))
	r := runBot(t, srv, bot.Options{RetryWait: time.Millisecond})
	ctx := testContext(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("never connected after two 500s: %v\n%s", err, r.logs)
	}
	want := `step="the application" attempt=2 retry_in=2ms err="GET ` + srv.URL + `/api/v9/oauth2/applications/@me: Discord answered 500 Internal Server Error`
	if err := r.logs.wait(ctx, want); err != nil {
		t.Errorf("no log line with %s: %v\n%s", want, err, r.logs)
	}
	if strings.Contains(r.logs.String(), "discord.com") {
		t.Errorf("the logs name discord.com, not the host used:\n%s", r.logs)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run = %v", err)
	}
}

// TestReconnectsAfterDrop checks that the bot, which reconnects in place of discordgo, resumes
// its session when the connection drops.
func TestReconnectsAfterDrop(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	r := runBot(t, srv, bot.Options{})
	ctx := testContext(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("never connected: %v\n%s", err, r.logs)
	}
	srv.DropGateway()
	if err := srv.WaitResumed(ctx); err != nil {
		t.Fatalf("never resumed after a drop: %v\n%s", err, r.logs)
	}
	if err := r.logs.wait(ctx, "lost the connection to the Discord gateway: reconnecting"); err != nil {
		t.Errorf("the drop was not logged: %v\n%s", err, r.logs)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run = %v", err)
	}
}

// running is a bot whose Run goes on in the background until stop or the test's end.
type running struct {
	bot    *bot.Bot
	logs   *logWatch
	cancel context.CancelFunc
	exited chan error // Run's result, put back by whoever takes it
}

// runBot runs a bot against srv with opts, filled with what the test does not set.
func runBot(t *testing.T, srv *discordtest.Server, opts bot.Options) *running {
	t.Helper()
	r := &running{logs: &logWatch{}, exited: make(chan error, 1)}
	log := slog.New(slog.NewTextHandler(r.logs, nil))
	if opts.Token == "" {
		opts.Token = srv.Token
	}
	opts.APIBase, opts.GuildID, opts.Logger = srv.URL, srv.GuildID, log
	opts.Router = bot.NewRouter(log, nil)
	opts.Commands = []*discordgo.ApplicationCommand{{Name: "imagine", Description: "Make an image"}}
	b, err := bot.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.bot = cancel, b
	go func() { r.exited <- b.Run(ctx) }()
	t.Cleanup(func() { _ = r.stop(t) })
	return r
}

// stop cancels Run's context and returns what Run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	err := <-r.exited
	r.exited <- err
	return err
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func hostOf(url string) string { return strings.TrimPrefix(url, "http://") }

func countRequests(srv *discordtest.Server, route string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Route == route {
			n++
		}
	}
	return n
}

// logWatch is a log destination that tests can wait on for a line.
type logWatch struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced at each write
}

func (l *logWatch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return l.buf.Write(p)
}

func (l *logWatch) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// wait returns once the logs hold text, or ctx's error.
func (l *logWatch) wait(ctx context.Context, text string) error {
	for {
		l.mu.Lock()
		found := strings.Contains(l.buf.String(), text)
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
