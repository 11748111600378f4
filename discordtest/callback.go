package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// callbackAllowed reports whether Discord accepts callback type cb for interaction type it.
func callbackAllowed(it, cb int) bool {
	switch it {
	case TypeApplicationCommand:
		return cb == 4 || cb == 5 || cb == 9
	case TypeComponent:
		return cb == 4 || cb == 5 || cb == 6 || cb == 7 || cb == 9
	case TypeAutocomplete:
		return cb == 8
	case TypeModalSubmit:
		return cb == 4 || cb == 5 || cb == 6 || cb == 7
	}
	return false
}

// callbackRules applies the limits of the callback's type to its data.
func callbackRules(_ *Server, c *call, f *formErrors) {
	body := obj(c.body)
	data := obj(body["data"])
	typ := intOf(body["type"], 0)
	switch typ {
	case 4, 7:
		checkMessage(f, []string{"data"}, data, len(c.files))
	case 8:
		checkChoices(f, []string{"data", "choices"}, arr(data["choices"]))
	case 9:
		id, _ := str(data["custom_id"])
		checkLength(f, []string{"data", "custom_id"}, id, 1, maxCustomID)
		title, _ := str(data["title"])
		checkLength(f, []string{"data", "title"}, title, 1, maxModalTitle)
		checkComponents(f, []string{"data", "components"}, arr(data["components"]))
	}
	if len(c.files) > 0 && typ != 4 && typ != 7 {
		f.add([]string{"files"}, "INTERACTION_RESPONSE_FILES_INVALID", "Only message responses can carry files")
	}
}

// callback answers POST /interactions/{id}/{token}/callback.
func (s *Server) callback(c *call) {
	now := time.Now()
	body := obj(c.body)
	typ := int(intOf(body["type"], 0))
	data := obj(body["data"])
	s.mu.Lock()
	it := s.interactions[c.params["interaction_id"]]
	switch {
	case it == nil || it.token != c.params["interaction_token"]:
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusNotFound, 10062, "Unknown interaction", nil)
		return
	case s.expired(it):
		s.mu.Unlock()
		writeJSON(c.w, http.StatusNotFound, apiError{Message: "Unknown interaction", Code: 10062})
		return
	case len(it.responses) > 0:
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusBadRequest, 40060, "Interaction has already been acknowledged.", nil)
		return
	}
	start := it.deliveredAt
	if start.IsZero() {
		start = it.injectedReal
	}
	latency := now.Sub(start)
	if latency > s.cfg.ackDeadline {
		s.mu.Unlock()
		s.report(Problem{Route: c.route, Status: http.StatusNotFound, Code: 10062,
			Message: fmt.Sprintf("Unknown interaction: first callback %v after delivery, Discord allows %v", latency, s.cfg.ackDeadline)})
		writeJSON(c.w, http.StatusNotFound, apiError{Message: "Unknown interaction", Code: 10062})
		return
	}
	if !callbackAllowed(it.typ, typ) {
		s.mu.Unlock()
		var f formErrors
		f.add([]string{"type"}, "INTERACTION_RESPONSE_TYPE_INVALID",
			fmt.Sprintf("Callback type %d is not allowed for interaction type %d", typ, it.typ))
		s.refuse(c.w, c.route, http.StatusBadRequest, 50035, "Invalid Form Body", f.json())
		return
	}
	if typ == 4 && emptyMessage(data, len(c.files)) {
		s.mu.Unlock()
		s.refuse(c.w, c.route, http.StatusBadRequest, 50006, "Cannot send an empty message", nil)
		return
	}
	msg := s.applyCallback(it, typ, data, c.files)
	resp := Response{Type: typ, JSON: c.raw, Files: c.files, At: now, Latency: latency}
	if data != nil {
		raw, _ := json.Marshal(data) // Decoded JSON always marshals.
		_ = json.Unmarshal(raw, &resp.Data)
	}
	it.responses = append(it.responses, resp)
	var out map[string]any
	if c.r.URL.Query().Get("with_response") == "true" {
		out = s.callbackResponse(it, typ, msg)
	}
	s.mu.Unlock()
	s.changed.broadcast()
	if out != nil {
		writeJSON(c.w, http.StatusOK, out)
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// applyCallback makes the message a callback creates or updates and returns it, if any.
// The caller holds s.mu.
func (s *Server) applyCallback(it *Interaction, typ int, data map[string]any, files []File) *Message {
	ch := s.channels[it.channelID]
	switch typ {
	case 4:
		m := s.newMessage(ch, "")
		m.InteractionID, m.WebhookID = it.id, s.AppID
		m.Flags = intOf(data["flags"], 0) & (messageFlagEphem | 4 | 4096 | 32768)
		s.editMessage(m, data, files, false)
		it.original = m
		return m
	case 5:
		m := s.newMessage(ch, "")
		m.InteractionID, m.WebhookID = it.id, s.AppID
		m.Flags = messageFlagLoading | intOf(data["flags"], 0)&messageFlagEphem
		it.original = m
		return m
	case 6, 7:
		m := s.findMessage(ch, it.messageID)
		if m != nil && typ == 7 {
			s.editMessage(m, data, files, true)
		}
		it.original = m
		return m
	}
	return nil
}

// callbackResponse is the body of a callback sent with ?with_response=true. The caller
// holds s.mu.
func (s *Server) callbackResponse(it *Interaction, typ int, msg *Message) map[string]any {
	inter := map[string]any{"id": it.id, "type": it.typ, "activity_instance_id": nil}
	res := map[string]any{"type": typ}
	if msg != nil {
		inter["response_message_id"] = msg.ID
		inter["response_message_loading"] = msg.Loading()
		inter["response_message_ephemeral"] = msg.Ephemeral()
		res["message"] = msg.apiJSON()
	}
	return map[string]any{"interaction": inter, "resource": res}
}

// expired reports whether the interaction's token is past its 15 minutes on the fake clock.
func (s *Server) expired(it *Interaction) bool {
	return !s.clock.Now().Before(it.injectedAt.Add(s.cfg.tokenTTL))
}

// findMessage returns the message id of channel ch, or nil. The caller holds s.mu.
func (s *Server) findMessage(ch *channel, id string) *Message {
	for _, m := range ch.messages {
		if m.ID == id && !m.Deleted {
			return m
		}
	}
	return nil
}
