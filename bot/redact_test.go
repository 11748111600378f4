package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot/bottest"
	"dreambot/secret/secrettest"
)

// The secrets redact removes: a bot token and an interaction token, shaped like Discord's.
const (
	testBotToken         = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fGhIjKlMnOpQrStUvWx-Yz0123456789_AbC"
	testInteractionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldC10b2tlbi10aGF0LWxldHMteW91LXBvc3Q"
)

// echoErrors are the ways an echo reaches an error: in Discord's answer, in a URL, wrapped.
func echoErrors(echo string) map[string]error {
	rest := func(body string) error {
		return &discordgo.RESTError{Response: &http.Response{Status: "401 Unauthorized", StatusCode: 401}, ResponseBody: []byte(body)}
	}
	body := `{"message": "Invalid Webhook Token: ` + echo + `", "code": 50027}`
	return map[string]error{
		"RESTError": rest(body),
		"RESTError, %w-wrapped twice": fmt.Errorf("reply to interaction 1: %w",
			fmt.Errorf("edit: %w", rest(body))),
		"url.Error": &url.Error{Op: "Patch", URL: "https://discord.com/api/v9/webhooks/1/" + echo, Err: errors.New("connection reset")},
		"url.Error, %w-wrapped": fmt.Errorf("connect to discord: %w",
			&url.Error{Op: "Get", URL: "wss://gateway.discord.gg/?v=10&token=" + echo, Err: errors.New("EOF")}),
		"RESTError cut by Discord": rest(body[:len(body)/2]),
	}
}

func TestRedactRemovesEveryFormOfTheTokens(t *testing.T) {
	t.Parallel()
	for _, form := range secrettest.Echoes() {
		for _, secret := range []string{testBotToken, testInteractionToken} {
			echo := form.Of(secret)
			for errName, err := range echoErrors(echo) {
				t.Run(form.Name+"/"+errName, func(t *testing.T) {
					t.Parallel()
					got := redact(err, testBotToken, testInteractionToken)
					var logs bytes.Buffer
					slog.New(slog.NewTextHandler(&logs, nil)).Error("interaction failed", "err", got)
					for where, text := range map[string]string{"Error()": got.Error(), "the log line": logs.String()} {
						for _, s := range []string{testBotToken, testInteractionToken} {
							if frag := secrettest.Leaked(text, s); frag != "" {
								t.Errorf("%s shows %q of a token: %s", where, frag, text)
							}
						}
					}
					var re *discordgo.RESTError
					if errors.As(err, &re) && !errors.As(got, &re) {
						t.Errorf("the redacted error no longer unwraps to the *discordgo.RESTError")
					}
				})
			}
		}
	}
}

// TestRedactKeepsTheError checks what redact adds to secret.Redact: nil stays nil, an error
// without secrets is returned as it is, and a redacted one still unwraps to the original.
func TestRedactKeepsTheError(t *testing.T) {
	t.Parallel()
	if got := redact(nil, testBotToken); got != nil {
		t.Errorf("redact(nil) = %v, want nil", got)
	}
	plain := errors.New("HTTP 500 Internal Server Error, oops")
	if got := redact(plain, testBotToken, testInteractionToken); got != plain {
		t.Errorf("got %#v, want the error itself", got)
	}
	got := redact(fmt.Errorf("token %s: %w", testBotToken, fmt.Errorf("edit: %w", plain)), testBotToken)
	if want := "token [redacted]: edit: HTTP 500 Internal Server Error, oops"; got.Error() != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(got, plain) {
		t.Errorf("the redacted error no longer unwraps to the original")
	}
}

// TestInteractionTokenNeverLeavesTheBot has Discord's answers echo the interaction token while a
// handler fails and while its answer is sent, and checks the logs and every request body sent to
// Discord.
func TestInteractionTokenNeverLeavesTheBot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler func(rec *bottest.Recorder) Handler
		fail    func(rec *bottest.Recorder, netErr, gone error)
	}{
		{
			name: "handler fails",
			handler: func(rec *bottest.Recorder) Handler {
				return func(ctx context.Context, r *Request) (*Response, error) {
					if err := r.Defer(ctx); err != nil {
						return nil, err
					}
					_, err := rec.InteractionResponseEdit(r.Interaction, &discordgo.WebhookEdit{})
					return nil, fmt.Errorf("show progress: %w", err)
				}
			},
			fail: func(rec *bottest.Recorder, netErr, gone error) {
				rec.Fail("edit", netErr)
				rec.Fail("followup", gone)
			},
		},
		{
			name: "answer fails",
			handler: func(*bottest.Recorder) Handler {
				return func(ctx context.Context, r *Request) (*Response, error) {
					if err := r.Defer(ctx); err != nil {
						return nil, err
					}
					return &Response{Content: "here it is", Files: []File{{Name: "a.png", ContentType: "image/png", Data: []byte("png")}}}, nil
				}
			},
			fail: func(rec *bottest.Recorder, netErr, gone error) {
				rec.Fail("edit", netErr, gone)
				rec.Fail("channel", netErr)
			},
		},
	}
	for _, tt := range tests {
		for _, form := range secrettest.Echoes() {
			t.Run(tt.name+"/"+form.Name, func(t *testing.T) {
				t.Parallel()
				echo := form.Of(testInteractionToken)
				var logs bytes.Buffer
				log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				rec := bottest.NewRecorder()
				netErr := &url.Error{Op: "Patch", URL: "https://discord.com/api/v9/webhooks/1/" + echo + "/messages/@original",
					Err: errors.New("connection reset")}
				gone := &discordgo.RESTError{Response: &http.Response{Status: "401 Unauthorized", StatusCode: 401},
					ResponseBody: []byte(`{"message": "Invalid Webhook Token ` + echo + `", "code": 50027}`),
					Message:      &discordgo.APIErrorMessage{Code: discordgo.ErrCodeInvalidWebhookTokenProvided}}
				tt.fail(rec, netErr, gone)

				rt := NewRouter(log, nil)
				rt.Use(Log(log))
				rt.Command("imagine", tt.handler(rec))
				rt.Handle(context.Background(), rec, &discordgo.Interaction{
					ID: "1", Type: discordgo.InteractionApplicationCommand, GuildID: "g1", ChannelID: "c1", Token: testInteractionToken,
					Member: &discordgo.Member{User: &discordgo.User{ID: "u1"}},
					Data:   discordgo.ApplicationCommandInteractionData{Name: "imagine"},
				})

				if !bytes.Contains(logs.Bytes(), []byte("connection reset")) || !bytes.Contains(logs.Bytes(), []byte("Invalid Webhook Token")) {
					t.Fatalf("the failures were not logged:\n%s", logs.String())
				}
				if frag := secrettest.Leaked(logs.String(), testInteractionToken); frag != "" {
					t.Errorf("the logs show %q of the interaction token:\n%s", frag, logs.String())
				}
				for _, c := range rec.Calls() {
					if frag := secrettest.Leaked(c.Content, testInteractionToken); frag != "" {
						t.Errorf("the %s request sent %q of the interaction token: %q", c.Method, frag, c.Content)
					}
				}
			})
		}
	}
}
