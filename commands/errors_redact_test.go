package commands_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
	"dreambot/commands"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/secret/secrettest"
)

// The secrets an upstream answer may echo. Each is long, mixed-case, and has characters that URL
// encodings change.
const (
	apiKey           = "sk-Echo/Key+Test=0123456789abcdefGHIJKLmnop"
	botToken         = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fGhIjKlMnOpQrStUvWx-Yz0123456789_AbC"
	interactionToken = "aW50ZXJhY3Rpb246OTg3NjU0MzIxOnNlY3JldC10b2tlbi10aGF0LWxldHMteW91LXBvc3Q"
)

// Members' sentences for the failures below: fixed text, with nothing of the answer in it.
const (
	keyRefused = "DreamStudio refused this bot's API key. Please let the bot's operator know."
	unexpected = "DreamStudio answered with something unexpected (error 400). Please try again in a moment, " +
		"and let the bot's operator know if it keeps happening."
	apology = "Sorry, something went wrong on my side. The bot's operator can find the details in its logs."
)

// TestSecretsNeverReachMembers sends a command whose handler fails with an upstream answer echoing
// a secret, through the router, the logging middleware and commands.Describe, and checks what the
// member is told, what is sent to Discord and what is logged.
func TestSecretsNeverReachMembers(t *testing.T) {
	t.Parallel()
	// answer is an echo as the API or a proxy in front of it sends it.
	type answer struct {
		status int
		json   bool
		body   func(echo string) string
	}
	apiAnswers := map[string]struct {
		answer answer
		want   string
	}{
		"JSON message": {answer{401, true, func(echo string) string {
			b, _ := json.Marshal(map[string]string{"id": "a1", "name": "unauthorized", "message": "Incorrect API key provided: " + echo})
			return string(b)
		}}, keyRefused},
		"JSON message, as sent": {answer{401, true, func(echo string) string {
			return `{"id":"a1","name":"unauthorized","message":"Incorrect API key provided: ` + echo + `"}`
		}}, keyRefused},
		"page cut in the middle of the key": {answer{400, false, func(echo string) string {
			return strings.Repeat("x", 200-len(echo)/2) + echo + "</p>"
		}}, unexpected},
		"page, key in a URL": {answer{400, false, func(echo string) string {
			return "<a href=\"https://api.stability.ai/v1/user/balance?key=" + echo + "\">retry</a>"
		}}, unexpected},
	}
	discordErrors := map[string]struct {
		err  func(echo string) error
		want string
	}{
		"RESTError, %w-wrapped": {func(echo string) error {
			return fmt.Errorf("show progress: %w", &discordgo.RESTError{
				Response:     &http.Response{Status: "401 Unauthorized", StatusCode: 401},
				ResponseBody: []byte(`{"message": "Invalid Webhook Token: ` + echo + `", "code": 50027}`),
			})
		}, apology},
		// A network error reads as DreamStudio being unreachable: Describe cannot tell whose it was.
		"url.Error, %w-wrapped": {func(echo string) error {
			return fmt.Errorf("show progress: %w", &url.Error{Op: "Patch",
				URL: "https://discord.com/api/v10/webhooks/1/" + echo + "/messages/@original", Err: errors.New("connection reset")})
		}, "I couldn't reach DreamStudio just now. Please try again in a few minutes."},
	}

	type test struct {
		name    string
		secret  string
		handler bot.Handler
		want    string
		logged  bool // whether the log must be checked: the router cannot redact a bot token it does not know
	}
	var tests []test
	for _, form := range secrettest.Echoes() {
		for name, a := range apiAnswers {
			echo := form.Of(apiKey)
			client := newEchoClient(t, a.answer.status, a.answer.json, a.answer.body(echo))
			tests = append(tests, test{
				name: "API key/" + form.Name + "/" + name, secret: apiKey, want: a.want, logged: true,
				handler: func(ctx context.Context, _ *bot.Request) (*bot.Response, error) {
					_, err := client.Balance(ctx)
					return nil, fmt.Errorf("credits: %w", err)
				},
			})
		}
		for name, d := range discordErrors {
			for secretName, secret := range map[string]string{"bot token": botToken, "interaction token": interactionToken} {
				echo := form.Of(secret)
				tests = append(tests, test{
					name: secretName + "/" + form.Name + "/" + name, secret: secret, want: d.want,
					logged:  secret == interactionToken,
					handler: func(context.Context, *bot.Request) (*bot.Response, error) { return nil, d.err(echo) },
				})
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			rec := bottest.NewRecorder()
			rt := bot.NewRouter(log, commands.Describe)
			rt.Use(bot.Log(log))
			rt.Command("credits", tt.handler)
			rt.Handle(context.Background(), rec, &discordgo.Interaction{
				ID: "1", AppID: "2", Type: discordgo.InteractionApplicationCommand, GuildID: "g1", ChannelID: "c1",
				Token: interactionToken, Member: &discordgo.Member{User: &discordgo.User{ID: "u1"}},
				Data: discordgo.ApplicationCommandInteractionData{Name: "credits"},
			})

			calls := rec.Calls()
			if len(calls) == 0 {
				t.Fatal("nothing was sent to Discord")
			}
			for _, c := range calls {
				if c.Content != tt.want {
					t.Errorf("the member was told %q, want %q", c.Content, tt.want)
				}
				if frag := secrettest.Leaked(c.Content, tt.secret); frag != "" {
					t.Errorf("the %s request shows %q of the secret: %q", c.Method, frag, c.Content)
				}
			}
			if !strings.Contains(logs.String(), "interaction failed") {
				t.Fatalf("the failure was not logged:\n%s", &logs)
			}
			if frag := secrettest.Leaked(logs.String(), tt.secret); tt.logged && frag != "" {
				t.Errorf("the logs show %q of the secret:\n%s", frag, &logs)
			}
		})
	}
}

// TestDescribeShowsNoUpstreamText describes API errors whose every field is upstream text, some of
// it a secret: the member is told what the status and documented name mean, and nothing else.
func TestDescribeShowsNoUpstreamText(t *testing.T) {
	t.Parallel()
	const said = "UPSTREAM-WORDS " + apiKey
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"documented name", &dreamstudio.Error{Status: 400, Name: "bad_request", ID: said, Message: said},
			"DreamStudio refused the request (bad_request, error 400)."},
		{"documented name, other status", &dreamstudio.Error{Status: 409, Name: "bad_request", Message: said},
			"DreamStudio refused the request (bad_request, error 409)."},
		{"unknown name", &dreamstudio.Error{Status: 400, Name: "weird_" + apiKey, Message: said},
			"DreamStudio refused the request (error 400)."},
		{"explained name", &dreamstudio.Error{Status: 400, Name: "invalid_prompts", Message: said},
			"DreamStudio refused the prompt."},
		{"not the API's JSON", &dreamstudio.Error{Status: 400, Message: said}, unexpected},
		{"not the API's JSON, 404", &dreamstudio.Error{Status: 404, Message: said},
			"DreamStudio answered with something unexpected (error 404)."},
		{"not the API's JSON, 502", &dreamstudio.Error{Status: 502, Message: said},
			"DreamStudio is having trouble right now (error 502)."},
		{"wrapped", fmt.Errorf("job 3: %w", fmt.Errorf("credits: %w", &dreamstudio.Error{Status: 401, Name: said, Message: said})),
			keyRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, _ := commands.Describe(tt.err)
			if !strings.Contains(resp.Content, tt.want) {
				t.Errorf("got %q, want it to contain %q", resp.Content, tt.want)
			}
			if strings.Contains(resp.Content, "UPSTREAM") || secrettest.Leaked(resp.Content, apiKey) != "" {
				t.Errorf("got %q, which shows upstream text", resp.Content)
			}
			if !resp.Ephemeral {
				t.Errorf("got a public message, want a private one")
			}
		})
	}
}

// newEchoClient returns an API client whose server, the fake API, answers every request with
// status and body, as a proxy in front of the API may.
func newEchoClient(t *testing.T, status int, isJSON bool, body string) *dreamstudio.Client {
	t.Helper()
	api := dreamstudiotest.NewServer(t, dreamstudiotest.WithKey(apiKey))
	f := dreamstudiotest.Fault{Status: status, Body: []byte(body), Times: dreamstudiotest.Always}
	if isJSON {
		f.Header = http.Header{"Content-Type": {"application/json"}}
	}
	api.AddFault(f)
	c, err := dreamstudio.New(api.URL, apiKey, dreamstudio.WithHTTPClient(api.Client()), dreamstudio.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
