package dreamstudiotest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"dreambot/dreamstudio/dreamstudiotest"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func balance(t *testing.T, s *dreamstudiotest.Server) int {
	t.Helper()
	return send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"}).status
}

// TestRateLimitLikeTheRealAPI uses the real numbers: 150 requests per 10 s, then 60 s locked out.
func TestRateLimitLikeTheRealAPI(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithClock(clock.Now))

	for i := range 150 {
		if got := balance(t, s); got != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200", i+1, got)
		}
		if i%15 == 14 && i < 149 {
			clock.Advance(time.Second) // 150 requests spread over 9 seconds
		}
	}
	a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"})
	if a.status != http.StatusTooManyRequests {
		t.Fatalf("request 151: status %d, want 429", a.status)
	}
	if name, _ := a.apiError(t); name == "" {
		t.Error("429 without a name")
	}
	if got := a.header.Get("Retry-After"); got != "" {
		t.Errorf("Retry-After = %q; no source documents one", got)
	}

	clock.Advance(59 * time.Second)
	if got := balance(t, s); got != http.StatusTooManyRequests {
		t.Errorf("59 s into the lockout: status %d, want 429", got)
	}
	clock.Advance(time.Second)
	if got := balance(t, s); got != http.StatusOK {
		t.Errorf("after the 60 s lockout: status %d, want 200", got)
	}
}

func TestRateLimitSlidingWindow(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := dreamstudiotest.NewServer(t,
		dreamstudiotest.WithClock(clock.Now),
		dreamstudiotest.WithRateLimit(3, 10*time.Second, time.Minute))

	steps := []struct {
		advance time.Duration
		want    int
	}{
		{0, 200},
		{4 * time.Second, 200},
		{4 * time.Second, 200}, // three within 8 s
		{2 * time.Second, 200}, // the first left the window exactly now
		{time.Second, 429},     // three in the last 10 s: locked out
		{59 * time.Second, 429},
		{time.Second, 200},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		if got := balance(t, s); got != st.want {
			t.Errorf("step %d: status %d, want %d", i, got, st.want)
		}
	}
}

func TestRateLimitIgnoresRefusedKeys(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithRateLimit(1, time.Hour, time.Hour))
	for range 3 {
		if a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance", auth: "Bearer nope"}); a.status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", a.status)
		}
	}
	if got := balance(t, s); got != http.StatusOK {
		t.Errorf("first request with the key: %d, want 200", got)
	}
	if got := balance(t, s); got != http.StatusTooManyRequests {
		t.Errorf("second request with the key: %d, want 429", got)
	}
}

func TestRateLimitOff(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithRateLimit(0, 0, 0))
	for i := range 200 {
		if got := balance(t, s); got != http.StatusOK {
			t.Fatalf("request %d: status %d", i, got)
		}
	}
}
