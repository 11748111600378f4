// Package budget shares the API key's request budget: at most N requests in any window of a given
// length, handed out first to short metadata calls, then to waiting jobs in fair turns (servers
// take turns, members within a server take turns, each member's jobs in order), and held back
// entirely during a pause after the API said 429.
package budget

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrCancelled is what a waiting Turn returns after Cancel was called for its ticket.
var ErrCancelled = errors.New("budget: cancelled")

// ErrClosed is what Turn returns once Close was called.
var ErrClosed = errors.New("budget: closed")

// Budget hands out one API key's requests. It is safe for concurrent use; its zero value is not
// usable, call New.
type Budget struct {
	clock  Clock
	queued func() // test hook, see export_test.go; nil in production

	mu          sync.Mutex
	win         window
	pausedUntil time.Time
	closed      bool
	metas       []*waiter         // Wait callers, served first, in arrival order
	prio        []*waiter         // priority tickets, served next, in arrival order
	fair        *fair             // every other ticket
	byID        map[int64]*waiter // every waiting ticket, priority or not
	timer       wakeup
}

// Option changes how New builds a Budget.
type Option func(*Budget)

// WithClock makes the budget read time and set timers through c (tests pass a fake clock).
func WithClock(c Clock) Option {
	return func(b *Budget) { b.clock = c }
}

// New returns a budget of n requests in any window of length per (n >= 1, per > 0). It panics
// on other values, which are a configuration bug that config's Validate should have caught.
func New(n int, per time.Duration, opts ...Option) *Budget {
	if n < 1 || per <= 0 {
		panic(fmt.Sprintf("budget: New(%d, %v): need n >= 1 and per > 0", n, per))
	}
	b := &Budget{
		clock: realClock{},
		win:   window{n: n, per: per},
		fair:  newFair(),
		byID:  make(map[int64]*waiter),
	}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Wait takes one request from the window ahead of every waiting job (for short calls: the engine
// list, the balance), blocking until the window has room and no pause is on, or ctx is done
// (it then returns ctx.Err() and takes nothing). After Close it still works, because the shell
// and the shutdown path may need metadata; it only honours the window and the pause.
func (b *Budget) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	if b.admitNow() {
		b.mu.Unlock()
		b.joined()
		return nil
	}
	w := &waiter{meta: true, done: make(chan error, 1)}
	b.metas = append(b.metas, w)
	b.grant()
	b.mu.Unlock()
	b.joined()
	return b.await(ctx, w)
}

// Ticket is a job waiting for its turn.
type Ticket struct {
	ID     int64  // the job's id, unique among waiters
	Guild  string // "" for a DM or the shell: all such tickets share one "guild" for fairness
	Member string
	// Priority puts the ticket ahead of every non-priority ticket (FIFO among priority tickets).
	// A job interrupted by a 429 waits again with Priority so it keeps its place.
	Priority bool
}

// Turn waits until it is t's fair turn and the window has room and no pause is on, then takes
// one request from the window and returns nil. It returns ErrCancelled if Cancel(t.ID) was
// called while it waited, ErrClosed if Close was called (or had been), ctx.Err() if ctx ended.
// In every error case nothing was taken from the window and the ticket is no longer waiting.
//
// A ticket whose ID is already waiting is refused with an error at once: two waiters under one
// ID would make Cancel and Status ambiguous.
func (b *Budget) Turn(ctx context.Context, t Ticket) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrClosed
	}
	if b.admitNow() {
		b.mu.Unlock()
		b.joined()
		return nil
	}
	if _, dup := b.byID[t.ID]; dup {
		b.mu.Unlock()
		return fmt.Errorf("budget: ticket %d is already waiting", t.ID)
	}
	w := &waiter{t: t, done: make(chan error, 1)}
	b.byID[t.ID] = w
	if t.Priority {
		b.prio = append(b.prio, w)
	} else {
		b.fair.push(w)
	}
	b.grant()
	b.mu.Unlock()
	b.joined()
	return b.await(ctx, w)
}

// Close makes every waiting and future Turn return ErrClosed. At shutdown the jobs that did not
// start stay queued in the database and wait again at the next start. Wait keeps working.
func (b *Budget) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, w := range b.byID {
		w.done <- ErrClosed
	}
	clear(b.byID)
	b.prio = nil
	b.fair = newFair()
}

// joined runs the test hook, outside b.mu so that it may block.
func (b *Budget) joined() {
	if b.queued != nil {
		b.queued()
	}
}
