package bot

import "time"

// SetHealthClock makes Health age heartbeat ACKs by now instead of time.Now.
func SetHealthClock(b *Bot, now func() time.Time) {
	b.link.mu.Lock()
	defer b.link.mu.Unlock()
	b.link.now = now
}
