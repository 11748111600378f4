package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"dreambot/dreamstudio"
)

// start begins the upstream call and records it as in flight. Its context keeps ctx's values
// but not its cancellation, since the caller that happened to start it may give up long before
// the others waiting; fetchTimeout bounds it instead. c.mu must be held.
func (c *Cache) start(ctx context.Context) *fetch {
	f := &fetch{done: make(chan struct{})}
	c.inflight = f
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.fetchTimeout)
	go func() {
		defer cancel()
		l, err := c.call(fctx)
		if len(l.Refused) > 0 {
			c.log.Warn("the engine list has entries that are not engine ids; they are not offered",
				"count", len(l.Refused), "first", clip(l.Refused[0]))
		}
		c.finish(f, l.Engines, err)
	}()
	return f
}

// call asks the source, turning a panic into an error: nobody up the stack of this goroutine
// could recover it, and the in-flight fetch must end for the waiters to be released.
func (c *Cache) call(ctx context.Context) (l dreamstudio.EngineList, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine source panicked: %v", r)
		}
	}()
	return c.src.ListEngines(ctx)
}

// finish stores the outcome of f, releases its waiters and reports it.
func (c *Cache) finish(f *fetch, es []dreamstudio.Engine, err error) {
	c.mu.Lock()
	if err == nil {
		c.engines = slices.Clone(es)
		c.loaded = true
		c.fetchedAt = c.now()
		c.failedAt = time.Time{}
		c.lastErr = nil
	} else {
		c.failedAt = c.now()
		c.lastErr = err
	}
	c.inflight = nil
	stale := c.loaded && err != nil
	f.err = err
	c.mu.Unlock()
	close(f.done)

	switch {
	case err == nil:
		c.log.Debug("engine list refreshed", "engines", len(es))
	case stale:
		c.log.Warn("engine list refresh failed; keeping the last good list", "err", err)
	default:
		c.log.Warn("engine list load failed", "err", err)
	}
	c.onFetch(err)
}

// clip bounds an id from the API before it goes into a log line.
func clip(id string) string {
	const most = 80
	if len(id) <= most {
		return id
	}
	return strings.ToValidUTF8(id[:most], "") + "…"
}
