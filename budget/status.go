package budget

import (
	"slices"
	"time"
)

// Status tells a waiting ticket where it stands.
type Status struct {
	// Position is 1 for the next ticket to get a turn, in the order turns will be granted if
	// nobody else arrives.
	Position int
	// Start is how long until that turn, from now, given the window's log, the Wait calls and
	// tickets ahead, and any pause; 0 if it could start now.
	Start time.Duration
	// PausedUntil is when the pause in force ends; zero when no pause is on.
	PausedUntil time.Time
}

// Status tells where ticket id stands; ok is false if id is not waiting.
func (b *Budget) Status(id int64) (st Status, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.byID[id]
	if !ok {
		return Status{}, false
	}
	st.Position = slices.Index(b.order(), w) + 1
	now := b.clock.Now()
	if now.Before(b.pausedUntil) {
		st.PausedUntil = b.pausedUntil.Round(0) // a time to show, without the monotonic reading
	}
	// Every Wait call goes first, and each one ahead takes a slot of its own.
	at := b.win.slot(now, b.pausedUntil, len(b.metas)+st.Position)
	st.Start = max(at.Sub(now), 0)
	return st, true
}

// Waiting returns the tickets waiting for guild, in the order their turns will come.
func (b *Budget) Waiting(guild string) []Ticket {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Ticket
	for _, w := range b.order() {
		if w.t.Guild == guild {
			out = append(out, w.t)
		}
	}
	return out
}

// Len returns how many tickets are waiting in all (Wait calls are not tickets).
func (b *Budget) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.prio) + b.fair.n
}

// order returns every waiting ticket in the order turns will be granted if nobody else comes.
// b.mu must be held.
func (b *Budget) order() []*waiter {
	return append(slices.Clone(b.prio), b.fair.order()...)
}
