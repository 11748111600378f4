package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/discordtest"
)

// TestSessionSurvivesUndecodableInteractions sends, through a real
// discordgo session connected to the fake Discord, interactions that
// discordgo cannot decode (and still dispatches). Each gets one answer, the
// bot keeps serving, and no token reaches the logs.
func TestSessionSurvivesUndecodableInteractions(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rt := bot.NewRouter(log, nil)
	rt.Use(bot.Recover(log), bot.Log(log))
	rt.Command("imagine", func(context.Context, *bot.Request) (*bot.Response, error) {
		return &bot.Response{Content: "hello", Ephemeral: true}, nil
	})
	b, err := bot.New(bot.Options{
		Token: srv.Token, APIBase: srv.URL, GuildID: srv.GuildID, Router: rt, Logger: log,
		Commands: []*discordgo.ApplicationCommand{{Name: "imagine", Description: "Make an image"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	exited := make(chan error, 1)
	go func() { exited <- b.Run(runCtx) }()
	stopped := false
	stopBot := func() {
		if !stopped {
			stopped = true
			stop()
			if err := <-exited; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}
	t.Cleanup(stopBot)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("bot never got READY: %v", err)
	}

	member := fmt.Sprintf(`{"user":{"id":%q,"username":"tester"},"roles":[],"joined_at":"2024-03-02T17:04:21.123000+00:00"}`, srv.User.ID)
	payload := func(typ int, fields string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"type":%d,"guild_id":%q,"channel_id":%q%s}`, typ, srv.GuildID, srv.ChannelID, fields))
	}
	tests := []struct {
		name     string
		payload  json.RawMessage
		wantType int
		want     string
	}{
		{"command without data", payload(2, `,"member":`+member), 4, "Sorry, I couldn't read that request. Please try again."},
		{"users as an array", payload(2, `,"member":`+member+`,"data":{"name":"imagine","resolved":{"users":[]}}`), 4, "Sorry, I couldn't read that request. Please try again."},
		{"member of another type", payload(2, `,"member":5,"data":{"name":"imagine"}`), 4, "Sorry, I couldn't read that request. Please try again."},
		{"autocomplete without data", payload(4, `,"member":`+member), 8, ""},
		{"a command afterwards", payload(2, `,"member":`+member+`,"data":{"name":"imagine","type":1}`), 4, "hello"},
	}
	var sent []*discordtest.Interaction
	for _, tt := range tests {
		it := srv.Inject(discordtest.RawInteraction(tt.payload))
		sent = append(sent, it)
		resp, err := it.WaitResponse(ctx)
		if err != nil {
			t.Fatalf("%s: no answer: %v", tt.name, err)
		}
		if resp.Type != tt.wantType || resp.Data.Content != tt.want || (tt.wantType == 4 && resp.Data.Flags != 64) {
			t.Errorf("%s: answer %d %q (flags %d), want %d %q", tt.name, resp.Type, resp.Data.Content, resp.Data.Flags, tt.wantType, tt.want)
		}
	}

	stopBot() // in-flight interactions are done once Run returns
	for i, it := range sent {
		if n := len(it.Responses()); n != 1 {
			t.Errorf("%s: %d callbacks, want 1", tests[i].name, n)
		}
		if strings.Contains(logs.String(), it.Token()) {
			t.Errorf("%s: the interaction token is in the logs", tests[i].name)
		}
	}
	if n := strings.Count(logs.String(), `msg="could not read interaction"`); n != 4 {
		t.Errorf("%d lines say an interaction could not be read, want 4:\n%s", n, logs.String())
	}
}

// lockedBuffer is a log destination that the bot's goroutines write while
// the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
