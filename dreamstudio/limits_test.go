package dreamstudio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"dreambot/dreamstudio"
)

// TestLimiterIsWaitedOnEveryRequest gives the client a limiter with three tokens that never
// refills: each endpoint takes one, and a fourth call is refused without reaching the server.
func TestLimiterIsWaitedOnEveryRequest(t *testing.T) {
	t.Parallel()
	s, _ := newFake(t)
	lim := rate.NewLimiter(0, 3)
	c := newClient(t, s, dreamstudio.WithLimiter(lim))
	ctx := t.Context()

	if _, err := c.Engines(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Balance(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TextToImage(ctx, sdxl, goodRequest()); err != nil {
		t.Fatal(err)
	}
	if got := lim.Tokens(); got > 0.001 {
		t.Errorf("limiter has %v tokens left, want 0", got)
	}
	_, err := c.Balance(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("fourth call: err = %v, want one matching context.DeadlineExceeded", err)
	}
	if n := len(s.Requests()); n != 3 {
		t.Errorf("fake got %d requests, want 3", n)
	}
}

func TestLimiterWaitHonoursCancellation(t *testing.T) {
	t.Parallel()
	s, _ := newFake(t)
	lim := rate.NewLimiter(rate.Every(time.Hour), 1)
	lim.Allow() // empty the bucket: the next token is an hour away
	c := newClient(t, s, dreamstudio.WithLimiter(lim), dreamstudio.WithTimeouts(2*time.Hour, 2*time.Hour))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Engines(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("fake got %d requests, want 0", n)
	}
}

func TestGenerationTimeout(t *testing.T) {
	t.Parallel()
	s, _ := newFake(t)
	release := s.Hold()
	t.Cleanup(release)
	c := newClient(t, s, dreamstudio.WithTimeouts(time.Minute, 20*time.Millisecond))

	_, err := c.TextToImage(t.Context(), sdxl, goodRequest())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one matching context.DeadlineExceeded", err)
	}
	if !strings.HasPrefix(err.Error(), "text-to-image "+sdxl+": ") {
		t.Errorf("err = %q, want it to say what was being done", err)
	}
	// The generation reached the server and was abandoned there, unpaid.
	if err := s.WaitHeld(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
	if s.Generations() != 0 {
		t.Errorf("Generations() = %d, want 0", s.Generations())
	}
}

func TestCallerDeadline(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	release := s.Hold()
	t.Cleanup(release)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.TextToImage(ctx, sdxl, goodRequest()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want one matching context.DeadlineExceeded", err)
	}
}

func TestMetadataTimeout(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	t.Cleanup(srv.Close)
	c, err := dreamstudio.New(srv.URL, "k", dreamstudio.WithLimiter(nil), dreamstudio.WithTimeouts(20*time.Millisecond, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"engines": func() error { _, err := c.Engines(t.Context()); return err },
		"balance": func() error { _, err := c.Balance(t.Context()); return err },
	} {
		if err := call(); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want one matching context.DeadlineExceeded", name, err)
		}
	}
}

func TestKeyNeverInTransportErrors(t *testing.T) {
	t.Parallel()
	const key = "sk-transport-secret"
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, err := dreamstudio.New(url, key, dreamstudio.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.TextToImage(t.Context(), sdxl, goodRequest())
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if strings.Contains(err.Error(), key) {
		t.Errorf("err = %q contains the key", err)
	}
}
