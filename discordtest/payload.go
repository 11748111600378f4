package discordtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// payload builds the INTERACTION_CREATE data for sp. The caller holds s.mu.
func (s *Server) payload(sp *InteractionSpec, it *Interaction) (map[string]any, error) {
	if sp.raw != nil {
		var m map[string]any
		if err := json.Unmarshal(sp.raw, &m); err != nil {
			return nil, fmt.Errorf("raw interaction: %w", err)
		}
		m["id"], m["token"], m["application_id"], m["version"] = it.id, it.token, s.AppID, 1
		it.guildID, _ = m["guild_id"].(string)
		it.channelID, _ = m["channel_id"].(string)
		if s.channels[it.channelID] == nil {
			return nil, fmt.Errorf("raw interaction: channel_id %q is none of the fake's channels", it.channelID)
		}
		if msg, ok := m["message"].(map[string]any); ok {
			it.messageID, _ = msg["id"].(string)
		}
		return m, nil
	}
	user := s.User
	if sp.user != nil {
		user = *sp.user
	}
	m := map[string]any{
		"id": it.id, "application_id": s.AppID, "type": sp.typ, "token": it.token, "version": 1,
		"locale": sp.locale, "entitlements": []any{}, "attachment_size_limit": s.cfg.uploadLimit,
		"app_permissions": strconv.FormatInt(sp.appPermissions, 10),
	}
	if sp.dm {
		it.channelID = s.DMChannelID
		m["channel_id"] = s.DMChannelID
		m["channel"] = map[string]any{
			"id": s.DMChannelID, "type": 1, "flags": 0, "last_message_id": nil,
			"recipients": []any{user.apiJSON()},
		}
		m["user"] = user.apiJSON()
		m["context"] = 1
		m["authorizing_integration_owners"] = map[string]any{"0": "0"}
	} else {
		it.guildID, it.channelID = s.GuildID, s.ChannelID
		if sp.channelID != "" {
			it.channelID = sp.channelID
		}
		ch := s.channels[it.channelID]
		if ch == nil || ch.guildID != s.GuildID {
			return nil, fmt.Errorf("channel %s is not a channel of the guild", it.channelID)
		}
		m["guild_id"] = s.GuildID
		m["guild"] = map[string]any{"id": s.GuildID, "locale": "en-US", "features": []any{}}
		m["guild_locale"] = "en-US"
		m["channel_id"] = ch.id
		m["channel"] = map[string]any{
			"id": ch.id, "type": 0, "guild_id": s.GuildID, "name": ch.name, "position": 0,
			"flags": 0, "parent_id": nil, "topic": nil, "nsfw": false, "last_message_id": nil,
			"rate_limit_per_user": 0, "permissions": strconv.FormatInt(sp.permissions, 10),
		}
		m["member"] = map[string]any{
			"user": user.apiJSON(), "roles": []any{}, "permissions": strconv.FormatInt(sp.permissions, 10),
			"joined_at": s.clock.Now().Add(-24 * time.Hour).Format(time.RFC3339Nano), "nick": nil,
			"avatar": nil, "banner": nil, "premium_since": nil, "deaf": false, "mute": false,
			"pending": false, "flags": 0, "communication_disabled_until": nil, "unusual_dm_activity_until": nil,
		}
		m["context"] = 0
		m["authorizing_integration_owners"] = map[string]any{"0": s.GuildID}
	}
	data, err := s.interactionData(sp, it)
	if err != nil {
		return nil, err
	}
	m["data"] = data
	if sp.typ == TypeComponent {
		msg, err := s.componentMessage(sp, it)
		if err != nil {
			return nil, err
		}
		m["message"] = msg
	}
	return m, nil
}

// interactionData builds "data": the registered command for types 2 and 4, the component
// for type 3. The caller holds s.mu.
func (s *Server) interactionData(sp *InteractionSpec, it *Interaction) (map[string]any, error) {
	switch sp.typ {
	case TypeApplicationCommand, TypeAutocomplete:
		cmd := s.findCommand(it.guildID, sp.name, 1)
		if cmd == nil {
			return nil, fmt.Errorf("no chat-input command %q is registered for this %s", sp.name, map[bool]string{true: "DM", false: "guild"}[sp.dm])
		}
		if !cmd.availableIn(sp.dm) {
			return nil, fmt.Errorf("command %q is registered without the context of this %s, so Discord would not send it",
				sp.name, map[bool]string{true: "DM", false: "guild"}[sp.dm])
		}
		data := map[string]any{"id": cmd.id, "name": sp.name, "type": 1}
		if cmd.guildID != "" {
			data["guild_id"] = cmd.guildID
		}
		if len(sp.options) > 0 {
			data["options"] = sp.options
		}
		if len(sp.attachments) > 0 {
			data["resolved"] = map[string]any{"attachments": sp.attachments}
		}
		return data, nil
	case TypeComponent:
		data := map[string]any{"custom_id": sp.customID, "component_type": sp.componentType}
		if sp.values != nil {
			data["values"] = sp.values
		}
		return data, nil
	default:
		return nil, fmt.Errorf("interaction type %d needs RawInteraction", sp.typ)
	}
}

// componentMessage is the message a clicked component is on: the stored message OnMessage
// names, or else a new message by the bot in the interaction's channel. The caller holds s.mu.
func (s *Server) componentMessage(sp *InteractionSpec, it *Interaction) (map[string]any, error) {
	ch := s.channels[it.channelID]
	if sp.messageID == "" {
		m := s.newMessage(ch, "")
		m.Components = []json.RawMessage{json.RawMessage(fmt.Sprintf(
			`{"type":1,"components":[{"type":2,"style":1,"label":"Click","custom_id":%q}]}`, sp.customID))}
		it.messageID = m.ID
		return m.apiJSON(), nil
	}
	for _, m := range ch.messages {
		if m.ID == sp.messageID {
			it.messageID = m.ID
			return m.apiJSON(), nil
		}
	}
	return nil, fmt.Errorf("message %s is not in channel %s", sp.messageID, ch.id)
}
