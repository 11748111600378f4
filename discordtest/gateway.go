package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayState is the one bot session of the gateway. Its fields are guarded by Server.mu.
type gatewayState struct {
	sessionID string // empty before IDENTIFY and after the session was closed normally
	seq       int64
	intents   int64
	version   int
	log       []gatewayEvent // dispatches of this session, for RESUME
	live      *gwConn        // the connection dispatches go to, once identified or resumed
	conns     map[*gwConn]bool
	held      chan struct{} // non-nil while HoldGateway keeps new connections waiting
	silent    bool          // WithholdHello: new connections get no HELLO
	faults    gatewayFaults
	done      chan struct{} // closed when the server closes
	stats     GatewayStats
}

func (g *gatewayState) init() {
	g.conns = map[*gwConn]bool{}
	g.done = make(chan struct{})
}

// gatewayEvent is a dispatch (op 0) of the session.
type gatewayEvent struct {
	seq  int64
	name string
	data json.RawMessage
	it   *Interaction // set for INTERACTION_CREATE, to record its delivery
}

// gwConn is one websocket connection; writeMu makes its writes exclusive, as gorilla requires.
type gwConn struct {
	ws      *websocket.Conn
	writeMu sync.Mutex
	authed  bool
}

// GatewayStats counts what happened on the gateway.
type GatewayStats struct {
	// Connected counts websocket connections, Identified IDENTIFYs answered with READY,
	// Resumed RESUMEs answered with RESUMED, Heartbeats heartbeats answered.
	Connected, Identified, Resumed, Heartbeats int
	// Live is true while a connection is identified or resumed and receives dispatches.
	Live bool
}

// frame is a gateway payload in either direction.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

// write sends one payload on the connection.
func (c *gwConn) write(v any) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// dispatchFrame is the wire form of a dispatch.
func dispatchFrame(ev gatewayEvent) frame {
	name := ev.name
	seq := ev.seq
	return frame{Op: 0, D: ev.data, S: &seq, T: &name}
}

// dispatchLocked appends a dispatch to the session log and sends it if a connection is live.
// The caller holds s.mu.
func (s *Server) dispatchLocked(name string, data json.RawMessage, it *Interaction) {
	g := &s.gw
	g.seq++
	ev := gatewayEvent{seq: g.seq, name: name, data: data, it: it}
	g.log = append(g.log, ev)
	if g.live != nil {
		s.sendLocked(g.live, ev)
	}
}

// sendLocked writes ev to c, recording the delivery of interactions. The caller holds s.mu.
func (s *Server) sendLocked(c *gwConn, ev gatewayEvent) {
	if err := c.write(dispatchFrame(ev)); err != nil {
		// The reader notices the broken connection too; dispatches wait for RESUME.
		if s.gw.live == c {
			s.gw.live = nil
		}
		return
	}
	if ev.it != nil && ev.it.deliveredAt.IsZero() {
		ev.it.deliveredAt = time.Now()
	}
}

// GatewayStats returns the gateway counters.
func (s *Server) GatewayStats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.gw.stats
	st.Live = s.gw.live != nil
	return st
}

// WaitGateway waits until the gateway counters satisfy match.
func (s *Server) WaitGateway(ctx context.Context, match func(GatewayStats) bool) error {
	return s.waitFor(ctx, func() bool { return match(s.GatewayStats()) })
}

// WaitReady waits until the bot has identified and its connection is live.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.WaitGateway(ctx, func(st GatewayStats) bool { return st.Identified > 0 && st.Live })
}

// WaitResumed waits until the bot has resumed at least once and its connection is live.
func (s *Server) WaitResumed(ctx context.Context) error {
	return s.WaitGateway(ctx, func(st GatewayStats) bool { return st.Resumed > 0 && st.Live })
}

// closeGateway ends every connection and releases held ones, when the server closes.
func (s *Server) closeGateway() {
	s.mu.Lock()
	close(s.gw.done)
	conns := make([]*gwConn, 0, len(s.gw.conns))
	for c := range s.gw.conns {
		conns = append(conns, c)
	}
	s.gw.live = nil
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.NetConn().Close()
	}
}

// serveGateway upgrades a request to the gateway websocket and runs the connection.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	held, done := s.gw.held, s.gw.done
	s.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-done:
			return
		}
	}
	q := r.URL.Query()
	version := 0
	switch q.Get("v") {
	case "9":
		version = 9
	case "10":
		version = 10
	}
	if version == 0 || q.Get("encoding") != "json" {
		s.report(Problem{Route: "gateway", Message: "gateway URL needs ?v=9 or 10 and encoding=json, got " + r.URL.RawQuery})
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		s.report(Problem{Route: "gateway", Message: "websocket upgrade: " + err.Error()})
		return
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	select {
	case <-done:
		s.mu.Unlock()
		_ = ws.Close()
		return
	default:
	}
	s.gw.conns[c] = true
	s.gw.stats.Connected++
	silent := s.gw.silent
	s.mu.Unlock()
	s.changed.broadcast()
	defer s.endConn(c)
	if silent {
		c.drain()
		return
	}

	hello, _ := json.Marshal(map[string]any{
		"heartbeat_interval": s.cfg.heartbeat.Milliseconds(),
		"_trace":             []string{`["gateway-prd-us-east1-b-0",{"micros":0.0}]`},
	})
	if c.write(frame{Op: 10, D: hello}) != nil {
		return
	}
	s.readLoop(c, version)
}

// endConn forgets a closed connection.
func (s *Server) endConn(c *gwConn) {
	_ = c.ws.Close()
	s.mu.Lock()
	delete(s.gw.conns, c)
	if s.gw.live == c {
		s.gw.live = nil
	}
	s.mu.Unlock()
	s.changed.broadcast()
}
