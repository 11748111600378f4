package discordtest

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Fault is an answer that FailNext makes the server give instead of serving a request.
// Faults are what Discord does to a well-behaved bot, so they never fail the test.
type Fault struct {
	// Status is the HTTP status: 429, 413 or a 5xx.
	Status int
	// RetryAfter is the wait a 429 asks for.
	RetryAfter time.Duration
	// Global makes a 429 a global rate limit (X-RateLimit-Global: true, scope "global").
	Global bool
}

// RateLimited is a 429 for the route's bucket that asks the bot to retry after d.
func RateLimited(d time.Duration) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: d}
}

// GloballyRateLimited is a 429 for all of the bot's requests that asks it to retry after d.
func GloballyRateLimited(d time.Duration) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: d, Global: true}
}

// ServerError is a 5xx answer such as 500 or 502 (discordgo retries 502 by itself).
func ServerError(status int) Fault { return Fault{Status: status} }

// TooLarge refuses the request as Discord refuses an upload over the size limit.
func TooLarge() Fault { return Fault{Status: http.StatusRequestEntityTooLarge} }

// fault is a Fault waiting for requests of a route.
type fault struct {
	route string
	left  int
	Fault
}

// FailNext answers the next n requests of route (see the Route constants, such as
// RouteEditOriginal) with f instead of serving them.
func (s *Server) FailNext(route string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{route: route, left: n, Fault: f})
}

// takeFault answers c with a pending fault of its route, if any.
func (s *Server) takeFault(c *call) bool {
	s.mu.Lock()
	var f *fault
	for _, cand := range s.faults {
		if cand.route == c.route && cand.left > 0 {
			cand.left--
			f = cand
			break
		}
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	_, _ = io.Copy(io.Discard, c.r.Body)
	switch {
	case f.Status == http.StatusTooManyRequests:
		s.writeRateLimit(c, f.Fault)
	case f.Status == http.StatusRequestEntityTooLarge:
		writeJSON(c.w, f.Status, apiError{Message: "Request entity too large", Code: 40005})
	default:
		writeJSON(c.w, f.Status, apiError{Message: fmt.Sprintf("%d: %s", f.Status, http.StatusText(f.Status)), Code: 0})
	}
	return true
}

// writeRateLimit answers 429 with Discord's headers and body.
func (s *Server) writeRateLimit(c *call, f Fault) {
	secs := f.RetryAfter.Seconds()
	h := c.w.Header()
	scope := "user"
	if f.Global {
		scope = "global"
		h.Set("X-RateLimit-Global", "true")
	}
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	reset := float64(time.Now().Add(f.RetryAfter).UnixMilli()) / 1000
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", bucketHash(c.route))
	h.Set("X-RateLimit-Scope", scope)
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	writeJSON(c.w, http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": secs, "global": f.Global, "code": 0,
	})
}

// bucketHash makes a stable bucket id for a route, like Discord's opaque hashes.
func bucketHash(route string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(route); i++ {
		h ^= uint64(route[i])
		h *= 1099511628211
	}
	return strconv.FormatUint(h, 16)
}
