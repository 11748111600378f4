package budget_test

import (
	"context"
	"testing"
	"time"

	"dreambot/budget"
	"dreambot/budget/budgettest"
)

// t0 is an arbitrary fake "now"; nothing in these tests reads the real clock.
var t0 = time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)

// result is what one Wait or Turn call returned, and when.
type result struct {
	id  int64 // the ticket's ID; 0 for a Wait call
	err error
	at  time.Duration // the fake clock's time after t0 when the call returned
}

// harness runs Wait and Turn calls in goroutines against a budget on a fake clock. The clock
// only moves when the test moves it, so a call's result carries the time of its admission as
// long as the test collects results before moving the clock again.
type harness struct {
	t       *testing.T
	b       *budget.Budget
	clk     *budgettest.Clock
	queued  chan struct{} // one value each time a call has joined the queue
	results chan result
}

// newHarness returns a harness on a budget of n per per; opts come after the harness's own.
func newHarness(t *testing.T, n int, per time.Duration, opts ...budget.Option) *harness {
	t.Helper()
	h := &harness{
		t:       t,
		clk:     budgettest.NewClock(t0),
		queued:  make(chan struct{}, 4096),
		results: make(chan result, 4096),
	}
	opts = append([]budget.Option{budget.WithClock(h.clk), budget.WithQueued(func() { h.queued <- struct{}{} })}, opts...)
	h.b = budget.New(n, per, opts...)
	// Close releases any Turn a failed test left waiting.
	t.Cleanup(h.b.Close)
	return h
}

// turn starts Turn(ctx, tk) and returns once the ticket is queued (or already granted).
func (h *harness) turn(ctx context.Context, tk budget.Ticket) {
	go func() {
		err := h.b.Turn(ctx, tk)
		h.results <- result{id: tk.ID, err: err, at: h.clk.Now().Sub(t0)}
	}()
	<-h.queued
}

// tickets queues a plain ticket for each id in order, all of guild and member.
func (h *harness) tickets(guild, member string, ids ...int64) {
	for _, id := range ids {
		h.turn(context.Background(), budget.Ticket{ID: id, Guild: guild, Member: member})
	}
}

// wait starts Wait(ctx) and returns once the call is queued (or already granted).
func (h *harness) wait(ctx context.Context) {
	go func() {
		err := h.b.Wait(ctx)
		h.results <- result{err: err, at: h.clk.Now().Sub(t0)}
	}()
	<-h.queued
}

// stuck is how long next waits before it calls the test a failure. It is a watchdog, not a
// wait: a passing test never reaches it, since every result it asks for is already due.
const stuck = time.Minute

// next returns the next result of a call that returned.
func (h *harness) next() result {
	h.t.Helper()
	watchdog := time.NewTimer(stuck)
	defer watchdog.Stop()
	select {
	case r := <-h.results:
		return r
	case <-watchdog.C:
		h.t.Fatalf("no call returned within %v of real time, want one: a call is stuck", stuck)
		return result{}
	}
}

// spend fills the window with n Wait calls, gap apart, so that later the slots free one at a
// time (when gap > 0). The clock ends at the last admission.
func (h *harness) spend(n int, gap time.Duration) {
	h.t.Helper()
	for i := range n {
		if i > 0 {
			h.clk.Advance(gap)
		}
		h.wait(context.Background())
		if r := h.next(); r.err != nil {
			h.t.Fatalf("spend: Wait = %v, want nil", r.err)
		}
	}
}

// step moves the clock to the budget's next timer, which must exist.
func (h *harness) step() {
	h.t.Helper()
	when, ok := h.clk.Next()
	if !ok {
		h.t.Fatal("no timer pending, want one: waiters would never resume")
	}
	h.clk.AdvanceTo(when)
}

// grants frees the window slot by slot and returns the ids of the next k calls granted, one
// per step; each must succeed.
func (h *harness) grants(k int) []int64 {
	h.t.Helper()
	var ids []int64
	for _, r := range h.grantResults(k) {
		ids = append(ids, r.id)
	}
	return ids
}

// grantResults is grants returning the results, with the time of each grant.
func (h *harness) grantResults(k int) []result {
	h.t.Helper()
	var rs []result
	for range k {
		before := budget.Waiters(h.b)
		h.step()
		if got := budget.Waiters(h.b); got != before-1 {
			h.t.Fatalf("after one step %d calls wait, want %d: one slot frees at a time", got, before-1)
		}
		r := h.next()
		if r.err != nil {
			h.t.Fatalf("call %d returned %v, want nil", r.id, r.err)
		}
		rs = append(rs, r)
	}
	return rs
}

// ids returns first, first+1, ..., first+k-1.
func ids(first int64, k int) []int64 {
	out := make([]int64, k)
	for i := range out {
		out[i] = first + int64(i)
	}
	return out
}
