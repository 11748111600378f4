package discordtest

import (
	"net/http"
	"strconv"
)

// lookupChannel finds the channel of a /channels/{channel_id} route, answering 404 10003 if
// the bot cannot see it. On success it returns with s.mu held.
func (s *Server) lookupChannel(c *call) (*channel, bool) {
	s.mu.Lock()
	ch := s.channels[c.params["channel_id"]]
	if ch == nil {
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusNotFound, 10003, "Unknown Channel", nil)
		return nil, false
	}
	return ch, true
}

// listMessages returns the channel's visible messages, newest first, at most limit (50).
func (s *Server) listMessages(c *call) {
	limit := 50
	if l, err := strconv.Atoi(c.r.URL.Query().Get("limit")); err == nil && l > 0 {
		limit = l
	}
	ch, ok := s.lookupChannel(c)
	if !ok {
		return
	}
	out := []any{}
	for i := len(ch.messages) - 1; i >= 0 && len(out) < limit; i-- {
		if m := ch.messages[i]; !m.Deleted && !m.Ephemeral() {
			out = append(out, m.apiJSON())
		}
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

// createMessage posts a message by the bot.
func (s *Server) createMessage(c *call) {
	body := obj(c.body)
	if emptyMessage(body, len(c.files)) {
		s.refuse(c.w, c.route, http.StatusBadRequest, 50006, "Cannot send an empty message", nil)
		return
	}
	ch, ok := s.lookupChannel(c)
	if !ok {
		return
	}
	m := s.newMessage(ch, "")
	m.Flags = intOf(body["flags"], 0) & (4 | 4096 | 32768)
	s.editMessage(m, body, c.files, false)
	out := m.apiJSON()
	s.mu.Unlock()
	s.changed.broadcast()
	writeJSON(c.w, http.StatusOK, out)
}
