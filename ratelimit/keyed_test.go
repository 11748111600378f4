package ratelimit_test

import (
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"dreambot/ratelimit"
)

// t0 is an arbitrary fake "now"; nothing in these tests reads the real clock.
var t0 = time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)

// step is one Reserve call and the delay it must report.
type step struct {
	key    string
	at     time.Duration // after t0
	limits ratelimit.Limits
	delay  time.Duration
	ok     bool
}

func TestKeyedReserve(t *testing.T) {
	t.Parallel()
	every20s := rate.Every(20 * time.Second)
	burst5 := ratelimit.Limits{Burst: 5}
	tests := []struct {
		name  string
		steps []step
	}{
		{"burst of two then twenty seconds", []step{
			{key: "a", delay: 0, ok: true},
			{key: "a", delay: 0, ok: true},
			{key: "a", delay: 20 * time.Second, ok: true},
		}},
		{"refill after twenty seconds", []step{
			{key: "a", ok: true},
			{key: "a", ok: true},
			{key: "a", at: 20 * time.Second, ok: true},
			{key: "a", at: 20 * time.Second, delay: 20 * time.Second, ok: true},
		}},
		{"keys are isolated", []step{
			{key: "a", ok: true},
			{key: "a", ok: true},
			{key: "b", ok: true},
			{key: "b", ok: true},
			{key: "a", delay: 20 * time.Second, ok: true},
		}},
		{"override applies to a new key", []step{
			{key: "g", limits: ratelimit.Limits{Burst: 1}, ok: true},
			{key: "g", limits: ratelimit.Limits{Burst: 1}, delay: 20 * time.Second, ok: true},
		}},
		{"existing limiter adopts a new burst", []step{
			{key: "g", ok: true},
			{key: "g", ok: true},
			{key: "g", limits: burst5, delay: 20 * time.Second, ok: true},
			// Ten minutes refill far more than five tokens; the bucket now holds five.
			{key: "g", at: 10 * time.Minute, limits: burst5, ok: true},
			{key: "g", at: 10 * time.Minute, limits: burst5, ok: true},
			{key: "g", at: 10 * time.Minute, limits: burst5, ok: true},
			{key: "g", at: 10 * time.Minute, limits: burst5, ok: true},
			{key: "g", at: 10 * time.Minute, limits: burst5, ok: true},
			{key: "g", at: 10 * time.Minute, limits: burst5, delay: 20 * time.Second, ok: true},
		}},
		{"existing limiter adopts a new limit", []step{
			{key: "g", ok: true},
			{key: "g", ok: true},
			{key: "g", limits: ratelimit.Limits{Limit: rate.Every(time.Second)}, delay: time.Second, ok: true},
		}},
		{"zero limits fall back to the defaults", []step{
			{key: "g", limits: ratelimit.Limits{Burst: 1}, ok: true},
			{key: "g", at: 20 * time.Second, ok: true},
			// Back on the default burst of two, a minute refills two tokens, not one.
			{key: "g", at: 80 * time.Second, ok: true},
			{key: "g", at: 80 * time.Second, ok: true},
			{key: "g", at: 80 * time.Second, delay: 20 * time.Second, ok: true},
		}},
		{"a burst larger than the request is refused, not a panic", []step{
			{key: "g", limits: ratelimit.Limits{Burst: -1}, delay: rate.InfDuration, ok: false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := ratelimit.NewKeyed(every20s, 2)
			for i, s := range tt.steps {
				now := t0.Add(s.at)
				r := k.ReserveLimits(s.key, now, s.limits)
				if got := r.OK(); got != s.ok {
					t.Fatalf("step %d: OK() = %v, want %v", i, got, s.ok)
				}
				if got := r.DelayFrom(now); got != s.delay {
					t.Fatalf("step %d: DelayFrom = %v, want %v", i, got, s.delay)
				}
			}
		})
	}
}

func TestKeyedSweepsIdleLimiters(t *testing.T) {
	t.Parallel()
	const n = 100_000
	k := ratelimit.NewKeyed(rate.Every(20*time.Second), 2)
	for i := range n {
		k.Reserve(strconv.Itoa(i), t0)
	}
	if got := k.Len(); got != n {
		t.Fatalf("Len() after %d keys = %d, want %d", n, got, n)
	}

	// Still within the sweep interval: nothing may go, whatever the buckets hold.
	k.Reserve("late", t0.Add(30*time.Second))
	if got := k.Len(); got != n+1 {
		t.Fatalf("Len() before a sweep is due = %d, want %d", got, n+1)
	}

	// One token refills in 20 s, so every bucket is full again after a minute.
	k.Reserve("later", t0.Add(2*time.Minute))
	if got := k.Len(); got != 1 {
		t.Fatalf("Len() after the sweep = %d, want 1 (only the key just reserved)", got)
	}
}

func TestKeyedSweepKeepsBusyLimiters(t *testing.T) {
	t.Parallel()
	k := ratelimit.NewKeyed(rate.Every(time.Hour), 2)
	k.Reserve("busy", t0)
	k.Reserve("busy", t0)
	k.Reserve("other", t0.Add(2*time.Minute)) // sweeps; "busy" is far from full

	r := k.Reserve("busy", t0.Add(2*time.Minute))
	if got, want := r.DelayFrom(t0.Add(2*time.Minute)), time.Hour-2*time.Minute; got != want {
		t.Fatalf("DelayFrom after sweep = %v, want %v (the limiter was dropped)", got, want)
	}
	if got := k.Len(); got != 2 {
		t.Fatalf("Len() = %d, want 2", got)
	}
}

func BenchmarkKeyedReserve(b *testing.B) {
	const keys = 100_000
	names := make([]string, keys)
	for i := range names {
		names[i] = "member-" + strconv.Itoa(i)
	}
	k := ratelimit.NewKeyed(rate.Every(20*time.Second), 2)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		// Time moves a millisecond a call so sweeps happen, as they would in production.
		k.Reserve(names[i%keys], t0.Add(time.Duration(i)*time.Millisecond))
		i++
	}
}
