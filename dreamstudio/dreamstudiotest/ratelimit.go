package dreamstudiotest

import (
	"fmt"
	"net/http"
	"time"
)

// window is a sliding-window rate limit with a lockout, as the real API applies per key. The fake
// accepts a single key, so one window is the per-key state.
type window struct {
	limit   int
	span    time.Duration
	lockout time.Duration

	accepted    []time.Time // accepted requests within the last span, oldest first
	lockedUntil time.Time
}

// allow records a request at now and reports whether it is within the limit.
func (w *window) allow(now time.Time) bool {
	if w.limit <= 0 {
		return true
	}
	if now.Before(w.lockedUntil) {
		return false
	}
	cutoff := now.Add(-w.span)
	i := 0
	for i < len(w.accepted) && !w.accepted[i].After(cutoff) {
		i++
	}
	w.accepted = w.accepted[i:]
	if len(w.accepted) >= w.limit {
		w.lockedUntil = now.Add(w.lockout)
		w.accepted = nil
		return false
	}
	w.accepted = append(w.accepted, now)
	return true
}

// rateLimit answers 429 when the key is over the limit or locked out. The real API's 429 is not
// in the description and no source documents a Retry-After header, so none is sent (add one with
// a Fault to test a client's handling of it).
func (s *Server) rateLimit() *response {
	now := s.now()
	s.mu.Lock()
	ok := s.limiter.allow(now)
	s.mu.Unlock()
	if ok {
		return nil
	}
	return s.fail(http.StatusTooManyRequests, "rate_limit_exceeded",
		fmt.Sprintf("You have exceeded the rate limit of %d requests every %v; please wait %v before trying again.",
			s.cfg.limit, s.cfg.window, s.cfg.lockout))
}
