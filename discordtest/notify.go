package discordtest

import (
	"context"
	"sync"
)

// notifier wakes every waiter whenever the server's state changes. Waiters check their
// condition, then block on the channel returned by wait until the next change or their ctx ends.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel that is closed at the next broadcast.
func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

// broadcast wakes all current waiters.
func (n *notifier) broadcast() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}

// waitFor calls check until it reports true, sleeping between changes of s. The channel is
// taken before check runs so that no change between the two is missed.
func (s *Server) waitFor(ctx context.Context, check func() bool) error {
	for {
		ch := s.changed.wait()
		if check() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
