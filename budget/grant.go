package budget

import (
	"context"
	"slices"
	"time"
)

// waiter is one blocked Wait or Turn call.
type waiter struct {
	t    Ticket
	meta bool // a Wait call: it has no ticket
	// done receives the outcome exactly once, always under Budget.mu, and is buffered so the
	// sender never blocks: nil for a turn granted at time at, or ErrCancelled or ErrClosed.
	done chan error
	at   time.Time
}

// await blocks until w has its outcome or ctx ends. A turn granted to a caller whose ctx has
// ended, whichever was seen first, goes back to the window: the caller could not use it, and
// a caller that sees an error has never spent anything.
func (b *Budget) await(ctx context.Context, w *waiter) error {
	select {
	case err := <-w.done:
		if err != nil || ctx.Err() == nil {
			return err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.giveBack(w)
		return ctx.Err()
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case err := <-w.done:
		if err != nil {
			return err
		}
		b.giveBack(w)
	default:
		b.remove(w)
	}
	return ctx.Err()
}

// giveBack returns the request granted to w, which was never used, and hands it on. b.mu must
// be held.
func (b *Budget) giveBack(w *waiter) {
	b.win.refund(w.at)
	b.grant()
}

// grant hands the window's free room to waiters in order: Wait calls, priority tickets, then
// fair turns. When someone is left waiting it arms the timer for the moment things can move
// again, so nothing polls. b.mu must be held.
func (b *Budget) grant() {
	now := b.clock.Now()
	for len(b.metas)+len(b.prio)+b.fair.n > 0 {
		if now.Before(b.pausedUntil) {
			b.wakeAt(now, b.pausedUntil)
			return
		}
		if !b.win.room(now) {
			b.wakeAt(now, b.win.free())
			return
		}
		w := b.next()
		b.win.admit(now)
		w.at = now
		w.done <- nil
	}
}

// admitNow takes a request for a caller who would be served at once, the common case, sparing
// it the queues: nobody waits, no pause is on and the window has room. b.mu must be held.
func (b *Budget) admitNow() bool {
	now := b.clock.Now()
	if len(b.metas)+len(b.prio)+b.fair.n > 0 || now.Before(b.pausedUntil) || !b.win.room(now) {
		return false
	}
	b.win.admit(now)
	return true
}

// next takes the waiter whose turn it is out of the queues. b.mu must be held and someone
// must be waiting.
func (b *Budget) next() *waiter {
	var w *waiter
	switch {
	case len(b.metas) > 0:
		w, b.metas = popFront(b.metas)
	case len(b.prio) > 0:
		w, b.prio = popFront(b.prio)
	default:
		w = b.fair.pop()
	}
	if !w.meta {
		delete(b.byID, w.t.ID)
	}
	return w
}

// remove takes w out of whichever queue holds it. b.mu must be held.
func (b *Budget) remove(w *waiter) {
	switch {
	case w.meta:
		b.metas = slices.DeleteFunc(b.metas, func(x *waiter) bool { return x == w })
		return
	case w.t.Priority:
		b.prio = slices.DeleteFunc(b.prio, func(x *waiter) bool { return x == w })
	default:
		b.fair.remove(w)
	}
	delete(b.byID, w.t.ID)
}

// Cancel makes the waiting Turn of ticket id return ErrCancelled, and reports whether such a
// waiter existed. A ticket that already got its turn is not affected.
func (b *Budget) Cancel(id int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.byID[id]
	if !ok {
		return false
	}
	b.remove(w)
	w.done <- ErrCancelled
	return true
}

// Pause holds every Wait and Turn until now+d. It extends a pause in force, never shortens
// it: two 429s in a row must not let the second one's shorter lockout win.
func (b *Budget) Pause(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := b.clock.Now().Add(d); until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	b.grant()
}

// popFront returns q's first element and the rest of q, clearing the slot it leaves so the
// waiter can be collected.
func popFront(q []*waiter) (*waiter, []*waiter) {
	w := q[0]
	q[0] = nil
	return w, q[1:]
}
