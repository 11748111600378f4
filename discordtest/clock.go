package discordtest

import (
	"sync"
	"time"
)

// Clock is a fake clock that only moves when a test advances it. The server reads it for
// message timestamps, snowflakes and the 15-minute life of interaction tokens; the 3-second
// limit on the first callback is measured in real time instead (see Interaction.AckLatency).
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock that reads start until advanced.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
