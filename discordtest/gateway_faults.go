package discordtest

import "github.com/gorilla/websocket"

// gatewayFaults are what the gateway does to a well-behaved bot on request of a test. Its
// fields are guarded by Server.mu.
type gatewayFaults struct {
	noReady bool // WithholdReady: IDENTIFY and RESUME get no answer
	noAcks  bool // WithholdHeartbeatAcks: heartbeats get no ACK
	refuse  int  // RefuseNextSessions: IDENTIFYs or RESUMEs still to refuse
	code    int  // the close code they get
}

// WithholdReady makes the gateway take IDENTIFY and RESUME and answer neither (no READY, no
// RESUMED) until restore: a bot should give up waiting, say what it waited for, and try again.
// Heartbeats are still answered.
func (s *Server) WithholdReady() (restore func()) {
	s.mu.Lock()
	s.gw.faults.noReady = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.gw.faults.noReady = false
		s.mu.Unlock()
	}
}

// WithholdHeartbeatAcks makes the gateway count heartbeats but send no ACK (op 11) until
// restore, as a half-open connection would: dispatches still flow.
func (s *Server) WithholdHeartbeatAcks() (restore func()) {
	s.mu.Lock()
	s.gw.faults.noAcks = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.gw.faults.noAcks = false
		s.mu.Unlock()
	}
}

// RefuseNextSessions answers the next n IDENTIFY or RESUME payloads by closing the connection
// with code, as Discord does with 4004 to a token reset while the bot runs, or with 4000 when
// it fails. The session stays resumable.
func (s *Server) RefuseNextSessions(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.faults.refuse, s.gw.faults.code = n, code
}

// sessionFault applies the faults to an IDENTIFY or RESUME on c: it reports true when the
// payload was refused or is left unanswered, and whether the connection stays open.
func (s *Server) sessionFault(c *gwConn) (handled, open bool) {
	s.mu.Lock()
	f := &s.gw.faults
	refuse, code, silent := f.refuse > 0, f.code, f.noReady
	if refuse {
		f.refuse--
	}
	s.mu.Unlock()
	switch {
	case refuse: // a fault, not a violation: no Problem
		c.writeMu.Lock()
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, closeText(code)))
		c.writeMu.Unlock()
		_ = c.ws.Close()
		return true, false
	case silent:
		return true, true
	}
	return false, true
}

// closeText is the reason Discord sends with a close code.
func closeText(code int) string {
	switch code {
	case closeAuthFailed:
		return "Authentication failed."
	case 4000:
		return "Unknown error."
	}
	return "Error."
}
