package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
	"dreambot/discordtest"
)

// observed is what an InteractionObserver was told of one interaction.
type observed struct {
	kind, command, outcome string
	// ack is how the first response went: "ok" when Discord took it, "failed" when it refused it
	// (still timed), "" when none was sent.
	ack string
}

// observer records what it is told, strictly: a second report of one interaction is an error.
type observer struct {
	mu           sync.Mutex
	interactions []observed
	rest         []string
}

func (o *observer) Interaction(kind, command, outcome string, ack time.Duration, acked bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var how string
	switch {
	case ack > 0 && acked:
		how = "ok"
	case ack > 0:
		how = "failed"
	case acked:
		how = "taken without a time"
	}
	o.interactions = append(o.interactions, observed{kind, command, outcome, how})
}

func (o *observer) DiscordError(route string, status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rest = append(o.rest, fmt.Sprintf("%s %d", route, status))
}

func (o *observer) restErrors() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.rest...)
}

func component(customID string) *discordgo.Interaction {
	in := command("")
	in.Type, in.Data = discordgo.InteractionMessageComponent, discordgo.MessageComponentInteractionData{CustomID: customID}
	return in
}

func autocomplete(name string) *discordgo.Interaction {
	in := command(name)
	in.Type = discordgo.InteractionApplicationCommandAutocomplete
	return in
}

// TestRouterObservesInteractions: each interaction is reported once, by the name it was routed
// by, with how it went and how its first response went: timed whether Discord took it or not.
func TestRouterObservesInteractions(t *testing.T) {
	t.Parallel()
	errMistake := errors.New("a member's mistake")
	describe := func(err error) (*bot.Response, bool) {
		return &bot.Response{Content: "no", Ephemeral: true}, errors.Is(err, errMistake)
	}
	answer := func(context.Context, *bot.Request) (*bot.Response, error) { return &bot.Response{Content: "hi"}, nil }
	tests := []struct {
		name    string
		in      *discordgo.Interaction
		handler bot.Handler
		fail    error // of the first callback
		reject  bool
		want    observed
	}{
		{"answered", command("imagine"), answer, nil, false, observed{"command", "imagine", "ok", "ok"}},
		{"later", command("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			return &bot.Response{Later: true}, nil
		}, nil, false, observed{"command", "imagine", "ok", "ok"}},
		{"a member's mistake", command("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			return nil, errMistake
		}, nil, false, observed{"command", "imagine", "refused", "ok"}},
		{"a failure", command("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			return nil, errors.New("disk full")
		}, nil, false, observed{"command", "imagine", "failed", "ok"}},
		{"a panic in the handler", command("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			panic("boom")
		}, nil, false, observed{"command", "imagine", "failed", "ok"}},
		{"an unknown command", command("forged-name"), answer, nil, false, observed{"command", "unknown", "unrouted", "ok"}},
		{"unreadable data", &discordgo.Interaction{ID: "1", Type: discordgo.InteractionApplicationCommand}, answer, nil, false,
			observed{"command", "unknown", "unreadable", "ok"}},
		{"a component, by its prefix", component("again:12345"), answer, nil, false, observed{"component", "again", "ok", "ok"}},
		{"autocomplete", autocomplete("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			return &bot.Response{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}}, nil
		}, nil, false, observed{"autocomplete", "imagine", "ok", "ok"}},
		{"a callback Discord refused", command("imagine"), answer, restError(500, 0), false, observed{"command", "imagine", "ok", "failed"}},
		{"a callback too late (10062)", command("imagine"), answer, restError(404, discordgo.ErrCodeUnknownInteraction), false,
			observed{"command", "imagine", "ok", "failed"}},
		{"a deferral too late (10062)", command("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			return &bot.Response{Later: true}, nil
		}, restError(404, discordgo.ErrCodeUnknownInteraction), false, observed{"command", "imagine", "ok", "failed"}},
		{"choices too late (10062)", autocomplete("imagine"), func(context.Context, *bot.Request) (*bot.Response, error) {
			return &bot.Response{}, nil
		}, restError(404, discordgo.ErrCodeUnknownInteraction), false, observed{"autocomplete", "imagine", "ok", "failed"}},
		{"turned away while shutting down", command("imagine"), answer, nil, true, observed{"command", "imagine", "rejected", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			log := slog.New(slog.DiscardHandler)
			rt := bot.NewRouter(log, describe)
			rt.Use(bot.Recover(log))
			var o observer
			rt.Observe(&o)
			if tt.in.Type == discordgo.InteractionMessageComponent {
				rt.Component("again", tt.handler)
			} else {
				rt.Command("imagine", tt.handler)
				rt.Autocomplete("imagine", tt.handler)
			}
			rec := bottest.NewRecorder()
			if tt.fail != nil {
				rec.Fail("respond", tt.fail, tt.fail) // the answer, and its second try
			}
			if tt.reject {
				rt.Reject(context.Background(), rec, tt.in, "restarting")
			} else {
				rt.Handle(context.Background(), rec, tt.in)
			}
			if len(o.interactions) != 1 || o.interactions[0] != tt.want {
				t.Errorf("observed %+v, want once %+v", o.interactions, tt.want)
			}
		})
	}
}

// TestRouterWithoutObserver: nothing observes unless asked, and nothing breaks.
func TestRouterWithoutObserver(t *testing.T) {
	t.Parallel()
	rt := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	rt.Observe(nil)
	rt.Command("imagine", func(context.Context, *bot.Request) (*bot.Response, error) { return &bot.Response{Content: "hi"}, nil })
	rec := bottest.NewRecorder()
	rt.Handle(context.Background(), rec, command("imagine"))
	if calls := rec.Calls(); len(calls) != 1 || calls[0].Content != "hi" {
		t.Errorf("calls %+v", calls)
	}
}

func TestRouteOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ method, path, want string }{
		{"POST", "/api/v9/interactions/1234567890123456789/aW50ZXJhY3Rpb246MTIzNDU2Nzg5/callback",
			"POST /interactions/{id}/{token}/callback"},
		{"PATCH", "/api/v9/webhooks/1234/tok_en-1.x/messages/@original", "PATCH /webhooks/{id}/{token}/messages/@original"},
		{"POST", "/api/v9/webhooks/1234/tok", "POST /webhooks/{id}/{token}"},
		{"PATCH", "/api/v10/webhooks/1234/tok/messages/5678", "PATCH /webhooks/{id}/{token}/messages/{id}"},
		{"POST", "/api/v9/channels/42/messages", "POST /channels/{id}/messages"},
		{"PUT", "/api/v9/applications/42/guilds/43/commands", "PUT /applications/{id}/guilds/{id}/commands"},
		{"GET", "/api/v9/applications/@me", "GET /applications/@me"},
		{"GET", "/api/v9/gateway/bot", "GET /gateway/bot"},
		{"GET", "/proxy/api/v9/gateway", "GET /{token}/{token}/{token}/gateway"},
		{"GET", "/a/b/c/d/e/f/g/h/i/j", "GET /{token}/{token}/{token}/{token}/{token}/{token}/{token}/{token}/..."},
	}
	for _, tt := range tests {
		if got := bot.RouteOf(tt.method, tt.path); got != tt.want {
			t.Errorf("RouteOf(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestBotReportsDiscordErrorsAndHealth runs a real session against the fake Discord: the bot is
// unhealthy until READY, healthy after it, unhealthy again while shutting down, and Discord's
// error answers are reported by route, without ids or tokens.
func TestBotReportsDiscordErrorsAndHealth(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	logs := &logWaiter{want: "connected to Discord", found: make(chan struct{})}
	log := slog.New(slog.NewTextHandler(logs, nil))
	rt := bot.NewRouter(log, nil)
	rt.Command("imagine", func(context.Context, *bot.Request) (*bot.Response, error) {
		return &bot.Response{Content: "hello"}, nil
	})
	var o observer
	b, err := bot.New(bot.Options{
		Token: srv.Token, APIBase: srv.URL, GuildID: srv.GuildID, Router: rt, Logger: log, RESTObserver: &o,
		Commands: []*discordgo.ApplicationCommand{{Name: "imagine", Description: "Make an image"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.Health(ctx); err == nil || err.Error() != "not connected to Discord yet" {
		t.Errorf("before Run: %v", err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	exited := make(chan error, 1)
	go func() { exited <- b.Run(runCtx) }()
	defer func() { stop(); <-exited }()
	select {
	case <-logs.found:
	case <-ctx.Done():
		t.Fatalf("never connected:\n%s", logs)
	}
	if err := b.Health(ctx); err != nil {
		t.Errorf("once connected: %v", err)
	}
	if _, err := srv.WaitRequest(ctx, func(r discordtest.Request) bool { return r.Route == discordtest.RoutePutGuildCommands }); err != nil {
		t.Fatal(err)
	}

	srv.FailNext(discordtest.RouteCallback, 1, discordtest.ServerError(503))
	it := srv.Inject(discordtest.SlashCommand("imagine"))
	if resp, err := it.WaitResponse(ctx); err != nil || resp.Data.Content != "hello" {
		t.Fatalf("answer after a 503: %+v, %v", resp, err)
	}
	if got := o.restErrors(); len(got) != 1 || got[0] != "POST /interactions/{id}/{token}/callback 503" {
		t.Errorf("reported %q, want the callback's 503 once", got)
	}
	for _, r := range o.restErrors() {
		if strings.Contains(r, it.Token()) || strings.Contains(r, srv.Token) {
			t.Errorf("a token in a route: %s", r)
		}
	}
	stop()
	if err := <-exited; err != nil {
		t.Fatal(err)
	}
	exited <- nil
	if err := b.Health(ctx); err == nil || err.Error() != "shutting down" {
		t.Errorf("after Run: %v", err)
	}
}

// logWaiter keeps the logs and closes found once they hold want.
type logWaiter struct {
	want  string
	found chan struct{}

	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *logWaiter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.found)
	}
	return len(p), nil
}

func (w *logWaiter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
