package commands

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"dreambot/generate"
)

// fakeBalance counts readings; release, when set, holds each reading
// until it is closed.
type fakeBalance struct {
	mu      sync.Mutex
	credits float64
	calls   int
	release chan struct{}
}

func (f *fakeBalance) Balance(ctx context.Context) (float64, error) {
	f.mu.Lock()
	f.calls++
	release := f.release
	f.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.credits, nil
}

func (f *fakeBalance) set(v float64) { f.mu.Lock(); f.credits = v; f.mu.Unlock() }
func (f *fakeBalance) count() int    { f.mu.Lock(); defer f.mu.Unlock(); return f.calls }

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// settle waits for the reading in flight, if any.
func (c *credits) settle() {
	c.mu.Lock()
	wait := c.inflight
	c.mu.Unlock()
	if wait != nil {
		<-wait
	}
}

func notify(t *testing.T, err error) (low, notified bool) {
	t.Helper()
	var lc *LowCreditsError
	if err == nil {
		return false, false
	}
	if !errors.As(err, &lc) {
		t.Fatalf("unexpected error %v", err)
	}
	return true, lc.Notify
}

func TestCreditsReadOnceAndTellModeratorsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	api := &fakeBalance{credits: 0.5, release: make(chan struct{})}
	clock := &fakeClock{t: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)}
	c := newCredits(api, 1, time.Minute, slog.New(slog.DiscardHandler))
	c.now = clock.now

	// 50 commands at once on a cold cache: one reading, which all wait for.
	var wg sync.WaitGroup
	results := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); results <- c.check(ctx, "g2", 0, "", nil) }()
	}
	close(api.release)
	wg.Wait()
	close(results)
	notices := 0
	for err := range results {
		if low, n := notify(t, err); !low {
			t.Fatal("a command got through while the balance is low")
		} else if n {
			notices++
		}
	}
	if api.count() != 1 || notices != 1 {
		t.Fatalf("%d readings and %d moderator notices for 50 commands, want 1 and 1", api.count(), notices)
	}

	if _, n := notify(t, c.check(ctx, "g1", 0, "", nil)); !n {
		t.Error("another server's moderators were not told")
	}
	if _, n := notify(t, c.check(ctx, "g1", 0, "", nil)); n {
		t.Error("moderators told twice")
	}

	// Topped up: the cached value holds until the ttl ends...
	api.set(100)
	if low, _ := notify(t, c.check(ctx, "g1", 0, "", nil)); !low || api.count() != 1 {
		t.Errorf("within the ttl: low %v after %d readings, want the cached value", low, api.count())
	}
	// ...then one background reading brings it back.
	clock.advance(time.Minute)
	notify(t, c.check(ctx, "g1", 0, "", nil)) // the stale value, while the reading runs
	c.settle()
	if err := c.check(ctx, "g1", 0, "", nil); err != nil || api.count() != 2 {
		t.Errorf("after the refresh: %v after %d readings", err, api.count())
	}

	// Low again: a new episode, so moderators are told again.
	api.set(0.1)
	clock.advance(time.Minute)
	c.check(ctx, "g1", 0, "", nil)
	c.settle()
	if _, n := notify(t, c.check(ctx, "g1", 0, "", nil)); !n {
		t.Error("moderators not told about a new low episode")
	}
}

func TestCreditsUnknownBalanceLetsCommandsThrough(t *testing.T) {
	t.Parallel()
	failing := balanceFunc(func(context.Context) (float64, error) { return 0, errors.New("down") })
	c := newCredits(failing, 1, time.Minute, slog.New(slog.DiscardHandler))
	if err := c.check(context.Background(), "g", 0, "", nil); err != nil {
		t.Errorf("got %v, want no refusal when the balance is unknown", err)
	}
}

type balanceFunc func(context.Context) (float64, error)

func (f balanceFunc) Balance(ctx context.Context) (float64, error) { return f(ctx) }

func TestCreditsGuardEachModelsPrice(t *testing.T) {
	t.Parallel()
	api := &fakeBalance{credits: 10}
	c := newCredits(api, 1, time.Hour, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	tests := []struct {
		name    string
		spent   float64 // before the check, since the reading
		cost    float64
		refused bool
	}{
		{"cheaper than the balance", 0, 3, false},
		{"exactly the balance", 0, 10, false},
		{"dearer than the balance", 0, 10.5, true},
		{"affordable until images were made", 4, 8, true},
		{"still affordable after them", 4, 3, false},
	}
	for _, tt := range tests {
		c.settle()
		c.mu.Lock()
		c.spentSince = 0
		c.mu.Unlock()
		c.spend(tt.spent)
		err := c.check(ctx, "g", tt.cost, "Stable Image Ultra", nil)
		var poor *CantAffordError
		if got := errors.As(err, &poor); got != tt.refused {
			t.Errorf("%s: check = %v, want refused %v", tt.name, err, tt.refused)
		} else if got && (poor.Engine != "Stable Image Ultra" || poor.Cost != tt.cost || poor.Credits != 10-tt.spent) {
			t.Errorf("%s: %+v", tt.name, poor)
		}
	}
	api.set(20) // a new reading forgets what was spent before it
	c.mu.Lock()
	c.fetched = time.Time{}
	c.mu.Unlock()
	c.check(ctx, "g", 0, "", nil)
	c.settle()
	if err := c.check(ctx, "g", 15, "Stable Image Ultra", nil); err != nil {
		t.Errorf("after a reading of 20: %v", err)
	}
}

func TestJobCost(t *testing.T) {
	t.Parallel()
	prepared, err := generate.Prepare(generate.Request{Engine: "core", Prompt: "a cat"})
	if err != nil {
		t.Fatal(err)
	}
	price := 3.0
	stored, _ := json.Marshal(imageJob{Prepared: prepared, Count: 4, Credits: &price})
	old, _ := json.Marshal(imageJob{Prepared: prepared}) // queued before prices were stored
	forged := []byte(`{"credits":"lots"}`)
	tests := []struct {
		name    string
		payload []byte
		credits float64
		count   int
		ok      bool
	}{
		{"price stored at accept", stored, 3, 4, true},
		{"an older job, read in full", old, 3, 1, true},
		{"unreadable", forged, 0, 0, false},
	}
	for _, tt := range tests {
		credits, count, ok := jobCost(tt.payload)
		if credits != tt.credits || count != tt.count || ok != tt.ok {
			t.Errorf("%s: jobCost = %v, %d, %v; want %v, %d, %v", tt.name, credits, count, ok, tt.credits, tt.count, tt.ok)
		}
	}
}
