package discordtest

import "testing"

// BenchmarkParseSpec measures what the package-level cache saves each NewServer.
func BenchmarkParseSpec(b *testing.B) {
	for b.Loop() {
		if _, err := parseSpec(openapiJSON); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMatchPattern(t *testing.T) {
	t.Parallel()
	routes := routeTable()
	tests := []struct {
		method, path, want string
	}{
		{"PATCH", "/webhooks/1/tok/messages/@original", RouteEditOriginal},
		{"PATCH", "/webhooks/1/tok/messages/22", RouteEditFollowup},
		{"POST", "/webhooks/1/tok", RouteFollowup},
		{"PUT", "/applications/1/guilds/2/commands", RoutePutGuildCommands},
		{"GET", "/users/@me", RouteMe},
		{"GET", "/users/123", ""},
		{"POST", "/webhooks/1//messages", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			ep, _ := matchEndpoint(routes, tt.method, tt.path)
			got := ""
			if ep != nil {
				got = ep.route()
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
