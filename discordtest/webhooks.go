package discordtest

import (
	"net/http"
)

// messageRules applies the message limits to webhook and channel message bodies.
func messageRules(_ *Server, c *call, f *formErrors) {
	checkMessage(f, nil, obj(c.body), len(c.files))
}

// webhookInteraction finds the interaction of a webhook route, answering as Discord does
// for a wrong application id, an unknown token or an expired one. On success it returns
// with s.mu held.
func (s *Server) webhookInteraction(c *call) (*Interaction, bool) {
	if c.params["webhook_id"] != s.AppID {
		s.refuse(c.w, c.route, http.StatusNotFound, 10015, "Unknown Webhook", nil)
		return nil, false
	}
	s.mu.Lock()
	it := s.byToken[c.params["webhook_token"]]
	switch {
	case it == nil:
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusUnauthorized, 50027, "Invalid Webhook Token", nil)
		return nil, false
	case s.expired(it):
		// The test advanced the clock on purpose: answer like Discord without failing.
		s.mu.Unlock()
		writeJSON(c.w, http.StatusUnauthorized, apiError{Message: "Invalid Webhook Token", Code: 50027})
		return nil, false
	}
	return it, true
}

// webhookMessage finds the message a webhook message route names: @original or a
// follow-up. It answers 404 10008 when there is none. On success s.mu stays held.
func (s *Server) webhookMessage(c *call) (*Interaction, *Message, bool) {
	it, ok := s.webhookInteraction(c)
	if !ok {
		return nil, nil, false
	}
	id := c.params["message_id"]
	var m *Message
	if id == "" { // the @original routes have no message_id
		m = it.original
	} else {
		for _, f := range append([]*Message{it.original}, it.followups...) {
			if f != nil && f.ID == id {
				m = f
			}
		}
	}
	if m == nil || m.Deleted {
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusNotFound, 10008, "Unknown Message", nil)
		return nil, nil, false
	}
	return it, m, true
}

func (s *Server) getWebhookMessage(c *call) {
	_, m, ok := s.webhookMessage(c)
	if !ok {
		return
	}
	out := m.apiJSON()
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

// editWebhookMessage edits the original or a follow-up; editing a deferral's placeholder
// turns it into the real message.
func (s *Server) editWebhookMessage(c *call) {
	_, m, ok := s.webhookMessage(c)
	if !ok {
		return
	}
	s.editMessage(m, obj(c.body), c.files, true)
	m.Flags &^= messageFlagLoading
	out := m.apiJSON()
	s.mu.Unlock()
	s.changed.broadcast()
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) deleteWebhookMessage(c *call) {
	_, m, ok := s.webhookMessage(c)
	if !ok {
		return
	}
	m.Deleted = true
	s.mu.Unlock()
	s.changed.broadcast()
	c.w.WriteHeader(http.StatusNoContent)
}

// followup creates a follow-up message. As on Discord, the first follow-up after a deferral
// (type 5) replaces the placeholder instead, so it is also the original.
func (s *Server) followup(c *call) {
	it, ok := s.webhookInteraction(c)
	if !ok {
		return
	}
	body := obj(c.body)
	switch {
	case len(it.responses) == 0:
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusNotFound, 10015, "Unknown Webhook", nil)
		return
	case emptyMessage(body, len(c.files)):
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusBadRequest, 50006, "Cannot send an empty message", nil)
		return
	}
	var m *Message
	if it.original != nil && it.original.Loading() && !it.original.Deleted {
		m = it.original
		s.editMessage(m, body, c.files, true)
		m.Flags &^= messageFlagLoading
	} else {
		m = s.newMessage(s.channels[it.channelID], "")
		m.InteractionID, m.WebhookID = it.id, s.AppID
		m.Flags = intOf(body["flags"], 0) & (messageFlagEphem | 4 | 4096 | 32768)
		s.editMessage(m, body, c.files, false)
	}
	it.followups = append(it.followups, m)
	out := m.apiJSON()
	s.mu.Unlock()
	s.changed.broadcast()
	if c.r.URL.Query().Get("wait") == "true" {
		writeJSON(c.w, http.StatusOK, out)
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}
