package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
)

func TestRecoverTurnsPanicIntoApology(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	log := slog.New(slog.DiscardHandler)
	rt := bot.NewRouter(log, nil)
	rt.Use(bot.Recover(log))
	rt.Command("imagine", func(context.Context, *bot.Request) (*bot.Response, error) {
		var m map[string]int
		m["x"]++ // nil map: panics
		return nil, nil
	})
	rt.Handle(context.Background(), rec, command("imagine"))
	calls := rec.Calls()
	if len(calls) != 1 || !strings.Contains(calls[0].Content, "Sorry") {
		t.Fatalf("got %+v, want an apology", calls)
	}
}

func TestDeferAfterAcknowledgesSlowHandlers(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	log := slog.New(slog.DiscardHandler)
	rt := bot.NewRouter(log, nil)
	rt.Command("imagine", func(ctx context.Context, r *bot.Request) (*bot.Response, error) {
		select { // a slow handler: it finishes only once the deferral went out
		case <-rec.Sent():
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return &bot.Response{Content: "done"}, nil
	}, bot.DeferAfter(time.Millisecond, log))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rt.Handle(ctx, rec, command("imagine"))
	calls := rec.Calls()
	if got := methods(calls); got != "respond,edit" {
		t.Fatalf("calls %s, want respond,edit", got)
	}
	if calls[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || calls[1].Content != "done" {
		t.Errorf("got %+v", calls)
	}
}

func TestDeferAfterLeavesFastHandlersAlone(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	log := slog.New(slog.DiscardHandler)
	rt := bot.NewRouter(log, nil)
	rt.Command("imagine", func(context.Context, *bot.Request) (*bot.Response, error) {
		return &bot.Response{Content: "quick", Ephemeral: true}, nil
	}, bot.DeferAfter(time.Hour, log))
	rt.Handle(context.Background(), rec, command("imagine"))
	if got := methods(rec.Calls()); got != "respond" {
		t.Fatalf("calls %s, want a single respond", got)
	}
}
