package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"dreambot/bot"
	"dreambot/bot/bottest"
)

func TestLogsNeverShowTheInteractionToken(t *testing.T) {
	t.Parallel()
	const token = "aW50ZXJhY3Rpb246c2VjcmV0LXRva2VuLXRoYXQtbGV0cy15b3UtcG9zdA"
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	netErr := func(method string) error {
		return &url.Error{Op: method, URL: "https://discord.com/api/v9/webhooks/1/" + token + "/messages/@original", Err: errors.New("connection reset")}
	}
	rec := bottest.NewRecorder()
	rec.Fail("edit", netErr("Patch"), netErr("Patch"))
	rec.Fail("channel", netErr("Post"), netErr("Post"))

	rt := bot.NewRouter(log, nil)
	rt.Use(bot.Log(log))
	rt.Command("imagine", func(ctx context.Context, r *bot.Request) (*bot.Response, error) {
		if err := r.Defer(ctx); err != nil {
			return nil, err
		}
		return imageResponse(), nil
	})
	in := command("imagine")
	in.Token = token
	rt.Handle(context.Background(), rec, in)

	if !strings.Contains(logs.String(), "connection reset") {
		t.Fatalf("the failure was not logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the interaction token appears in the logs:\n%s", logs.String())
	}
}
