package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// defaultHeartbeat is the heartbeat interval Health assumes before a HELLO was read: the one
// Discord sends.
const defaultHeartbeat = 41250 * time.Millisecond

// staleAcks is how many heartbeat intervals without an ACK make the connection unhealthy. An
// ACK normally comes once an interval, so 2.5 intervals is two missed: a half-open connection
// shows in about 100 s, not at discordgo's own limit of 5 intervals plus a reconnect.
const staleAcks = 2.5

// linkState is the gateway connection's state as its events tell it.
type linkState struct {
	// mu guards all three: the gateway's events come from discordgo's goroutines.
	mu        sync.Mutex
	connected bool             // between READY (or RESUMED) and a disconnect
	ever      bool             // READY came at least once
	now       func() time.Time // the clock heartbeat ACKs are aged by; time.Now if nil
}

// linked records what the gateway said: READY or RESUMED (up), or a disconnect.
func (b *Bot) linked(up bool) {
	b.link.mu.Lock()
	defer b.link.mu.Unlock()
	b.link.connected = up
	b.link.ever = b.link.ever || up
}

// Health reports why the bot is not serving members, in one line for an operator's health
// check; nil while it is connected to Discord and not shutting down.
func (b *Bot) Health(context.Context) error {
	b.mu.Lock()
	closing := b.closing
	b.mu.Unlock()
	b.link.mu.Lock()
	connected, ever, now := b.link.connected, b.link.ever, b.link.now
	b.link.mu.Unlock()
	switch {
	case closing:
		return errors.New("shutting down")
	case !ever:
		return errors.New("not connected to Discord yet")
	case !connected:
		return errors.New("disconnected from Discord: reconnecting")
	}
	if now == nil {
		now = time.Now
	}
	return b.checkHeartbeat(now())
}

// checkHeartbeat reports a connection whose last heartbeat ACK is older than staleAcks
// heartbeat intervals at now: the gateway no longer answers, though no error said so.
func (b *Bot) checkHeartbeat(now time.Time) error {
	b.connector.mu.Lock()
	interval := b.connector.heartbeat
	b.connector.mu.Unlock()
	if interval <= 0 {
		interval = defaultHeartbeat
	}
	// discordgo writes LastHeartbeatAck under the session's lock. Open holds it for as long
	// as it connects, and Health must not wait on it: a held lock means the session is
	// being opened or closed, which the link state reports better.
	if !b.session.TryRLock() {
		return nil
	}
	ack := b.session.LastHeartbeatAck
	b.session.RUnlock()
	if age := now.Sub(ack); !ack.IsZero() && age > time.Duration(staleAcks*float64(interval)) {
		return fmt.Errorf("no heartbeat ACK from the Discord gateway for %s (heartbeat interval %s): the connection may be dead", age.Round(time.Second), interval)
	}
	return nil
}
