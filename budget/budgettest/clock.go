// Package budgettest provides a fake clock for tests of code that uses a budget.Budget, so they
// move time by hand instead of sleeping.
package budgettest

import (
	"slices"
	"sync"
	"time"

	"dreambot/budget"
)

var _ budget.Clock = (*Clock)(nil)

// Clock is a budget.Clock whose time moves only when the test says so. Timers fire from
// Advance and AdvanceTo, in the calling goroutine, in the order of their deadlines (ties in the
// order they were set). It is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer // pending, in the order they were set
}

// spin is how many timers may fire at one instant before AdvanceTo calls it a loop: code that
// re-arms a timer for "now" whenever it fires would otherwise hang the test instead of failing it.
const spin = 1 << 16

// timer is one pending AfterFunc.
type timer struct {
	when time.Time
	f    func()
}

// NewClock returns a clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc sets f to run when the clock reaches now+d. A timer due at once (d <= 0) runs at the
// next Advance, which may be Advance(0), never inside AfterFunc itself: its caller may hold a
// lock that f takes.
func (c *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{when: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		i := slices.Index(c.timers, t)
		if i < 0 {
			return false
		}
		c.timers = slices.Delete(c.timers, i, i+1)
		return true
	}
}

// Advance moves the clock d forward, firing the timers that fall due on the way.
func (c *Clock) Advance(d time.Duration) {
	c.AdvanceTo(c.Now().Add(d))
}

// AdvanceTo moves the clock to t (never backwards), firing the timers due by then one at a time:
// the clock reads each timer's deadline while its function runs, and timers set by those
// functions fire too if they fall due by t.
//
// It panics if more than 65536 timers fire at one instant, which only a timer that re-arms
// itself for "now" does.
func (c *Clock) AdvanceTo(t time.Time) {
	same := 0
	for {
		c.mu.Lock()
		i := c.first()
		if i < 0 || c.timers[i].when.After(t) {
			if t.After(c.now) {
				c.now = t
			}
			c.mu.Unlock()
			return
		}
		next := c.timers[i]
		c.timers = slices.Delete(c.timers, i, i+1)
		if next.when.After(c.now) {
			c.now = next.when
			same = 0
		}
		same++
		c.mu.Unlock()
		if same > spin {
			panic("budgettest: timers keep firing at " + next.when.String() + ": one re-arms itself for now")
		}
		next.f()
	}
}

// Next returns the deadline of the earliest pending timer; ok is false if none is pending.
func (c *Clock) Next() (when time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := c.first()
	if i < 0 {
		return time.Time{}, false
	}
	return c.timers[i].when, true
}

// first returns the index of the earliest pending timer, or -1. c.mu must be held.
func (c *Clock) first() int {
	best := -1
	for i, t := range c.timers {
		if best < 0 || t.when.Before(c.timers[best].when) {
			best = i
		}
	}
	return best
}
