package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/settings"
)

// memberWording is what commands.Describe tells a Discord member, which means nothing to the
// operator at a shell: they are the operator, and nothing is restarting.
var memberWording = []string{"operator", "restarting", "Please", "moderator"}

func TestForOperator(t *testing.T) {
	t.Parallel()
	cfg := config.Config{APIHost: "https://api.example.test", GenerateTimeout: 2 * time.Minute}
	api := func(status int, name string) error {
		return fmt.Errorf("text-to-image core: %w", &dreamstudio.Error{Status: status, Name: name, Message: "upstream words", ID: "req-1"})
	}
	unreachable := &url.Error{Op: "Get", URL: "https://api.example.test/v1/engines/list",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	tests := []struct {
		name  string
		err   error
		limit string
		want  string
	}{
		{"key refused", api(401, "unauthorized"), "", "Stability refused the API key (401): check DREAMSTUDIO_API_KEY"},
		{"key without access", api(403, "permission_denied"), "", "check DREAMSTUDIO_API_KEY"},
		{"content moderation", api(403, "content_moderation"), "", "content moderation declined this prompt: reword it"},
		{"refused prompt", api(422, "invalid_language"), "", "declined this prompt (English only"},
		{"rate limit", api(429, "rate_limit_exceeded"), "", "rate limit was reached: wait 1m before trying again"},
		{"rate limit with Retry-After", &dreamstudio.Error{Status: 429, RetryAfter: 90 * time.Second}, "", "wait 1m30s"},
		{"out of credits", api(402, "insufficient_balance"), "", "out of credits: top it up"},
		{"server error", api(503, "server_error"), "", "Stability is failing (503): try again in a few minutes"},
		{"no such engine", api(404, "not_found"), "", "API_HOST (https://api.example.test) has no such engine: 'dreambot engines'"},
		{"not the API", api(502, ""), "", "Stability is failing (502)"},
		{"a proxy's page", api(407, ""), "", "answered 407 with something other than Stability's API: check API_HOST"},
		{"generation timed out", &url.Error{Op: "Post", URL: "https://api.example.test/v2beta", Err: context.DeadlineExceeded},
			"GENERATE_TIMEOUT (2m)", "no answer from Stability within GENERATE_TIMEOUT (2m)"},
		{"engine list timed out", fmt.Errorf("list engines: %w", context.DeadlineExceeded), "",
			"no answer from API_HOST (https://api.example.test) in time"},
		{"unreachable", unreachable, "", "could not reach API_HOST (https://api.example.test)"},
		{"interrupted", fmt.Errorf("list engines: %w", context.Canceled), "", "interrupted"},
		{"engine not allowed", &settings.EngineError{Message: "SDXL 1.0 isn't allowed here."}, "",
			"SDXL 1.0 isn't allowed here.\n(ALLOWED_ENGINES and MAX_CREDITS_PER_IMAGE decide"},
		{"over the ceiling", &settings.CeilingError{Engine: "Stable Image Ultra", Credits: 8, Max: 4}, "",
			"Stable Image Ultra would cost 8 credits an image, over MAX_CREDITS_PER_IMAGE (4 credits)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := forOperator(tt.err, cfg, tt.limit)
			if !strings.Contains(got.Error(), tt.want) {
				t.Errorf("got %q, want %q in it", got, tt.want)
			}
			for _, w := range memberWording {
				if strings.Contains(got.Error(), w) {
					t.Errorf("%q is worded for a member (%q)", got, w)
				}
			}
			// The error itself follows the advice, but a ceiling's is said again in other words.
			var ceiling *settings.CeilingError
			if !errors.As(tt.err, &ceiling) && !errors.Is(got, tt.err) {
				t.Errorf("%q does not wrap %q", got, tt.err)
			}
		})
	}
}

// TestForOperatorKeepsWhatItCannotImprove: an error the API's answer explains, and errors of no
// known kind, are shown as they are.
func TestForOperatorKeepsWhatItCannotImprove(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		&dreamstudio.Error{Status: http.StatusBadRequest, Name: "invalid_sdxl_v1_dimensions", Message: "bad size"},
		&dreamstudio.ValidationError{Field: dreamstudio.FieldEngine, Message: "too long"},
		errors.New("disk full"),
	} {
		if got := forOperator(err, config.Config{}, ""); got != err {
			t.Errorf("forOperator(%q) = %q, want it unchanged", err, got)
		}
	}
}

// TestShellErrorsForTheOperator runs the commands against failures and checks what the
// operator reads.
func TestShellErrorsForTheOperator(t *testing.T) {
	t.Parallel()
	api := dreamstudiotest.NewServer(t)
	closed := httptestClosedURL(t)
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		setup func()
		want  string
	}{
		{name: "wrong key", env: map[string]string{"DREAMSTUDIO_API_KEY": "sk-wrong-secret", "API_HOST": api.URL},
			args: []string{"engines"}, want: "Stability refused the API key (401): check DREAMSTUDIO_API_KEY"},
		{name: "host down", env: withEnv(apiEnv(t, api), "API_HOST", closed), args: []string{"imagine", "a cat"},
			want: "could not reach API_HOST (" + closed + ")"},
		{name: "no allowed engine", env: withEnv(apiEnv(t, api), "ALLOWED_ENGINES", "no-such-engine-v9"),
			args: []string{"imagine", "a cat"}, want: "no engine your key can use is allowed: check ALLOWED_ENGINES"},
		{name: "engine over the ceiling", env: withEnv(apiEnv(t, api), "MAX_CREDITS_PER_IMAGE", "5"),
			args: []string{"imagine", "--engine", "sd3.5-large", "a cat"}, want: "(ALLOWED_ENGINES and MAX_CREDITS_PER_IMAGE decide"},
		{name: "engine outside ALLOWED_ENGINES", env: withEnv(apiEnv(t, api), "ALLOWED_ENGINES", "core"),
			args: []string{"imagine", "--engine", "stable-diffusion-v1-6", "a cat"}, want: "(ALLOWED_ENGINES and MAX_CREDITS_PER_IMAGE decide"},
		{name: "request over the ceiling", env: withEnv(apiEnv(t, api), "MAX_CREDITS_PER_IMAGE", "0.5"),
			args: []string{"imagine", "--engine", "stable-diffusion-xl-1024-v1-0", "--steps", "150", "a cat"},
			want: "would cost ≈1 credit an image, over MAX_CREDITS_PER_IMAGE (0.5 credits)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCLI(t, tt.env, tt.args...)
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, tt.want)
			}
			for _, w := range memberWording {
				if strings.Contains(errOut, w) {
					t.Errorf("stderr %q is worded for a member (%q)", errOut, w)
				}
			}
		})
	}
	if api.Generations() != 0 {
		t.Errorf("%d generations: failures spent credits", api.Generations())
	}
}

// httptestClosedURL returns the URL of a port on 127.0.0.1 that nothing listens on.
func httptestClosedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	l.Close()
	return u
}
