package discordtest

import (
	"encoding/json"
	"strings"
)

// editMessage applies a message body and its uploaded files to m. For a new message every
// file becomes an attachment. For an edit, fields left out stay as they were; a present
// "attachments" list keeps only the existing attachments it names, and new files are added.
// The caller holds s.mu.
func (s *Server) editMessage(m *Message, data map[string]any, files []File, edit bool) {
	if v, ok := data["content"]; ok || !edit {
		m.Content, _ = str(v)
	}
	if v, ok := data["embeds"]; ok || !edit {
		m.Embeds = rawList(v)
	}
	if v, ok := data["components"]; ok || !edit {
		m.Components = rawList(v)
	}
	descriptions := map[string]string{}
	if list, ok := data["attachments"]; ok && edit {
		keep := map[string]bool{}
		for _, a := range arr(list) {
			id := idString(obj(a)["id"])
			keep[id] = true
		}
		var kept []Attachment
		for _, a := range m.Attachments {
			if keep[a.ID] {
				kept = append(kept, a)
			}
		}
		m.Attachments = kept
	}
	for _, a := range arr(data["attachments"]) {
		if d, ok := str(obj(a)["description"]); ok {
			descriptions[idString(obj(a)["id"])] = d
		}
	}
	for _, f := range files {
		index := strings.TrimSuffix(strings.TrimPrefix(f.Field, "files["), "]")
		ct := f.ContentType
		if strings.HasSuffix(strings.ToLower(f.Filename), ".png") {
			ct = "image/png" // Discord sniffs the type; .png files were checked to be PNGs.
		}
		m.Attachments = append(m.Attachments, s.storeAttachment(m.ChannelID, Attachment{
			Filename: f.Filename, ContentType: ct, Description: descriptions[index], Data: append([]byte(nil), f.Data...),
		}))
	}
	if edit {
		m.EditedAt = s.clock.Now()
	}
}

// rawList re-encodes the elements of a decoded JSON array.
func rawList(v any) []json.RawMessage {
	var out []json.RawMessage
	for _, e := range arr(v) {
		b, _ := json.Marshal(e) // Decoded JSON always marshals.
		out = append(out, b)
	}
	return out
}

// idString reads an id that may be a JSON string or number.
func idString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}
