package discordtest

import (
	"encoding/json"
	"time"
)

// User is a Discord user as the fake knows it.
type User struct {
	ID         string
	Username   string
	GlobalName string
	Bot        bool
}

// apiJSON is the user object Discord sends.
func (u User) apiJSON() map[string]any {
	m := map[string]any{
		"id": u.ID, "username": u.Username, "discriminator": "0", "avatar": nil,
		"global_name": nil, "public_flags": 0, "flags": 0, "banner": nil, "accent_color": nil,
		"avatar_decoration_data": nil, "clan": nil, "primary_guild": nil, "collectibles": nil,
	}
	if u.GlobalName != "" {
		m["global_name"] = u.GlobalName
	}
	if u.Bot {
		m["bot"] = true
	}
	return m
}

// Message is a message the bot created through the API, as stored by the fake.
type Message struct {
	ID        string
	ChannelID string
	GuildID   string
	Author    User
	Content   string
	// Flags are Discord's message flags: 64 ephemeral, 128 loading (a deferred response).
	Flags       int64
	Embeds      []json.RawMessage
	Components  []json.RawMessage
	Attachments []Attachment
	// InteractionID is the interaction this message answers, for originals and follow-ups.
	InteractionID string
	// WebhookID is set for interaction responses, which Discord sends through a webhook.
	WebhookID string
	CreatedAt time.Time
	EditedAt  time.Time
	// Deleted is true once the bot deleted the message.
	Deleted bool
}

// Ephemeral reports whether only the invoking user sees the message.
func (m *Message) Ephemeral() bool { return m.Flags&messageFlagEphem != 0 }

// Loading reports whether the message is still the "thinking" placeholder of a deferral.
func (m *Message) Loading() bool { return m.Flags&messageFlagLoading != 0 }

// messageFlagLoading marks the placeholder a type 5 callback creates.
const messageFlagLoading = 1 << 7

// clone returns a copy that shares nothing mutable with m.
func (m *Message) clone() *Message {
	c := *m
	c.Embeds = append([]json.RawMessage(nil), m.Embeds...)
	c.Components = append([]json.RawMessage(nil), m.Components...)
	c.Attachments = append([]Attachment(nil), m.Attachments...)
	return &c
}

// apiJSON is the message object Discord returns.
func (m *Message) apiJSON() map[string]any {
	atts := []any{}
	for _, a := range m.Attachments {
		atts = append(atts, a.apiJSON())
	}
	var edited any
	if !m.EditedAt.IsZero() {
		edited = m.EditedAt.Format(time.RFC3339Nano)
	}
	embeds, comps := []json.RawMessage{}, []json.RawMessage{}
	embeds = append(embeds, m.Embeds...)
	comps = append(comps, m.Components...)
	msg := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "type": 0, "content": m.Content,
		"author": m.Author.apiJSON(), "attachments": atts, "embeds": embeds, "components": comps,
		"mentions": []any{}, "mention_roles": []any{}, "mention_everyone": false, "pinned": false,
		"tts": false, "timestamp": m.CreatedAt.Format(time.RFC3339Nano), "edited_timestamp": edited,
		"flags": m.Flags,
	}
	if m.WebhookID != "" {
		msg["webhook_id"] = m.WebhookID
		msg["application_id"] = m.WebhookID
	}
	if m.InteractionID != "" {
		msg["type"] = 20 // CHAT_INPUT_COMMAND reply
	}
	return msg
}

// channel is a text channel of the guild or the DM channel, with the messages posted in it.
type channel struct {
	id        string
	guildID   string // empty for the DM channel
	name      string
	recipient User // the other user of a DM channel
	messages  []*Message
}

// Messages returns copies of the messages the bot created in a channel, oldest first,
// including ephemeral and deleted ones (see Message.Deleted).
func (s *Server) Messages(channelID string) []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[channelID]
	if ch == nil {
		return nil
	}
	out := make([]*Message, 0, len(ch.messages))
	for _, m := range ch.messages {
		out = append(out, m.clone())
	}
	return out
}

// newMessage stores a message by the bot in channel ch. The caller holds s.mu.
func (s *Server) newMessage(ch *channel, content string) *Message {
	m := &Message{
		ID: s.ids.next(), ChannelID: ch.id, GuildID: ch.guildID, Author: s.Bot,
		Content: content, CreatedAt: s.clock.Now(),
	}
	ch.messages = append(ch.messages, m)
	return m
}
