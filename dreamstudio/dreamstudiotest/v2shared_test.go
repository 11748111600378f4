package dreamstudiotest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestV2Faults checks that the fault queue v1 uses answers v2beta requests in the v2 error shape.
func TestV2Faults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault dreamstudiotest.Fault
	}{
		{"server error", dreamstudiotest.Fault{Status: 500, Name: "server_error", Message: "An unexpected server error occurred."}},
		{"content moderation", dreamstudiotest.Fault{Status: 403, Name: "content_moderation",
			Message: "Your request was flagged by our content moderation system, as a result your request was denied and you were not charged."}},
		{"invalid language", dreamstudiotest.Fault{Status: 422, Name: "invalid_language",
			Message: "English is the only supported language for this service."}},
		{"public figure", dreamstudiotest.Fault{Status: 422, Name: "public_figure",
			Message: "Our system detected the likeness of a public figure in your image."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t)
			s.AddFault(tt.fault)
			a := send(t, s, v2Generate(t, "core", "image/*", prompt))
			if a.status != tt.fault.Status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tt.fault.Status, a.body)
			}
			name, errs := a.v2Error(t)
			if name != tt.fault.Name || len(errs) != 1 || errs[0] != tt.fault.Message {
				t.Errorf("error = %q %q, want %q [%q]", name, errs, tt.fault.Name, tt.fault.Message)
			}
			if got := s.Generations(); got != 0 {
				t.Errorf("Generations() after a fault = %d, want 0", got)
			}
			if a := send(t, s, v2Generate(t, "core", "image/*", prompt)); a.status != http.StatusOK {
				t.Errorf("next request: status %d, want 200", a.status)
			}
			if got := s.Generations(); got != 1 {
				t.Errorf("Generations() = %d, want 1", got)
			}
		})
	}
}

// TestV2FaultQueueIsShared checks that v1 and v2beta requests take faults from one queue, each in
// its own version's shape, and that a raw body is sent as is.
func TestV2FaultQueueIsShared(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	page := []byte("<html><body>502 Bad Gateway</body></html>")
	s.FailNext(http.StatusServiceUnavailable, "unavailable", "later")
	s.FailNext(http.StatusServiceUnavailable, "unavailable", "later")
	s.AddFault(dreamstudiotest.Fault{Status: http.StatusBadGateway, Body: page})

	if a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"}); a.status != 503 {
		t.Errorf("v1: status %d, want 503", a.status)
	} else {
		a.apiError(t)
	}
	if a := send(t, s, v2Generate(t, "ultra", "", prompt)); a.status != 503 {
		t.Errorf("v2: status %d, want 503", a.status)
	} else {
		a.v2Error(t)
	}
	if a := send(t, s, v2Generate(t, "sd3", "", prompt)); a.status != http.StatusBadGateway || string(a.body) != string(page) {
		t.Errorf("raw fault: got %d %q, want 502 %q", a.status, a.body, page)
	}
	if a := send(t, s, v2Generate(t, "sd3", "", prompt)); a.status != http.StatusOK {
		t.Errorf("after the faults: status %d, want 200", a.status)
	}
}

// TestV2WrongKey checks that a well-formed request with another key is refused like the real API,
// without failing the test: a client's handling of a revoked key is worth testing.
func TestV2WrongKey(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	c := v2Generate(t, "ultra", "", prompt)
	c.auth = "Bearer sk-wrong"
	a := send(t, s, c)
	if a.status != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", a.status)
	}
	if name, _ := a.v2Error(t); name != "unauthorized" {
		t.Errorf("name = %q, want unauthorized", name)
	}
}

// TestV2RateLimitIsShared checks that v1 and v2beta requests spend one key's budget.
func TestV2RateLimitIsShared(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithClock(clock.Now),
		dreamstudiotest.WithRateLimit(3, 10*time.Second, time.Minute))

	if got := balance(t, s); got != http.StatusOK {
		t.Fatalf("v1 request: status %d", got)
	}
	if a := send(t, s, v2Generate(t, "ultra", "", prompt)); a.status != http.StatusOK {
		t.Fatalf("generation: status %d, want 200", a.status)
	}
	if a := send(t, s, v2Call(t, "upscale/fast", "", pngOf(t, 64, 64))); a.status != http.StatusOK {
		t.Fatalf("upscale: status %d, want 200", a.status)
	}
	a := send(t, s, v2Generate(t, "sd3", "", prompt))
	if a.status != http.StatusTooManyRequests {
		t.Fatalf("fourth request: status %d, want 429", a.status)
	}
	if name, _ := a.v2Error(t); name != "rate_limit_exceeded" {
		t.Errorf("name = %q, want rate_limit_exceeded", name)
	}
	if got := balance(t, s); got != http.StatusTooManyRequests {
		t.Errorf("v1 while locked out: status %d, want 429", got)
	}
	clock.Advance(time.Minute)
	if a := send(t, s, v2Generate(t, "sd3", "", prompt)); a.status != http.StatusOK {
		t.Errorf("after the lockout: status %d, want 200", a.status)
	}
	if got := s.Generations(); got != 3 {
		t.Errorf("Generations() = %d, want 3", got)
	}
}

// TestV2Hold checks that v2beta generations, image-to-image and upscales wait at the hold v1
// generations use.
func TestV2Hold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(t *testing.T) call
	}{
		{"text-to-image", v2(t, "ultra", "", prompt)},
		{"image-to-image", func(t *testing.T) call {
			return v2Call(t, "generate/ultra", "", pngOf(t, 64, 64), prompt, field{"strength", "0.4"})
		}},
		{"upscale", func(t *testing.T) call {
			return v2Call(t, "upscale/conservative", "", pngOf(t, 64, 64), prompt)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			holdOne(t, tt.call(t))
		})
	}
}

func holdOne(t *testing.T, c call) {
	t.Helper()
	s := dreamstudiotest.NewServer(t)
	release := s.Hold()
	statuses := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, s.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+s.Key)
		req.Header.Set("Content-Type", c.contentType)
		resp, err := s.Client().Do(req)
		if err != nil {
			statuses <- -1
			return
		}
		resp.Body.Close()
		statuses <- resp.StatusCode
	}()
	if err := s.WaitHeld(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if got := s.Generations(); got != 0 {
		t.Errorf("Generations() while held = %d, want 0", got)
	}
	release()
	if got := <-statuses; got != http.StatusOK {
		t.Errorf("held generation: status %d, want 200", got)
	}
	if got := s.Generations(); got != 1 {
		t.Errorf("Generations() = %d, want 1", got)
	}
}
