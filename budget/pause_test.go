package budget_test

import (
	"context"
	"testing"
	"time"

	"dreambot/budget"
)

// A pause holds Wait and Turn although the window has room, a shorter pause does not shorten
// it, a longer one extends it, and the waiters go on their own once the clock passes its end.
func TestPause(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 10, 10*time.Second)
	ctx := context.Background()
	h.b.Pause(30 * time.Second)
	h.tickets("G", "m", 1)
	h.wait(ctx)
	h.turn(ctx, budget.Ticket{ID: 2, Guild: "H", Priority: true})

	steps := []struct {
		advance     time.Duration // clock move before the step, from the previous one
		pause       time.Duration // Pause(pause) after the move, if > 0
		pausedUntil time.Duration // want, after t0
	}{
		{0, 0, 30 * time.Second},
		{0, 10 * time.Second, 30 * time.Second}, // shorter: ignored
		{20 * time.Second, 5 * time.Second, 30 * time.Second},
		{0, 30 * time.Second, 50 * time.Second}, // longer: extends
		{29 * time.Second, 0, 50 * time.Second}, // a second before the end
	}
	for i, s := range steps {
		h.clk.Advance(s.advance)
		if s.pause > 0 {
			h.b.Pause(s.pause)
		}
		if got := budget.Waiters(h.b); got != 3 {
			t.Fatalf("step %d: %d calls wait, want 3: the pause holds them", i, got)
		}
		st, ok := h.b.Status(1)
		now := h.clk.Now()
		want := t0.Add(s.pausedUntil)
		if !ok || !st.PausedUntil.Equal(want) || st.Start != want.Sub(now) {
			t.Fatalf("step %d: Status(1) = %+v, %v; want paused until t0+%v, start %v",
				i, st, ok, s.pausedUntil, want.Sub(now))
		}
	}

	h.clk.Advance(time.Second)
	for range 3 {
		if r := h.next(); r.err != nil || r.at != 50*time.Second {
			t.Errorf("call %d returned %v at t0+%v, want nil at t0+50s", r.id, r.err, r.at)
		}
	}
	h.tickets("G", "m", 3) // after the pause, a turn is granted at once
	if r := h.next(); r.err != nil || r.at != 50*time.Second {
		t.Errorf("call %d returned %v at t0+%v, want nil at t0+50s", r.id, r.err, r.at)
	}
}

// A pause that starts while the waiters are held by the window moves their wakeup to its end.
func TestPauseWhileWindowIsFull(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	h.tickets("G", "m", 1)
	h.clk.Advance(5 * time.Second)
	h.b.Pause(20 * time.Second)
	h.clk.Advance(5 * time.Second) // the window frees; the pause still holds
	if got := h.b.Len(); got != 1 {
		t.Fatalf("Len = %d at t0+10s, want 1: paused until t0+25s", got)
	}
	st, _ := h.b.Status(1)
	if want := t0.Add(25 * time.Second); !st.PausedUntil.Equal(want) || st.Start != 15*time.Second {
		t.Fatalf("Status(1) = %+v, want paused until %v, start 15s", st, want)
	}
	h.clk.Advance(15 * time.Second)
	if r := h.next(); r.err != nil || r.at != 25*time.Second {
		t.Errorf("ticket returned %v at t0+%v, want nil at t0+25s", r.err, r.at)
	}
	h.tickets("G", "m", 2) // the pause is over, the window is not
	if st, ok := h.b.Status(2); !ok || !st.PausedUntil.IsZero() || st.Start != 10*time.Second {
		t.Errorf("Status(2) = %+v, %v; want no pause, start 10s", st, ok)
	}
}
