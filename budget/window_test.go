package budget_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"dreambot/budget"
)

// A burst of up to n starts at once; the next call waits for the oldest admission to leave.
func TestBurst(t *testing.T) {
	t.Parallel()
	const n, per = 100, 10 * time.Second
	h := newHarness(t, n, per)
	ctx := context.Background()
	for i := range int64(50) {
		go func() {
			err := h.b.Turn(ctx, budget.Ticket{ID: i, Guild: strconv.Itoa(int(i % 3)), Member: strconv.Itoa(int(i % 7))})
			h.results <- result{id: i, err: err, at: h.clk.Now().Sub(t0)}
		}()
	}
	for i := range 50 {
		go func() {
			err := h.b.Wait(ctx)
			h.results <- result{id: int64(-1 - i), err: err, at: h.clk.Now().Sub(t0)}
		}()
	}
	// The clock never moves: if any of the hundred waited, this would block forever.
	for range n {
		if r := h.next(); r.err != nil || r.at != 0 {
			t.Fatalf("call %d returned %v at t0+%v, want nil at t0", r.id, r.err, r.at)
		}
		<-h.queued // each call's signal, so the next h.tickets waits for its own
	}
	h.tickets("G", "m", 1000)
	if h.b.Len() != 1 {
		t.Fatalf("Len = %d after %d admissions, want the next ticket waiting", h.b.Len(), n)
	}
	h.clk.Advance(per)
	if r := h.next(); r.id != 1000 || r.err != nil || r.at != per {
		t.Fatalf("call %d returned %v at t0+%v, want 1000, nil at t0+%v", r.id, r.err, r.at, per)
	}
}

// An admission at a leaves the window at exactly a+per: a call that comes a nanosecond
// earlier waits until then, one that comes at a+per goes at once.
func TestWindowEdge(t *testing.T) {
	t.Parallel()
	const per = 10 * time.Second
	tests := []struct {
		name   string
		n      int           // the window is filled a second apart from t0
		refill bool          // a Wait call takes the slot freed at t0+per
		arrive time.Duration // when the ticket comes
		want   time.Duration // when it is admitted
	}{
		{"a nanosecond early waits", 1, false, per - 1, per},
		{"on the edge goes", 1, false, per, per},
		{"after the edge goes", 1, false, per + 1, per + 1},
		{"early for the oldest of three", 3, false, per - 1, per},
		{"early for the second oldest", 3, true, per + time.Second - 1, per + time.Second},
		{"on the second oldest's edge", 3, true, per + time.Second, per + time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.n, per)
			h.spend(tt.n, time.Second)
			if tt.refill {
				h.clk.AdvanceTo(t0.Add(per))
				h.wait(context.Background())
				if r := h.next(); r.err != nil || r.at != per {
					t.Fatalf("refill returned %v at t0+%v, want nil at t0+%v", r.err, r.at, per)
				}
			}
			h.clk.AdvanceTo(t0.Add(tt.arrive))
			h.tickets("G", "m", 1)
			if tt.want > tt.arrive && h.b.Len() != 1 {
				t.Fatalf("Len = %d at t0+%v, want the ticket waiting", h.b.Len(), tt.arrive)
			}
			h.clk.AdvanceTo(t0.Add(tt.want))
			if r := h.next(); r.err != nil || r.at != tt.want {
				t.Fatalf("ticket returned %v at t0+%v, want nil at t0+%v", r.err, r.at, tt.want)
			}
		})
	}
}
