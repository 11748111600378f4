package budget

import "time"

// wakeup is the one clock timer a Budget keeps armed while someone waits. It is guarded by
// Budget.mu, like the queues it serves.
type wakeup struct {
	at   time.Time // when the armed timer fires; zero when none is armed
	gen  uint64    // tells the armed timer's callback from one stopped too late
	stop func() bool
}

// wakeAt makes sure the grant loop runs again at t (or earlier). A timer already armed for t or
// before is kept: when it fires the loop arms the next one. b.mu must be held and t must be
// after now.
func (b *Budget) wakeAt(now, t time.Time) {
	if !b.timer.at.IsZero() && !b.timer.at.After(t) {
		return
	}
	if b.timer.stop != nil {
		b.timer.stop()
	}
	b.timer.gen++
	gen := b.timer.gen
	b.timer.at = t
	b.timer.stop = b.clock.AfterFunc(t.Sub(now), func() { b.wake(gen) })
}

// wake is the timer's callback: it forgets the timer, unless a newer one replaced it, and
// grants what the window and the pause now allow.
func (b *Budget) wake(gen uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen == b.timer.gen {
		b.timer = wakeup{gen: gen}
	}
	b.grant()
}
