package catalog

import (
	"log/slog"
	"time"
)

const (
	// DefaultFetchTimeout bounds one upstream call when no WithFetchTimeout is given.
	DefaultFetchTimeout = 15 * time.Second
	// DefaultRetryAfter is how long a failed refresh waits before the next, when no
	// WithRetryAfter is given.
	DefaultRetryAfter = 30 * time.Second
)

// Option changes how New builds a Cache.
type Option func(*Cache)

// WithClock makes the cache read the time from now instead of time.Now; for tests.
func WithClock(now func() time.Time) Option {
	return func(c *Cache) { c.now = now }
}

// WithLogger makes the cache log failed fetches to l.
func WithLogger(l *slog.Logger) Option {
	return func(c *Cache) { c.log = l }
}

// WithFetchTimeout bounds every upstream call to d.
func WithFetchTimeout(d time.Duration) Option {
	return func(c *Cache) { c.fetchTimeout = d }
}

// WithRetryAfter makes a stale list wait d after a failed refresh before trying again.
func WithRetryAfter(d time.Duration) Option {
	return func(c *Cache) { c.retryAfter = d }
}

// WithFetchHook calls f with the outcome of every upstream call, once the cache holds it;
// for metrics, and for tests that must know when a background refresh is over. f runs on the
// fetching goroutine and should return quickly.
func WithFetchHook(f func(err error)) Option {
	return func(c *Cache) { c.onFetch = f }
}
