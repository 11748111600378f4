package budget

// WithQueued calls f each time a Wait or Turn call has joined the queue (and perhaps already
// been granted), outside the lock, so tests learn that a goroutine is waiting without sleeping.
func WithQueued(f func()) Option {
	return func(b *Budget) { b.queued = f }
}

// Waiters returns how many Wait and Turn calls are waiting.
func Waiters(b *Budget) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.metas) + len(b.prio) + b.fair.n
}
