package bot_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/discordtest"
)

// TestShutdownWithAnInteractionInFlight: an interaction still running when Run is asked to stop
// gets until the shared deadline less the reserve, is then cancelled and still answered, Drain
// gets that same deadline, and Run (closing the session included) returns before the caller's
// reserve begins.
func TestShutdownWithAnInteractionInFlight(t *testing.T) {
	t.Parallel()
	const timeout, reserve = 3 * time.Second, 500 * time.Millisecond
	srv := discordtest.NewServer(t)
	logs := &logWaiter{want: "connected to Discord", found: make(chan struct{})}
	log := slog.New(slog.NewTextHandler(logs, nil))
	rt := bot.NewRouter(log, nil)
	running := make(chan struct{})
	rt.Command("imagine", func(ctx context.Context, _ *bot.Request) (*bot.Response, error) {
		close(running)
		<-ctx.Done() // a handler that would not finish on its own
		return &bot.Response{Content: "stopped"}, nil
	})
	drained := make(chan time.Time, 1)
	b, err := bot.New(bot.Options{
		Token: srv.Token, APIBase: srv.URL, GuildID: srv.GuildID, Router: rt, Logger: log,
		Commands:        []*discordgo.ApplicationCommand{{Name: "imagine", Description: "Make an image"}},
		ShutdownTimeout: timeout, ShutdownReserve: reserve,
		Drain: func(by time.Time) { drained <- by },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(context.Background())
	exited := make(chan error, 1)
	go func() { exited <- b.Run(runCtx) }()
	defer func() { stop(); <-exited }()
	select {
	case <-logs.found:
	case <-ctx.Done():
		t.Fatalf("never connected:\n%s", logs)
	}
	if _, err := srv.WaitRequest(ctx, func(r discordtest.Request) bool { return r.Route == discordtest.RoutePutGuildCommands }); err != nil {
		t.Fatal(err)
	}
	it := srv.Inject(discordtest.SlashCommand("imagine"))
	select {
	case <-running:
	case <-ctx.Done():
		t.Fatalf("the handler never ran:\n%s", logs)
	}

	stopped := time.Now()
	stop()
	if err := <-exited; err != nil {
		t.Fatal(err)
	}
	took := time.Since(stopped)
	exited <- nil // for the deferred wait
	// The reserve is the caller's plus the second closing the session takes.
	stopBy := stopped.Add(timeout)
	wantBy := stopBy.Add(-(reserve + time.Second))
	if by := <-drained; by.Before(wantBy) || by.After(wantBy.Add(100*time.Millisecond)) {
		t.Errorf("Drain's deadline %v after the stop, want %v", by.Sub(stopped), wantBy.Sub(stopped))
	}
	// margin is what answering the cancelled interaction and closing the websocket add.
	const margin = 500 * time.Millisecond
	if took > timeout-reserve+margin {
		t.Errorf("Run returned %v after the stop, want within %v", took, timeout-reserve+margin)
	}
	if resp, err := it.WaitResponse(ctx); err != nil || resp.Data.Content != "stopped" {
		t.Errorf("answer of the cancelled interaction: %+v, %v", resp, err)
	}
}
