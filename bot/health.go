package bot

import (
	"context"
	"errors"
	"sync"
)

// linkState is the gateway connection's state as its events tell it.
type linkState struct {
	// mu guards both: the gateway's events come from discordgo's goroutines.
	mu        sync.Mutex
	connected bool // between READY (or RESUMED) and a disconnect
	ever      bool // READY came at least once
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
	connected, ever := b.link.connected, b.link.ever
	b.link.mu.Unlock()
	switch {
	case closing:
		return errors.New("shutting down")
	case !ever:
		return errors.New("not connected to Discord yet")
	case !connected:
		return errors.New("disconnected from Discord: reconnecting")
	}
	return nil
}
