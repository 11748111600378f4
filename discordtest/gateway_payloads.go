package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"
)

// readyData is READY's data, shaped like Discord's for a bot. The caller holds s.mu.
func (s *Server) readyData() map[string]any {
	user := s.Bot.apiJSON()
	user["verified"], user["mfa_enabled"], user["email"] = true, false, nil
	return map[string]any{
		"v":                       s.gw.version,
		"user":                    user,
		"guilds":                  []any{map[string]any{"id": s.GuildID, "unavailable": true}},
		"session_id":              s.gw.sessionID,
		"session_type":            "normal",
		"resume_gateway_url":      s.GatewayURL,
		"application":             map[string]any{"id": s.AppID, "flags": 8953856},
		"private_channels":        []any{},
		"presences":               []any{},
		"relationships":           []any{},
		"guild_join_requests":     []any{},
		"geo_ordered_rtc_regions": []string{"us-east", "us-central", "atlanta", "us-south", "newark"},
		"user_settings":           map[string]any{},
		"auth":                    map[string]any{},
		"_trace":                  []string{`["gateway-prd-us-east1-b-0",{"micros":0.0}]`},
	}
}

// guildData is GUILD_CREATE's data for the fake's guild. The caller holds s.mu.
func (s *Server) guildData() map[string]any {
	joined := s.clock.Now().Add(-24 * time.Hour).Format(time.RFC3339Nano)
	channels := []any{}
	for i, id := range []string{s.ChannelID, s.OtherChannelID} {
		ch := s.channels[id]
		channels = append(channels, map[string]any{
			"id": ch.id, "type": 0, "name": ch.name, "position": i, "parent_id": nil, "topic": nil,
			"nsfw": false, "last_message_id": nil, "rate_limit_per_user": 0, "flags": 0,
			"permission_overwrites": []any{},
		})
	}
	return map[string]any{
		"id": s.GuildID, "name": "Dream Guild", "icon": nil, "splash": nil, "discovery_splash": nil,
		"owner_id": s.User.ID, "afk_channel_id": nil, "afk_timeout": 300, "verification_level": 0,
		"default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
		"nsfw_level": 0, "premium_tier": 0, "premium_subscription_count": 0, "features": []any{},
		"preferred_locale": "en-US", "system_channel_id": s.ChannelID, "system_channel_flags": 0,
		"rules_channel_id": nil, "public_updates_channel_id": nil, "application_id": nil,
		"vanity_url_code": nil, "description": nil, "banner": nil, "max_members": 500000,
		"joined_at": joined, "large": false, "unavailable": false, "member_count": 2,
		"roles": []any{map[string]any{
			"id": s.GuildID, "name": "@everyone", "permissions": strconv.FormatInt(DefaultMemberPermissions, 10),
			"position": 0, "color": 0, "hoist": false, "managed": false, "mentionable": false,
			"icon": nil, "unicode_emoji": nil, "flags": 0,
		}},
		"channels": channels,
		"members": []any{map[string]any{
			"user": s.Bot.apiJSON(), "roles": []any{}, "joined_at": joined, "nick": nil, "avatar": nil,
			"premium_since": nil, "deaf": false, "mute": false, "pending": false, "flags": 0,
			"communication_disabled_until": nil,
		}},
		"voice_states": []any{}, "presences": []any{}, "threads": []any{}, "stage_instances": []any{},
		"guild_scheduled_events": []any{}, "emojis": []any{}, "stickers": []any{},
	}
}

// randomHex returns n random bytes in hex, like Discord's session ids.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms.
	return hex.EncodeToString(b)
}
