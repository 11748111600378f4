package budget_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dreambot/budget"
	"dreambot/budget/budgettest"
)

// A ticket that stops waiting, for whatever reason, leaves its place and takes nothing from
// the window: the next waiter gets the slot that frees first.
func TestStopWaiting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		stop func(h *harness, cancel context.CancelFunc)
		want error
	}{
		{"Cancel", func(h *harness, _ context.CancelFunc) {
			if !h.b.Cancel(1) {
				h.t.Error("Cancel(1) = false, want true")
			}
		}, budget.ErrCancelled},
		{"context", func(_ *harness, cancel context.CancelFunc) { cancel() }, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 1, 10*time.Second)
			h.spend(1, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			h.turn(ctx, budget.Ticket{ID: 1, Guild: "G", Member: "a"})
			h.tickets("G", "b", 2)
			tt.stop(h, cancel)
			if r := h.next(); r.id != 1 || !errors.Is(r.err, tt.want) {
				t.Fatalf("call %d returned %v, want 1, %v", r.id, r.err, tt.want)
			}
			if _, ok := h.b.Status(1); ok || h.b.Len() != 1 || h.b.Cancel(1) {
				t.Fatalf("ticket 1 still known (Len %d), want only ticket 2 waiting", h.b.Len())
			}
			h.clk.Advance(10 * time.Second)
			if r := h.next(); r.id != 2 || r.err != nil || r.at != 10*time.Second {
				t.Fatalf("call %d returned %v at t0+%v, want 2, nil at t0+10s", r.id, r.err, r.at)
			}
		})
	}
}

func TestCancelUnknown(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.tickets("G", "m", 1) // granted at once
	h.next()
	if h.b.Cancel(1) || h.b.Cancel(2) {
		t.Error("Cancel of a ticket that is not waiting = true, want false")
	}
}

// A Wait call whose context ends leaves the queue and takes nothing.
func TestWaitContext(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	ctx, cancel := context.WithCancel(context.Background())
	h.wait(ctx)
	h.tickets("G", "m", 1)
	cancel()
	if r := h.next(); r.id != 0 || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Wait returned %v, want context.Canceled", r.err)
	}
	h.clk.Advance(10 * time.Second)
	if r := h.next(); r.id != 1 || r.err != nil || r.at != 10*time.Second {
		t.Fatalf("call %d returned %v at t0+%v, want 1, nil at t0+10s", r.id, r.err, r.at)
	}
	if err := h.b.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with a done context = %v, want context.Canceled", err)
	}
	if err := h.b.Turn(ctx, budget.Ticket{ID: 2}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Turn with a done context = %v, want context.Canceled", err)
	}
}

// trapClock is the harness's clock with a trap: once armed, the next Now call, which the grant
// loop makes while it holds the budget's lock, runs spring first.
type trapClock struct {
	*budgettest.Clock
	mu     sync.Mutex
	spring func()
}

func (c *trapClock) Now() time.Time {
	c.mu.Lock()
	f := c.spring
	c.spring = nil
	c.mu.Unlock()
	if f != nil {
		f()
	}
	return c.Clock.Now()
}

func (c *trapClock) arm(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.spring = f
}

// When a context ends while the grant loop is handing the call its turn, the call finds both
// the turn and the ended context, gives the turn back and returns the context's error: the
// slot goes to the next waiter at the same moment.
func TestContextEndsAsTurnIsGranted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		start func(h *harness, ctx context.Context)
	}{
		{"Turn", func(h *harness, ctx context.Context) { h.turn(ctx, budget.Ticket{ID: 1, Guild: "G", Member: "a"}) }},
		{"Wait", func(h *harness, ctx context.Context) { h.wait(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := &trapClock{}
			h := newHarness(t, 1, 10*time.Second, budget.WithClock(clk))
			clk.Clock = h.clk
			h.spend(1, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tt.start(h, ctx)
			h.tickets("G", "b", 2)
			clk.arm(cancel)
			h.clk.Advance(10 * time.Second) // the timer's grant loop cancels, then grants
			got := map[int64]result{}
			for range 2 {
				r := h.next()
				got[r.id] = r
			}
			if r := got[2]; r.err != nil || r.at != 10*time.Second {
				t.Fatalf("ticket 2 returned %v at t0+%v, want nil at t0+10s: the slot came back", r.err, r.at)
			}
			// The Wait call reports id 0, the ticket 1.
			delete(got, 2)
			for _, r := range got {
				if !errors.Is(r.err, context.Canceled) {
					t.Fatalf("the call whose context ended returned %v, want context.Canceled", r.err)
				}
			}
		})
	}
}

// Close releases every waiting Turn with ErrClosed, refuses new ones, and keeps serving Wait
// calls within the window.
func TestClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	ctx := context.Background()
	h.tickets("G", "a", 1, 2)
	h.turn(ctx, budget.Ticket{ID: 3, Priority: true})
	h.b.Close()
	for range 3 {
		if r := h.next(); r.err != budget.ErrClosed {
			t.Errorf("ticket %d returned %v, want ErrClosed", r.id, r.err)
		}
	}
	if h.b.Len() != 0 {
		t.Errorf("Len after Close = %d, want 0", h.b.Len())
	}
	if err := h.b.Turn(ctx, budget.Ticket{ID: 4}); err != budget.ErrClosed {
		t.Errorf("Turn after Close = %v, want ErrClosed", err)
	}
	h.wait(ctx)
	if got := budget.Waiters(h.b); got != 1 {
		t.Fatalf("%d calls wait after Close, want the Wait call held by the window", got)
	}
	h.clk.Advance(10 * time.Second)
	if r := h.next(); r.err != nil || r.at != 10*time.Second {
		t.Errorf("Wait after Close returned %v at t0+%v, want nil at t0+10s: the closed tickets took nothing", r.err, r.at)
	}
}

func TestDuplicateTicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	h.tickets("G", "m", 1)
	if err := h.b.Turn(context.Background(), budget.Ticket{ID: 1, Guild: "H"}); err == nil {
		t.Fatal("Turn with the ID of a waiting ticket = nil, want an error")
	}
	if got := waitingIDs(h.b.Waiting("G")); len(got) != 1 {
		t.Fatalf("Waiting(G) = %v, want the first ticket 1 only", got)
	}
}
