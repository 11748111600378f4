package discordtest

import (
	"context"
	"sync"
)

// routeHolds blocks requests of chosen routes, so a test can act (kill the bot, say) while a
// request is on its way.
type routeHolds struct {
	mu      sync.Mutex
	gates   map[string]*gate // by route
	held    int
	changed notifier
}

// gate is one hold: open is closed when it ends; drop says whether the requests it held are then
// served or dropped unanswered.
type gate struct {
	open chan struct{}
	drop bool
}

// HoldRoute makes every request of route (see the Route constants) that arrives from now on wait,
// before it is served, until release or drop is called, the client gives up, or the test ends.
// release serves the held requests; drop abandons them without an answer, as for a client that
// was killed (whose request the server may not notice is gone). Later requests are served as
// usual. Use WaitRouteHeld to know that requests have reached the hold. Only the first call of
// release or drop counts.
func (s *Server) HoldRoute(route string) (release, drop func()) {
	h := &s.holds
	g := &gate{open: make(chan struct{})}
	h.mu.Lock()
	if h.gates == nil {
		h.gates = map[string]*gate{}
	}
	h.gates[route] = g
	h.mu.Unlock()
	var once sync.Once
	end := func(dropped bool) {
		once.Do(func() {
			h.mu.Lock()
			if h.gates[route] == g {
				delete(h.gates, route)
			}
			g.drop = dropped
			h.mu.Unlock()
			close(g.open)
		})
	}
	s.tb.Cleanup(func() { end(true) })
	return func() { end(false) }, func() { end(true) }
}

// WaitRouteHeld blocks until exactly n requests wait at holds, or ctx is done.
func (s *Server) WaitRouteHeld(ctx context.Context, n int) error {
	h := &s.holds
	for {
		changed := h.changed.wait()
		h.mu.Lock()
		held := h.held
		h.mu.Unlock()
		if held == n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// hold waits at c's route's hold, if any. It reports false when the client went away first: the
// request is then not served.
func (s *Server) hold(c *call) bool {
	h := &s.holds
	h.mu.Lock()
	g := h.gates[c.route]
	if g != nil {
		h.held++
	}
	h.mu.Unlock()
	if g == nil {
		return true
	}
	h.changed.broadcast()
	defer func() {
		h.mu.Lock()
		h.held--
		h.mu.Unlock()
		h.changed.broadcast()
	}()
	select {
	case <-g.open:
		h.mu.Lock()
		defer h.mu.Unlock()
		return !g.drop
	case <-c.r.Context().Done():
		return false
	}
}
