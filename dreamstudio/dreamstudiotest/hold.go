package dreamstudiotest

import (
	"context"
	"sync"
	"time"
)

// Hold makes every generation that arrives from now on wait, after its request has been checked,
// until release is called, the client gives up, or the test ends. Use WaitHeld to know that
// generations have reached the hold. release may be called more than once.
func (s *Server) Hold() (release func()) {
	gate := make(chan struct{})
	s.mu.Lock()
	s.gate = gate
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.gate == gate {
				s.gate = nil
			}
			s.mu.Unlock()
			close(gate)
		})
	}
}

// Held returns how many generations are waiting at a hold right now.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// WaitHeld blocks until exactly n generations are waiting at a hold, or ctx is done. With n = 0 it
// waits for held generations to be released or abandoned by their clients.
func (s *Server) WaitHeld(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		held, changed := s.held, s.heldChanged
		s.mu.Unlock()
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

// delay applies the hold and the configured latency to a generation. It reports false when the
// generation should not be answered because the client or the test went away first.
func (s *Server) delay(ctx context.Context) bool {
	s.mu.Lock()
	gate := s.gate
	if gate != nil {
		s.addHeldLocked(1)
	}
	s.mu.Unlock()
	if gate != nil {
		defer func() {
			s.mu.Lock()
			s.addHeldLocked(-1)
			s.mu.Unlock()
		}()
		select {
		case <-gate:
		case <-ctx.Done():
			return false
		case <-s.closing:
			return false
		}
	}
	if s.cfg.latency > 0 {
		t := time.NewTimer(s.cfg.latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return false
		case <-s.closing:
			return false
		}
	}
	return true
}

// addHeldLocked changes the held count and wakes WaitHeld callers; s.mu must be held.
func (s *Server) addHeldLocked(delta int) {
	s.held += delta
	close(s.heldChanged)
	s.heldChanged = make(chan struct{})
}
