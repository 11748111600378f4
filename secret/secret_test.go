package secret_test

import (
	"net/url"
	"strings"
	"testing"

	"dreambot/secret"
	"dreambot/secret/secrettest"
)

// Secrets shaped like the real ones: an API key with letters of both cases and characters that URL
// encodings change, and Discord's bot and interaction tokens.
const (
	apiKey           = "sk-Echo/Key+Test=0123456789abcdefGHIJKLmnop"
	botToken         = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fGhIjKlMnOpQrStUvWx-Yz0123456789_AbC"
	interactionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldC10b2tlbi10aGF0LWxldHMteW91LXBvc3Q"
)

// TestRedactCutsLeaveNothing cuts an echo of each secret at every offset, as a server or proxy
// shortening its answer would: at most 7 of its characters may be left on either side.
func TestRedactCutsLeaveNothing(t *testing.T) {
	t.Parallel()
	secrets := map[string]string{"API key": apiKey, "bot token": botToken, "interaction token": interactionToken}
	for _, form := range secrettest.Echoes() {
		for name, s := range secrets {
			t.Run(name+"/"+form.Name, func(t *testing.T) {
				t.Parallel()
				echo := form.Of(s)
				for i := range len(echo) + 1 {
					got := secret.Redact("Invalid key "+echo[:i]+"… (cut); then "+echo[i:], s)
					if frag := secrettest.Leaked(got, s); frag != "" {
						t.Fatalf("cut at %d: %q shows %q", i, got, frag)
					}
				}
			})
		}
	}
}

func TestRedactKeepsTheRest(t *testing.T) {
	t.Parallel()
	tokens := []string{botToken, interactionToken}
	tests := []struct {
		name    string
		text    string
		secrets []string
		want    string
	}{
		{"nothing to redact", "HTTP 500 Internal Server Error, oops", tokens, "HTTP 500 Internal Server Error, oops"},
		{"no secret", "key " + apiKey, nil, "key " + apiKey},
		{"an empty secret", "key " + apiKey, []string{""}, "key " + apiKey},
		{"in a query", "GET /v1/user/balance?key=" + url.QueryEscape(apiKey) + "&x=1: denied", []string{apiKey},
			"GET /v1/user/balance?key=[redacted]&x=1: denied"},
		{"in a URL's path", `Patch "https://discord.com/api/v9/webhooks/1/` + interactionToken + `/messages/@original": EOF`, tokens,
			`Patch "https://discord.com/api/v9/webhooks/1/[redacted]/messages/@original": EOF`},
		{"encoded, upper case", "token=" + url.QueryEscape(strings.ToUpper(botToken)) + "&v=10", tokens, "token=[redacted]&v=10"},
		{"twice, in two cases", apiKey + " or " + strings.ToUpper(apiKey) + "?", []string{apiKey}, "[redacted] or [redacted]?"},
		{"cut by the server", "key " + apiKey[:20] + "...", []string{apiKey}, "key [redacted]..."},
		{"seven characters are left", "key " + apiKey[:7] + "...", []string{apiKey}, "key " + apiKey[:7] + "..."},
		{"a short secret is only removed whole", "sk-1 and sk-", []string{"sk-1"}, "[redacted] and sk-"},
		{"around other text", "é" + apiKey + "é", []string{apiKey}, "é[redacted]é"},
		{"empty text", "", []string{apiKey}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := secret.Redact(tt.text, tt.secrets...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
