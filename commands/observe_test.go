package commands_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"dreambot/dreamstudio/dreamstudiotest"
)

// jobWaits records what a commands.Observer is told.
type jobWaits struct {
	mu  sync.Mutex
	got []time.Duration
}

func (w *jobWaits) JobWaited(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, d)
}

func (w *jobWaits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.got...)
}

// TestJobsAndWaitsAreObserved: a job runs while its image is being made, its wait for a turn is
// reported once (for its first image only), and nothing is left running once it is delivered.
func TestJobsAndWaitsAreObserved(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	if w, r := e.set.Jobs(); w != 0 || r != 0 {
		t.Fatalf("before any job: %d waiting, %d running", w, r)
	}
	release := e.api.Hold()
	start := time.Now()
	e.send(t, interaction(t, "imagine_guild.json", withOpts(str("prompt", "two cats"), integer("count", 2))))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if w, r := e.set.Jobs(); w != 0 || r != 1 {
		t.Errorf("while generating: %d waiting, %d running, want 0 and 1", w, r)
	}
	release()
	e.settle(t)
	if w, r := e.set.Jobs(); w != 0 || r != 0 {
		t.Errorf("once delivered: %d waiting, %d running", w, r)
	}
	if n := e.api.Generations(); n != 2 {
		t.Fatalf("%d images made, want 2", n)
	}
	waits := e.waits.all()
	if len(waits) != 1 || waits[0] < 0 || waits[0] > time.Since(start) {
		t.Errorf("waits %v, want one, between 0 and %v", waits, time.Since(start))
	}
}

// TestCreditsAreReadFromTheCache: the balance is known once the bot has read it for a check,
// less what it spent since, and reading it asks the API nothing.
func TestCreditsAreReadFromTheCache(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		lowBalance float64
		wantKnown  bool
	}{
		{"balance checks on", 1, true},
		{"balance checks off", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultConfig()
			cfg.LowBalance = tt.lowBalance
			e := newEnv(t, cfg, dreamstudiotest.WithBalance(100))
			if _, ok := e.set.Credits(); ok {
				t.Fatal("credits known before any reading")
			}
			before := len(e.api.Requests())
			for range 3 {
				e.set.Credits()
			}
			if n := len(e.api.Requests()) - before; n != 0 {
				t.Fatalf("reading the credits sent %d requests", n)
			}
			calls := e.handle(t, interaction(t, "imagine_guild.json", nil))
			if len(last(t, calls).Files) != 1 {
				t.Fatalf("no image: %+v", last(t, calls))
			}
			credits, ok := e.set.Credits()
			if ok != tt.wantKnown {
				t.Fatalf("known %v, want %v", ok, tt.wantKnown)
			}
			if ok && (credits >= 100 || credits < 90) {
				t.Errorf("credits %v: want 100 less the image's cost", credits)
			}
		})
	}
}
