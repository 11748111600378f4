package budget_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"dreambot/budget"
)

// event is one thing that happens at a moment of a simulated run.
type event struct {
	at   time.Duration
	kind int // see the kinds below
	d    time.Duration
}

const (
	kindWait = iota
	kindTurn
	kindPriority
	kindCancel
	kindContext
	kindPause
	kinds
)

// TestWindowProperty drives random calls over simulated minutes and checks every admission:
// no window of length per holds more than n, none falls in a pause, and whenever a call is
// still waiting the window is full or a pause is on (the budget never holds a call for nothing).
func TestWindowProperty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n      int
		per    time.Duration
		events int
		span   time.Duration
	}{
		{1, 2 * time.Second, 200, 3 * time.Minute},
		{3, 10 * time.Second, 300, 3 * time.Minute},
		{10, 10 * time.Second, 400, 2 * time.Minute},
		{50, 10 * time.Second, 600, 5 * time.Minute},
	}
	for _, tt := range tests {
		for seed := range uint64(3) {
			t.Run("n="+strconv.Itoa(tt.n)+"/seed="+strconv.Itoa(int(seed)), func(t *testing.T) {
				t.Parallel()
				runProperty(t, tt.n, tt.per, randomEvents(seed, tt.events, tt.span))
			})
		}
	}
}

func randomEvents(seed uint64, k int, span time.Duration) []event {
	rng := rand.New(rand.NewPCG(seed, 42))
	evs := make([]event, k)
	for i := range evs {
		// Half the events fall on tenths of a second, so many share a moment (bursts); the
		// others anywhere, so some come a hair before a slot frees.
		at := time.Duration(rng.Int64N(int64(span/time.Millisecond))) * time.Millisecond
		if rng.IntN(2) == 0 {
			at = at.Truncate(100 * time.Millisecond)
		}
		evs[i] = event{
			at:   at,
			kind: rng.IntN(kinds),
			d:    time.Duration(rng.Int64N(int64(15 * time.Second))),
		}
		if evs[i].kind == kindCancel || evs[i].kind == kindPause {
			// Rarer than calls, so the queue both grows and drains.
			if rng.IntN(3) > 0 {
				evs[i].kind = kindTurn
			}
		}
	}
	slices.SortStableFunc(evs, func(a, b event) int { return int(a.at - b.at) })
	return evs
}

// pause is one Pause call: no admission after the first `after` ones may come before end.
type pause struct {
	after int
	end   time.Duration
}

// prop is the state of one property run.
type prop struct {
	*harness
	n                  int
	per                time.Duration
	launched, resolved int
	waiting            []int64 // ticket ids launched and not returned
	cancels            map[int64]context.CancelFunc
	stopped            map[int64]error // tickets told to stop, and the error they must return
	admissions         []time.Duration
	pauses             []pause
	pausedUntil        time.Duration
}

func runProperty(t *testing.T, n int, per time.Duration, evs []event) {
	p := &prop{harness: newHarness(t, n, per), n: n, per: per,
		cancels: map[int64]context.CancelFunc{}, stopped: map[int64]error{}}
	rng := rand.New(rand.NewPCG(uint64(len(evs)), 7))
	next := 0
	for {
		target, ok := time.Duration(0), false
		if next < len(evs) {
			target, ok = evs[next].at, true
		}
		if when, pending := p.clk.Next(); pending && (!ok || when.Sub(t0) < target) {
			target, ok = when.Sub(t0), true
		}
		if !ok {
			break
		}
		p.clk.AdvanceTo(t0.Add(target))
		p.settle()
		for ; next < len(evs) && evs[next].at == target; next++ {
			p.apply(evs[next], int64(next+1), rng)
		}
		p.settle()
		p.checkHeld()
	}
	if got := budget.Waiters(p.b); got != 0 || p.resolved != p.launched {
		t.Fatalf("no timer left, %d calls wait and %d of %d returned: waiters were stranded", got, p.resolved, p.launched)
	}
	for i := p.n; i < len(p.admissions); i++ {
		if a, b := p.admissions[i-p.n], p.admissions[i]; b-a < p.per {
			t.Fatalf("admissions at t0+%v and t0+%v are %d apart in the log but within %v", a, b, p.n, p.per)
		}
	}
	for _, ps := range p.pauses {
		for _, a := range p.admissions[ps.after:] {
			if a < ps.end {
				t.Fatalf("admission at t0+%v before the end of a pause at t0+%v", a, ps.end)
			}
		}
	}
	t.Logf("%d calls, %d admitted, last at t0+%v", p.launched, len(p.admissions), p.admissions[len(p.admissions)-1])
}

// apply makes event e happen now; id is unique to it.
func (p *prop) apply(e event, id int64, rng *rand.Rand) {
	now := p.clk.Now().Sub(t0)
	switch e.kind {
	case kindWait:
		p.launched++
		p.wait(context.Background())
	case kindTurn, kindPriority, kindContext:
		ctx, cancel := context.WithCancel(context.Background())
		p.t.Cleanup(cancel)
		p.cancels[id] = cancel
		p.launched++
		p.waiting = append(p.waiting, id)
		g := strconv.Itoa(rng.IntN(3))
		p.turn(ctx, budget.Ticket{ID: id, Guild: g, Member: strconv.Itoa(rng.IntN(4)), Priority: e.kind == kindPriority})
	case kindCancel:
		p.settle()
		if len(p.waiting) == 0 {
			return
		}
		victim := p.waiting[rng.IntN(len(p.waiting))]
		if !p.b.Cancel(victim) {
			p.t.Fatalf("Cancel(%d) of a waiting ticket = false", victim)
		}
		p.stopped[victim] = budget.ErrCancelled
		p.collect(victim)
	case kindPause:
		p.settle() // calls admitted at this moment came before the pause
		p.b.Pause(e.d)
		p.pauses = append(p.pauses, pause{after: len(p.admissions), end: now + e.d})
		p.pausedUntil = max(p.pausedUntil, now+e.d)
	}
	if e.kind == kindContext {
		// This event ends the context of some waiting ticket (perhaps the one just queued).
		p.settle()
		if len(p.waiting) == 0 {
			return
		}
		victim := p.waiting[rng.IntN(len(p.waiting))]
		p.stopped[victim] = context.Canceled
		p.cancels[victim]()
		p.collect(victim)
	}
}

// settle collects the results of every call that has returned, until all the others are
// known to wait; the clock does not move meanwhile, so each result carries its admission time.
func (p *prop) settle() {
	for p.resolved < p.launched-budget.Waiters(p.b) {
		p.record(p.next())
	}
}

// collect waits for the result of ticket id, which was told to stop and must return.
func (p *prop) collect(id int64) {
	for {
		r := p.next()
		p.record(r)
		if r.id == id {
			return
		}
	}
}

func (p *prop) record(r result) {
	p.t.Helper()
	p.resolved++
	if r.id > 0 {
		i := slices.Index(p.waiting, r.id)
		if i < 0 {
			p.t.Fatalf("ticket %d returned twice", r.id)
		}
		p.waiting = slices.Delete(p.waiting, i, i+1)
	}
	want, stopped := p.stopped[r.id]
	switch {
	case stopped && !errors.Is(r.err, want):
		p.t.Fatalf("ticket %d returned %v, want %v", r.id, r.err, want)
	case !stopped && r.err != nil:
		p.t.Fatalf("call %d returned %v, want nil", r.id, r.err)
	case r.err == nil:
		p.admissions = append(p.admissions, r.at)
	}
}

// checkHeld fails the test if a call waits while the window has room and no pause is on.
func (p *prop) checkHeld() {
	p.t.Helper()
	if budget.Waiters(p.b) == 0 {
		return
	}
	now := p.clk.Now().Sub(t0)
	if now < p.pausedUntil {
		return
	}
	inWindow := 0
	for _, a := range p.admissions {
		if a > now-p.per {
			inWindow++
		}
	}
	if inWindow < p.n {
		p.t.Fatalf("at t0+%v %d calls wait, but the window holds %d < %d and no pause is on",
			now, budget.Waiters(p.b), inWindow, p.n)
	}
}
