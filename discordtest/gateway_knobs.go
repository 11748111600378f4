package discordtest

import "sync"

// DropGateway closes the live gateway connection abnormally (no close frame), as a network
// failure would: the bot should reconnect and RESUME. Dispatches until then are queued and
// replayed on RESUME.
func (s *Server) DropGateway() {
	s.mu.Lock()
	c := s.gw.live
	s.gw.live = nil
	s.mu.Unlock()
	if c != nil {
		_ = c.ws.NetConn().Close()
	}
	s.changed.broadcast()
}

// HoldGateway keeps new gateway connections waiting, before HELLO, until release is called:
// with DropGateway it makes "inject while disconnected" deterministic.
func (s *Server) HoldGateway() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.gw.held = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.gw.held == ch {
				s.gw.held = nil
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}
