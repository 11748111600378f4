package bot_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dreambot/bot"
	"dreambot/discordtest"
	"dreambot/metrics"
)

// TestRateLimitedStartUp answers a step of the start-up with a 429: the bot waits what Discord
// asks, saying so, then goes on; cancelled during a long wait, Run returns at once.
func TestRateLimitedStartUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, route, step string
	}{
		{"application", discordtest.RouteOAuth2Application, "the application"},
		{"command registration", discordtest.RoutePutGuildCommands, "command registration"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" waits", func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			srv.FailNext(tt.route, 1, discordtest.RateLimited(50*time.Millisecond))
			r := runBot(t, srv, bot.Options{RetryWait: time.Millisecond})
			ctx := testContext(t)
			for _, line := range []string{`step="` + tt.step + `" attempt=1 for="the rate limit of ` + srv.URL, `retry_in=50ms`, "commands registered"} {
				if err := r.logs.wait(ctx, line); err != nil {
					t.Fatalf("no log line with %s: %v\n%s", line, err, r.logs)
				}
			}
		})
		t.Run(tt.name+" stops at once", func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			srv.FailNext(tt.route, 1, discordtest.RateLimited(time.Hour))
			r := runBot(t, srv, bot.Options{})
			if err := r.logs.wait(testContext(t), `step="`+tt.step+`" attempt=1 for="the rate limit of `); err != nil {
				t.Fatalf("the bot never said it waits: %v\n%s", err, r.logs)
			}
			r.cancel()
			select {
			case err := <-r.exited:
				r.exited <- err
				if err != nil {
					t.Errorf("Run = %v, want nil when asked to stop", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Run still waiting out a 429 5 s after its context was cancelled\n%s", r.logs)
			}
		})
	}
}

// TestReconnectRetries fails the first two reconnects after a drop: the bot retries, and
// resumes its session.
func TestReconnectRetries(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	r := runBot(t, srv, bot.Options{RetryWait: time.Millisecond})
	ctx := testContext(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("never connected: %v\n%s", err, r.logs)
	}
	srv.RefuseNextSessions(2, 4000)
	srv.DropGateway()
	if err := srv.WaitResumed(ctx); err != nil {
		t.Fatalf("never resumed: %v\n%s", err, r.logs)
	}
	want := `step="the gateway" attempt=2 retry_in=2ms err="the gateway at ` + hostOf(srv.URL) + ` closed the connection: 4000 Unknown error"`
	if err := r.logs.wait(ctx, want); err != nil {
		t.Errorf("no log line with %s: %v\n%s", want, err, r.logs)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run = %v", err)
	}
}

// TestPermanentCloseStopsRun closes the gateway with 4004 (authentication failed), on the
// first connection and on a reconnect: Run returns an error saying what to check, at once.
func TestPermanentCloseStopsRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reconn  bool
		wantPre string
	}{
		{"connect", false, "connect to discord: "},
		{"reconnect", true, "reconnect to discord: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			ctx := testContext(t)
			if !tt.reconn {
				srv.RefuseNextSessions(1, 4004)
			}
			r := runBot(t, srv, bot.Options{RetryWait: time.Hour})
			if tt.reconn {
				if err := srv.WaitReady(ctx); err != nil {
					t.Fatalf("never connected: %v\n%s", err, r.logs)
				}
				srv.RefuseNextSessions(1, 4004)
				srv.DropGateway()
			}
			var err error
			select {
			case err = <-r.exited:
				r.exited <- err
			case <-ctx.Done():
				t.Fatalf("Run still running after 4004\n%s", r.logs)
			}
			want := tt.wantPre + "the gateway at " + hostOf(srv.URL) + " closed the connection: 4004 Authentication failed: check DISCORD_TOKEN"
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Run = %v, want %s", err, want)
			}
		})
	}
}

// TestHealthzAcrossDrop asks /healthz while connected, after a drop while the reconnect
// hangs, and after the resume.
func TestHealthzAcrossDrop(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	r := runBot(t, srv, bot.Options{})
	h := metrics.Health(r.bot.Health)
	ctx := testContext(t)
	check := func(when string, wantCode int, wantBody string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != wantCode || rec.Body.String() != wantBody {
			t.Errorf("%s: /healthz = %d %q, want %d %q", when, rec.Code, rec.Body, wantCode, wantBody)
		}
	}
	if err := r.logs.wait(ctx, "connected to Discord"); err != nil {
		t.Fatalf("never connected: %v\n%s", err, r.logs)
	}
	check("connected", 200, "ok\n")

	release := srv.HoldGateway()
	srv.DropGateway()
	if err := r.logs.wait(ctx, "lost the connection to the Discord gateway: reconnecting"); err != nil {
		t.Fatalf("the drop was not seen: %v\n%s", err, r.logs)
	}
	check("after a drop", 503, "disconnected from Discord: reconnecting\n")

	release()
	if err := r.logs.wait(ctx, "gateway session resumed"); err != nil {
		t.Fatalf("never resumed: %v\n%s", err, r.logs)
	}
	check("after the resume", 200, "ok\n")
}
