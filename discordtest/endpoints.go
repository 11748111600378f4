package discordtest

import "strings"

// Routes of the endpoints the fake serves, as Request.Route and FailNext write them: the
// method and the path template of Discord's OpenAPI description (relative to /api/v10).
const (
	RouteGateway            = "GET /gateway"
	RouteGatewayBot         = "GET /gateway/bot"
	RouteMe                 = "GET /users/@me"
	RouteApplication        = "GET /applications/@me"
	RouteOAuth2Application  = "GET /oauth2/applications/@me"
	RouteGlobalCommands     = "GET /applications/{application_id}/commands"
	RoutePutGlobalCommands  = "PUT /applications/{application_id}/commands"
	RoutePostGlobalCommand  = "POST /applications/{application_id}/commands"
	RouteGlobalCommand      = "GET /applications/{application_id}/commands/{command_id}"
	RoutePatchGlobalCommand = "PATCH /applications/{application_id}/commands/{command_id}"
	RouteDelGlobalCommand   = "DELETE /applications/{application_id}/commands/{command_id}"
	RouteGuildCommands      = "GET /applications/{application_id}/guilds/{guild_id}/commands"
	RoutePutGuildCommands   = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
	RoutePostGuildCommand   = "POST /applications/{application_id}/guilds/{guild_id}/commands"
	RouteGuildCommand       = "GET /applications/{application_id}/guilds/{guild_id}/commands/{command_id}"
	RoutePatchGuildCommand  = "PATCH /applications/{application_id}/guilds/{guild_id}/commands/{command_id}"
	RouteDelGuildCommand    = "DELETE /applications/{application_id}/guilds/{guild_id}/commands/{command_id}"
	RouteCallback           = "POST /interactions/{interaction_id}/{interaction_token}/callback"
	RouteGetOriginal        = "GET /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	RouteEditOriginal       = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	RouteDeleteOriginal     = "DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	RouteFollowup           = "POST /webhooks/{webhook_id}/{webhook_token}"
	RouteGetFollowup        = "GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
	RouteEditFollowup       = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
	RouteDeleteFollowup     = "DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
	RouteChannelMessages    = "GET /channels/{channel_id}/messages"
	RouteCreateMessage      = "POST /channels/{channel_id}/messages"
)

// endpoint is one route the fake serves.
type endpoint struct {
	method, pattern string
	// auth is true when the route needs the bot token; webhook routes use their own token.
	auth bool
	// normalise, if set, adjusts the decoded body before OpenAPI validation.
	normalise func(body any)
	// rules, if set, adds the checks the OpenAPI description misses.
	rules  func(s *Server, c *call, f *formErrors)
	handle func(s *Server, c *call)
}

func (e *endpoint) route() string { return e.method + " " + e.pattern }

// routeTable lists the routes; literal segments such as @original come before the templates
// that would also match them.
func routeTable() []*endpoint {
	return []*endpoint{
		{method: "GET", pattern: "/gateway", handle: (*Server).getGateway},
		{method: "GET", pattern: "/gateway/bot", auth: true, handle: (*Server).getGatewayBot},
		{method: "GET", pattern: "/users/@me", auth: true, handle: (*Server).getMe},
		{method: "GET", pattern: "/applications/@me", auth: true, handle: (*Server).getApplication},
		{method: "GET", pattern: "/oauth2/applications/@me", auth: true, handle: (*Server).getApplication},

		{method: "GET", pattern: "/applications/{application_id}/commands", auth: true, handle: (*Server).listCommands},
		{method: "PUT", pattern: "/applications/{application_id}/commands", auth: true, normalise: normaliseCommands, rules: commandListRules, handle: (*Server).putCommands},
		{method: "POST", pattern: "/applications/{application_id}/commands", auth: true, normalise: normaliseOne, rules: commandRules(false), handle: (*Server).postCommand},
		{method: "GET", pattern: "/applications/{application_id}/commands/{command_id}", auth: true, handle: (*Server).getCommand},
		{method: "PATCH", pattern: "/applications/{application_id}/commands/{command_id}", auth: true, normalise: normaliseOne, rules: commandRules(true), handle: (*Server).patchCommand},
		{method: "DELETE", pattern: "/applications/{application_id}/commands/{command_id}", auth: true, handle: (*Server).deleteCommand},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, handle: (*Server).listCommands},
		{method: "PUT", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, normalise: normaliseCommands, rules: commandListRules, handle: (*Server).putCommands},
		{method: "POST", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, normalise: normaliseOne, rules: commandRules(false), handle: (*Server).postCommand},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", auth: true, handle: (*Server).getCommand},
		{method: "PATCH", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", auth: true, normalise: normaliseOne, rules: commandRules(true), handle: (*Server).patchCommand},
		{method: "DELETE", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", auth: true, handle: (*Server).deleteCommand},

		{method: "POST", pattern: "/interactions/{interaction_id}/{interaction_token}/callback", rules: callbackRules, handle: (*Server).callback},
		{method: "GET", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", handle: (*Server).getWebhookMessage},
		{method: "PATCH", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", rules: messageRules, handle: (*Server).editWebhookMessage},
		{method: "DELETE", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", handle: (*Server).deleteWebhookMessage},
		{method: "POST", pattern: "/webhooks/{webhook_id}/{webhook_token}", rules: messageRules, handle: (*Server).followup},
		{method: "GET", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", handle: (*Server).getWebhookMessage},
		{method: "PATCH", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", rules: messageRules, handle: (*Server).editWebhookMessage},
		{method: "DELETE", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", handle: (*Server).deleteWebhookMessage},

		{method: "GET", pattern: "/channels/{channel_id}/messages", auth: true, handle: (*Server).listMessages},
		{method: "POST", pattern: "/channels/{channel_id}/messages", auth: true, rules: messageRules, handle: (*Server).createMessage},
	}
}

// matchEndpoint finds the endpoint for method and path (relative to /api/vN).
func matchEndpoint(routes []*endpoint, method, path string) (*endpoint, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, ep := range routes {
		if ep.method != method {
			continue
		}
		if params, ok := matchPattern(ep.pattern, segs); ok {
			return ep, params
		}
	}
	return nil, nil
}

// matchPattern matches path segments against a template whose {name} segments match any
// non-empty segment.
func matchPattern(pattern string, segs []string) (map[string]string, bool) {
	pats := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(pats) != len(segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range pats {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
