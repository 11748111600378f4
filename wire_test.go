package main

import (
	"testing"
	"time"
)

// TestAPILimiterStaysUnderTheWindow drives the limiter with a request
// every millisecond for 30 s of fake time and counts the most it admits in
// any 10 s window: Stability locks a key out for 60 s above 150.
func TestAPILimiterStaysUnderTheWindow(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 10, 15, 16, 100, 140, 150} {
		lim := apiLimiter(n)
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var admitted []time.Time
		for ms := range 30_000 {
			now := start.Add(time.Duration(ms) * time.Millisecond)
			if lim.AllowN(now, 1) {
				admitted = append(admitted, now)
			}
		}
		most, lo := 0, 0
		for hi, at := range admitted {
			for at.Sub(admitted[lo]) >= 10*time.Second {
				lo++
			}
			most = max(most, hi-lo+1)
		}
		if most > n {
			t.Errorf("API_RATE_PER_10S=%d: %d requests in one 10 s window", n, most)
		}
		if most < n*9/10 || len(admitted) < 2*n {
			t.Errorf("API_RATE_PER_10S=%d: at most %d requests in 10 s, %d in 30 s: the limit is wasted", n, most, len(admitted))
		}
	}
}
