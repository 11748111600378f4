package budget

import "time"

// Clock is the time source of a Budget: the real one by default, a fake one in tests.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed; stop cancels that if it
	// has not happened yet, and reports whether it did cancel it.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// realClock is the Clock of the time package.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}
