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

// WithholdHello makes the gateway accept new websocket connections and then send nothing, not
// even HELLO, whatever the client sends, until the client closes the connection or the test
// ends: a bot should give up waiting, say what it waited for, and try again. GatewayStats
// counts these connections in Connected. restore makes later connections get HELLO again.
func (s *Server) WithholdHello() (restore func()) {
	s.mu.Lock()
	s.gw.silent = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.gw.silent = false
		s.mu.Unlock()
	}
}

// drain reads what the client sends on a connection WithholdHello keeps silent, until it ends.
func (c *gwConn) drain() {
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			return
		}
	}
}
