// Package ratelimit keeps token-bucket limiters per key (a member, a server) without letting idle
// ones pile up, and takes from several limiters at once.
//
// Time always comes from the caller, so tests drive it with fake times and nothing here starts a
// goroutine or reads the clock.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// sweepEvery is how often, in the callers' time, Reserve looks for limiters to drop.
const sweepEvery = time.Minute

// Limits overrides a Keyed's defaults for one key. A zero field means "use the default", so a
// server whose settings are unset passes Limits{} and gets the defaults back.
type Limits struct {
	Limit rate.Limit
	Burst int
}

// Keyed holds one *rate.Limiter per key. It is safe for concurrent use; its zero value is not
// usable, call NewKeyed.
type Keyed struct {
	def Limits

	mu sync.Mutex
	// limiters only holds keys whose bucket was not full at the last sweep; a missing key is
	// the same as a full bucket, so dropping one loses nothing.
	limiters map[string]*rate.Limiter
	swept    time.Time // when the last sweep ran, in the callers' time
}

// NewKeyed returns a Keyed whose limiters allow limit events per second with bursts of burst,
// unless Reserve is given other limits for a key.
func NewKeyed(limit rate.Limit, burst int) *Keyed {
	return &Keyed{
		def:      Limits{Limit: limit, Burst: burst},
		limiters: make(map[string]*rate.Limiter),
	}
}

// Reserve takes one token from key's limiter at now, using the default limits. The caller
// decides with the reservation's OK and DelayFrom(now), and gives the token back with
// CancelAt(now) (or through Take).
func (k *Keyed) Reserve(key string, now time.Time) *rate.Reservation {
	return k.ReserveLimits(key, now, Limits{})
}

// ReserveLimits is Reserve with limits for this key: its non-zero fields replace the defaults.
// An existing limiter adopts changed limits at now, so per-server settings take effect on the
// next request without losing the tokens already spent.
func (k *Keyed) ReserveLimits(key string, now time.Time, l Limits) *rate.Reservation {
	return k.ReserveLimitsN(key, now, l, 1)
}

// ReserveLimitsN is ReserveLimits for n tokens at once (several images in one request).
func (k *Keyed) ReserveLimitsN(key string, now time.Time, l Limits, n int) *rate.Reservation {
	if l.Limit == 0 {
		l.Limit = k.def.Limit
	}
	if l.Burst == 0 {
		l.Burst = k.def.Burst
	}

	k.mu.Lock()
	defer k.mu.Unlock()
	k.maybeSweep(now)
	lim, ok := k.limiters[key]
	if !ok {
		lim = rate.NewLimiter(l.Limit, l.Burst)
		k.limiters[key] = lim
	} else {
		if lim.Limit() != l.Limit {
			lim.SetLimitAt(now, l.Limit)
		}
		if lim.Burst() != l.Burst {
			lim.SetBurstAt(now, l.Burst)
		}
	}
	return lim.ReserveN(now, n)
}

// Len returns how many limiters are held, for tests and metrics.
func (k *Keyed) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.limiters)
}

// maybeSweep drops every limiter whose bucket is full at now, at most once per sweepEvery, so
// the O(n) cost is spread over all the Reserve calls of that minute. k.mu must be held.
func (k *Keyed) maybeSweep(now time.Time) {
	if now.Sub(k.swept) < sweepEvery {
		return
	}
	k.swept = now
	for key, lim := range k.limiters {
		if idle(lim, now) {
			delete(k.limiters, key)
		}
	}
}

// idle reports whether lim is in the same state as a new limiter would be. An unlimited limiter
// never holds anything worth keeping.
func idle(lim *rate.Limiter, now time.Time) bool {
	return lim.Limit() == rate.Inf || lim.TokensAt(now) >= float64(lim.Burst())
}
