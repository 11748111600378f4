package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Take keeps the reservations rs only if every one of them can act at now. Otherwise it cancels
// them all, so their tokens go back, and returns ok=false with the longest wait: rate.InfDuration
// when a reservation can never succeed (nil, or !OK because its burst is 0 or too small).
//
// When ok is true, undo gives every token back. It is meant for a request found to be invalid
// before it spent anything, and restores the tokens as of now (a reservation cancelled later than
// the time it acted at gives nothing back, see rate.Reservation.CancelAt). Calling undo more than
// once restores the tokens once.
func Take(now time.Time, rs ...*rate.Reservation) (wait time.Duration, ok bool, undo func()) {
	for _, r := range rs {
		d := rate.InfDuration
		if r != nil && r.OK() {
			d = r.DelayFrom(now)
		}
		wait = max(wait, d)
	}
	if wait > 0 {
		cancelAll(now, rs)
		return wait, false, nil
	}
	var once sync.Once
	return 0, true, func() { once.Do(func() { cancelAll(now, rs) }) }
}

// cancelAll gives back the tokens of every reservation in rs. CancelAt already ignores
// reservations that are !OK.
func cancelAll(now time.Time, rs []*rate.Reservation) {
	for _, r := range rs {
		if r != nil {
			r.CancelAt(now)
		}
	}
}
