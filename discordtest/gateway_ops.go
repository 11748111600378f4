package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gorilla/websocket"
)

// Gateway close codes the fake uses, as Discord documents them.
const (
	closeUnknownOpcode    = 4001
	closeDecodeError      = 4002
	closeNotAuthenticated = 4003
	closeAuthFailed       = 4004
	closeAlreadyAuthed    = 4005
	closeInvalidIntents   = 4013
)

// readLoop answers the client's payloads until the connection ends.
func (s *Server) readLoop(c *gwConn, version int) {
	for {
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) {
				// Discord ends the session on a normal close: a later RESUME gets op 9.
				s.mu.Lock()
				if s.gw.live == c {
					s.gw.sessionID = ""
				}
				s.mu.Unlock()
			}
			return
		}
		var f frame
		if err := json.Unmarshal(msg, &f); err != nil {
			s.closeConn(c, closeDecodeError, "Error while decoding payload.")
			return
		}
		if !s.handleOp(c, f, version) {
			return
		}
	}
}

// handleOp answers one payload; it returns false when the connection was closed.
func (s *Server) handleOp(c *gwConn, f frame, version int) bool {
	switch f.Op {
	case 1: // HEARTBEAT
		s.mu.Lock()
		s.gw.stats.Heartbeats++
		noAck := s.gw.faults.noAcks
		s.mu.Unlock()
		s.changed.broadcast()
		return noAck || c.write(frame{Op: 11}) == nil
	case 2, 6:
		if handled, open := s.sessionFault(c); handled {
			return open
		}
		if f.Op == 2 {
			return s.identify(c, f.D, version)
		}
		return s.resume(c, f.D)
	case 3, 4, 8: // presence update, voice state update, request guild members
		if !c.authed {
			s.closeConn(c, closeNotAuthenticated, "Not authenticated.")
			return false
		}
		return true
	default:
		s.closeConn(c, closeUnknownOpcode, fmt.Sprintf("Unknown opcode %d.", f.Op))
		return false
	}
}

// closeConn reports a protocol violation and closes the connection with code.
func (s *Server) closeConn(c *gwConn, code int, reason string) {
	s.report(Problem{Route: "gateway", Code: code, Message: reason})
	c.writeMu.Lock()
	_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason))
	c.writeMu.Unlock()
	_ = c.ws.Close()
}

// tokenOK accepts the bot token with or without discordgo's "Bot " prefix.
func (s *Server) tokenOK(tok string) bool {
	return strings.TrimPrefix(tok, "Bot ") == s.Token
}

// identify starts a new session: READY, then GUILD_CREATE for the guild.
func (s *Server) identify(c *gwConn, d json.RawMessage, version int) bool {
	var id struct {
		Token      string          `json:"token"`
		Intents    *int64          `json:"intents"`
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(d, &id); err != nil {
		s.closeConn(c, closeDecodeError, "Error while decoding payload.")
		return false
	}
	switch {
	case c.authed:
		s.closeConn(c, closeAlreadyAuthed, "Already authenticated.")
		return false
	case !s.tokenOK(id.Token):
		s.closeConn(c, closeAuthFailed, "Authentication failed.")
		return false
	case id.Intents == nil || *id.Intents < 0:
		s.closeConn(c, closeInvalidIntents, "Invalid intent(s).")
		return false
	case len(id.Properties) == 0 || id.Properties[0] != '{':
		s.closeConn(c, closeDecodeError, "Error while decoding payload: properties missing.")
		return false
	}
	s.mu.Lock()
	g := &s.gw
	g.sessionID, g.seq, g.log, g.intents, g.version = randomHex(16), 0, nil, *id.Intents, version
	g.live, c.authed = c, true
	g.stats.Identified++
	ready, _ := json.Marshal(s.readyData())
	s.dispatchLocked("READY", ready, nil)
	if g.intents&1 != 0 { // GUILDS
		guild, _ := json.Marshal(s.guildData())
		s.dispatchLocked("GUILD_CREATE", guild, nil)
	}
	s.mu.Unlock()
	s.changed.broadcast()
	return true
}

// resume replays the dispatches after the client's sequence number, then sends RESUMED; a
// session it cannot resume gets op 9 (invalid session, not resumable).
func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       *int64 `json:"seq"`
	}
	if err := json.Unmarshal(d, &rs); err != nil || rs.Seq == nil {
		s.closeConn(c, closeDecodeError, "Error while decoding payload.")
		return false
	}
	if !s.tokenOK(rs.Token) {
		s.closeConn(c, closeAuthFailed, "Authentication failed.")
		return false
	}
	s.mu.Lock()
	g := &s.gw
	if g.sessionID == "" || rs.SessionID != g.sessionID || *rs.Seq > g.seq {
		s.mu.Unlock()
		return c.write(frame{Op: 9, D: json.RawMessage("false")}) == nil
	}
	for _, ev := range g.log {
		if ev.seq > *rs.Seq {
			s.sendLocked(c, ev)
		}
	}
	g.live, c.authed = c, true
	g.stats.Resumed++
	s.dispatchLocked("RESUMED", json.RawMessage(`{"_trace":["[\"gateway-prd-us-east1-b-0\",{\"micros\":0.0}]"]}`), nil)
	s.mu.Unlock()
	s.changed.broadcast()
	return true
}
