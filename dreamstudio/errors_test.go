package dreamstudio_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

func TestErrors(t *testing.T) {
	t.Parallel()
	const key = "sk-secret-key-never-shown"
	tests := []struct {
		name      string
		setup     func(s *dreamstudiotest.Server)
		call      call
		status    int
		errName   string
		message   string // part of Error.Message
		temporary bool
		retry     time.Duration
		str       string // part of err.Error()
	}{
		{
			name:    "401 wrong key",
			setup:   func(s *dreamstudiotest.Server) {},
			call:    withKey("sk-wrong-key", engines),
			status:  401,
			errName: "unauthorized",
			str:     "list engines: dreamstudio: 401 unauthorized: ",
		},
		{
			name:    "403",
			setup:   func(s *dreamstudiotest.Server) { s.FailNext(403, "permission_denied", "You do not have permission") },
			call:    balance,
			status:  403,
			errName: "permission_denied",
			message: "You do not have permission",
			str:     "balance: dreamstudio: 403 permission_denied: You do not have permission (request id ",
		},
		{
			name:    "404 unknown engine",
			setup:   func(s *dreamstudiotest.Server) {},
			call:    generate("stable-diffusion-v1-5"),
			status:  404,
			errName: "not_found",
			message: "stable-diffusion-v1-5",
			str:     "text-to-image stable-diffusion-v1-5: dreamstudio: 404 not_found: ",
		},
		{
			name: "400 with a documented name",
			setup: func(s *dreamstudiotest.Server) {
				s.FailNext(400, "invalid_prompts", "One or more prompts contains filtered words")
			},
			call:    generate(sdxl),
			status:  400,
			errName: "invalid_prompts",
			message: "filtered words",
		},
		{
			name: "429 rate limited",
			setup: func(s *dreamstudiotest.Server) {
				s.AddFault(dreamstudiotest.Fault{Status: 429, Name: "rate_limit_exceeded", Message: "slow down"})
			},
			call:      generate(sdxl),
			status:    429,
			errName:   "rate_limit_exceeded",
			temporary: true,
		},
		{
			name: "429 with Retry-After",
			setup: func(s *dreamstudiotest.Server) {
				s.AddFault(dreamstudiotest.Fault{Status: 429, Name: "rate_limit_exceeded", Message: "slow down",
					Header: http.Header{"Retry-After": {"60"}}})
			},
			call:      balance,
			status:    429,
			errName:   "rate_limit_exceeded",
			temporary: true,
			retry:     time.Minute,
		},
		{
			name: "500",
			setup: func(s *dreamstudiotest.Server) {
				s.FailNext(500, "server_error", "An unexpected server error occurred")
			},
			call:      engines,
			status:    500,
			errName:   "server_error",
			temporary: true,
		},
		{
			name: "502 HTML page",
			setup: func(s *dreamstudiotest.Server) {
				s.AddFault(dreamstudiotest.Fault{Status: 502, Body: []byte("<html>\n<head><title>502 Bad Gateway</title></head>\n</html>\n")})
			},
			call:      generate(sdxl),
			status:    502,
			message:   "<html> <head><title>502 Bad Gateway</title></head> </html>",
			temporary: true,
			str:       "dreamstudio: 502 bad gateway: <html> <head>",
		},
		{
			name: "empty body",
			setup: func(s *dreamstudiotest.Server) {
				s.AddFault(dreamstudiotest.Fault{Status: 503, Body: []byte{}})
			},
			call:      balance,
			status:    503,
			temporary: true,
			str:       "balance: dreamstudio: 503 service unavailable",
		},
		{
			name: "oversized body is cut",
			setup: func(s *dreamstudiotest.Server) {
				huge := `{"id":"x","name":"server_error","message":"` + strings.Repeat("a", 1<<20) + `"}`
				s.AddFault(dreamstudiotest.Fault{Status: 500, Body: []byte(huge)})
			},
			call:      balance,
			status:    500,
			message:   `{"id":"x","name":"server_error","message":"aaaa`,
			temporary: true,
		},
		{
			name: "unknown fields are ignored",
			setup: func(s *dreamstudiotest.Server) {
				s.AddFault(dreamstudiotest.Fault{Status: 400, Header: http.Header{"Content-Type": {"application/json"}},
					Body: []byte(`{"id":"abc","name":"bad_request","message":"init_image: is required","status":400,"details":{"x":1}}`)})
			},
			call:    generate(sdxl),
			status:  400,
			errName: "bad_request",
			message: "init_image: is required",
			str:     "dreamstudio: 400 bad_request: init_image: is required (request id abc)",
		},
		{
			name: "key echoed across the cut of a page",
			setup: func(s *dreamstudiotest.Server) {
				s.AddFault(dreamstudiotest.Fault{Status: 403, Body: []byte(strings.Repeat("x", 190) + "key=" + key + " denied")})
			},
			call:    balance,
			status:  403,
			message: strings.Repeat("x", 190) + "key=[reda", // the key goes before the cut
		},
		{
			name:    "key echoed by the server",
			setup:   func(s *dreamstudiotest.Server) { s.FailNext(401, "unauthorized", "Incorrect API key provided: "+key) },
			call:    balance,
			status:  401,
			errName: "unauthorized",
			message: "Incorrect API key provided: [redacted]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newFake(t, dreamstudiotest.WithKey(key))
			c := newClient(t, s)
			tt.setup(s)
			err := tt.call(t.Context(), s, c)
			var apiErr *dreamstudio.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if apiErr.Status != tt.status || apiErr.Name != tt.errName {
				t.Errorf("Status, Name = %d, %q; want %d, %q", apiErr.Status, apiErr.Name, tt.status, tt.errName)
			}
			if !strings.Contains(apiErr.Message, tt.message) {
				t.Errorf("Message = %.100q, want it to contain %q", apiErr.Message, tt.message)
			}
			if len(apiErr.Message) > 300 {
				t.Errorf("Message is %d bytes long; want a short one", len(apiErr.Message))
			}
			if apiErr.Temporary() != tt.temporary {
				t.Errorf("Temporary() = %v, want %v", apiErr.Temporary(), tt.temporary)
			}
			if apiErr.RetryAfter != tt.retry {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, tt.retry)
			}
			if !strings.Contains(err.Error(), tt.str) {
				t.Errorf("err = %q, want it to contain %q", err, tt.str)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("err = %q contains the API key", err)
			}
		})
	}
}

// call is one API call made against the fake s, mostly with the client c.
type call func(ctx context.Context, s *dreamstudiotest.Server, c *dreamstudio.Client) error

func engines(ctx context.Context, _ *dreamstudiotest.Server, c *dreamstudio.Client) error {
	_, err := c.Engines(ctx)
	return err
}

func balance(ctx context.Context, _ *dreamstudiotest.Server, c *dreamstudio.Client) error {
	_, err := c.Balance(ctx)
	return err
}

func generate(engineID string) call {
	return func(ctx context.Context, _ *dreamstudiotest.Server, c *dreamstudio.Client) error {
		_, err := c.TextToImage(ctx, engineID, goodRequest())
		return err
	}
}

// withKey makes the call with a client that sends key instead of the fake's.
func withKey(key string, next call) call {
	return func(ctx context.Context, s *dreamstudiotest.Server, _ *dreamstudio.Client) error {
		c, err := dreamstudio.New(s.URL, key, dreamstudio.WithHTTPClient(s.Client()), dreamstudio.WithLimiter(nil))
		if err != nil {
			return err
		}
		return next(ctx, s, c)
	}
}
