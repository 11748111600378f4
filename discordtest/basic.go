package discordtest

import "net/http"

func (s *Server) getGateway(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]any{"url": s.GatewayURL})
}

func (s *Server) getGatewayBot(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]any{
		"url": s.GatewayURL, "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	})
}

func (s *Server) getMe(c *call) {
	u := s.Bot.apiJSON()
	u["verified"], u["mfa_enabled"], u["email"], u["locale"] = true, false, nil, "en-US"
	writeJSON(c.w, http.StatusOK, u)
}

// getApplication serves both /applications/@me and /oauth2/applications/@me.
func (s *Server) getApplication(c *call) {
	owner := s.User.apiJSON()
	writeJSON(c.w, http.StatusOK, map[string]any{
		"id": s.AppID, "name": s.Bot.Username, "icon": nil, "description": "", "summary": "",
		"type": nil, "bot_public": true, "bot_require_code_grant": false, "verify_key": randomHex(32),
		"flags": 8953856, "hook": true, "is_monetized": false, "team": nil, "owner": owner,
		"bot": s.Bot.apiJSON(), "tags": []any{}, "redirect_uris": []any{},
		"interactions_endpoint_url": nil, "role_connections_verification_url": nil,
		"approximate_guild_count": 1, "approximate_user_install_count": 0,
		"approximate_user_authorization_count": 0, "explicit_content_filter": 0,
		"flags_new": "8953856", "eligible_oauth2_scopes": []any{"applications.commands", "bot"},
		"integration_types_config": map[string]any{"0": map[string]any{}},
	})
}
