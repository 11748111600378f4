package dreamstudiotest_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"dreambot/dreamstudio/dreamstudiotest"
)

func TestHold(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	release := s.Hold()

	const n = 3
	statuses := make(chan int, n)
	for range n {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, s.URL+textToImage, strings.NewReader(sized(1024, 1024)))
			req.Header.Set("Authorization", "Bearer "+s.Key)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "image/png")
			resp, err := s.Client().Do(req)
			if err != nil {
				statuses <- -1
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	if err := s.WaitHeld(t.Context(), n); err != nil {
		t.Fatal(err)
	}
	if got := s.Held(); got != n {
		t.Errorf("Held() = %d, want %d", got, n)
	}
	if got := s.Generations(); got != 0 {
		t.Errorf("Generations() while held = %d, want 0", got)
	}
	// Metadata calls are not held.
	if a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"}); a.status != http.StatusOK {
		t.Errorf("balance while held: %d", a.status)
	}

	release()
	release() // releasing twice is harmless
	for range n {
		if got := <-statuses; got != http.StatusOK {
			t.Errorf("held generation: status %d, want 200", got)
		}
	}
	if got := s.Generations(); got != n {
		t.Errorf("Generations() = %d, want %d", got, n)
	}
	if a := send(t, s, generate(sized(1024, 1024))); a.status != http.StatusOK {
		t.Errorf("after release: status %d", a.status)
	}
}

func TestHoldClientGivesUp(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	release := s.Hold()
	defer release()

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	var err error
	go func() {
		defer wg.Done()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+textToImage, strings.NewReader(sized(1024, 1024)))
		req.Header.Set("Authorization", "Bearer "+s.Key)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "image/png")
		var resp *http.Response
		resp, err = s.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	if err := s.WaitHeld(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	wg.Wait()
	if err == nil {
		t.Fatal("request succeeded after its context was cancelled")
	}
	// The handler notices the cancellation and leaves the hold without generating.
	if err := s.WaitHeld(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
	release()
	if got := s.Generations(); got != 0 {
		t.Errorf("Generations() = %d, want 0", got)
	}
}

func TestWaitHeldHonoursContext(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.WaitHeld(ctx, 1); err != context.Canceled {
		t.Errorf("WaitHeld = %v, want context.Canceled", err)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	fast := dreamstudiotest.NewServer(t, dreamstudiotest.WithLatency(time.Millisecond))
	if a := send(t, fast, generate(sized(1024, 1024))); a.status != http.StatusOK {
		t.Errorf("status %d, want 200", a.status)
	}

	slow := dreamstudiotest.NewServer(t, dreamstudiotest.WithLatency(time.Hour))
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, slow.URL+textToImage, strings.NewReader(sized(1024, 1024)))
	req.Header.Set("Authorization", "Bearer "+slow.Key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "image/png")
	if resp, err := slow.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d within 20ms despite an hour of latency", resp.StatusCode)
	}
	// Closing the server (in cleanup) must not wait out the hour; the test timing out would show it.
}
