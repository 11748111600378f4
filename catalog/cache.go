// Package catalog caches the list of engines so that autocomplete answers at once: from a fresh
// list, from the last good one while a single background refresh runs, or after one upstream
// call shared by everyone who asked before there was any list.
package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"dreambot/dreamstudio"
)

// Source is what the cache needs of the API client; *dreamstudio.Client satisfies it. Its
// list's Engines are what the cache offers: the client has already left out entries whose id
// is not an engine id, and the cache logs them.
type Source interface {
	ListEngines(ctx context.Context) (dreamstudio.EngineList, error)
}

// Cache holds the last good engine list. Its methods are safe for concurrent use.
type Cache struct {
	src          Source
	ttl          time.Duration
	now          func() time.Time
	log          *slog.Logger
	fetchTimeout time.Duration
	retryAfter   time.Duration
	onFetch      func(error)

	mu        sync.Mutex
	engines   []dreamstudio.Engine // the last good list; valid when loaded
	loaded    bool
	fetchedAt time.Time // when engines was stored
	failedAt  time.Time // when the last fetch failed; zero after a success
	lastErr   error     // the last fetch's error; nil after a success
	inflight  *fetch    // the running upstream call, if any; there is never more than one
}

// fetch is one upstream call that any number of callers may wait for.
type fetch struct {
	done chan struct{} // closed once the cache holds the outcome
	err  error         // written before done is closed
}

// New returns a Cache over src whose list is fresh for ttl, then served stale while it is
// refreshed in the background. A ttl of zero or less makes every call start a refresh (one at a
// time), which only suits tests.
func New(src Source, ttl time.Duration, opts ...Option) *Cache {
	c := &Cache{
		src:          src,
		ttl:          ttl,
		now:          time.Now,
		log:          slog.New(slog.DiscardHandler),
		fetchTimeout: DefaultFetchTimeout,
		retryAfter:   DefaultRetryAfter,
		onFetch:      func(error) {},
	}
	for _, o := range opts {
		o(c)
	}
	c.log = c.log.With("component", "catalog")
	return c
}

// Engines returns a copy of the engine list. Once a list has been loaded it never waits and
// never fails: a stale list is returned as is and refreshed in the background. Before that,
// it waits for the one upstream call in flight and returns its error, or ctx's if ctx ends
// first; the call carries on for the other callers either way.
func (c *Cache) Engines(ctx context.Context) ([]dreamstudio.Engine, error) {
	c.mu.Lock()
	if c.loaded {
		es := slices.Clone(c.engines)
		if c.due() {
			c.start(ctx)
		}
		c.mu.Unlock()
		return es, nil
	}
	f := c.inflight
	if f == nil && c.lastErr != nil && c.now().Sub(c.failedAt) < c.coldRetry() {
		// The API is down and no list ever loaded: don't send it a request
		// (and spend a rate-limit token) for every keystroke.
		err := c.lastErr
		c.mu.Unlock()
		return nil, fmt.Errorf("list engines: %w", err)
	}
	if f == nil {
		f = c.start(ctx)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, fmt.Errorf("list engines: %w", f.err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.engines), nil
}

// coldRetry is how long callers get the last error before the first list
// is tried again: shorter than retryAfter, as nothing can be served meanwhile.
func (c *Cache) coldRetry() time.Duration { return min(c.retryAfter, 5*time.Second) }

// due reports whether a loaded list should be refreshed now: it is stale, no fetch is running,
// and the last failure, if any, is at least retryAfter old so a down API is not asked on every
// keystroke. c.mu must be held.
func (c *Cache) due() bool {
	now := c.now()
	if c.inflight != nil || now.Sub(c.fetchedAt) < c.ttl {
		return false
	}
	return c.failedAt.IsZero() || now.Sub(c.failedAt) >= c.retryAfter
}
