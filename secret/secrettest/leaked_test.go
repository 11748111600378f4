package secrettest_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"dreambot/secret/secrettest"
)

// Secrets shaped like an API key and a Discord bot token.
const (
	key   = "sk-Echo/Key+Test=0123456789abcdefGHIJKLmnop"
	token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fGhIjKlMnOpQrStUvWx-Yz0123456789_AbC"
)

// TestLeakedFindsEveryEcho checks the checker: every echo of a secret, and a run of 8 of its
// characters that a cut leaves, is found.
func TestLeakedFindsEveryEcho(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{key, token} {
		for _, e := range secrettest.Echoes() {
			echo, cut := e.Of(secret), secret[10:18]
			if got := secrettest.Leaked("said: "+echo+".", secret); got == "" {
				t.Errorf("%s: Leaked(%q) = \"\", want a run of the secret", e.Name, echo)
			}
			if i := strings.Index(echo, cut); i >= 0 {
				if got := secrettest.Leaked("cut: "+echo[i:i+8]+"…", secret); got != cut {
					t.Errorf("%s: got %q, want %q", e.Name, got, cut)
				}
			}
		}
	}
}

// TestLeakedFindsCutEncodings shows Leaked 8 characters of an encoding of the key: too few to
// decode, but 4 or 6 of its bytes.
func TestLeakedFindsCutEncodings(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"hex 2d4563686f2f4b…", // "-Echo/K"
		"base64 " + base64.StdEncoding.EncodeToString([]byte(key))[8:16] + "…", // bytes 6 to 11
		"base64url " + base64.URLEncoding.EncodeToString([]byte("x" + key))[12:20],
	} {
		if got := secrettest.Leaked(text, key); got == "" {
			t.Errorf("Leaked(%q) = \"\", want a run of the key's encoding", text)
		}
	}
}

func TestLeakedFindsNothingElse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, secret string
	}{
		{"other text", "Incorrect API key provided: [redacted]; see https://example.com/docs", key},
		{"seven characters", "key " + key[:7] + "… and …" + key[len(key)-7:], key},
		{"hex cut to seven", "key 736b2d4…", key},
		{"empty secret", "anything", ""},
		{"short secret, cut", "sk-", "sk-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := secrettest.Leaked(tt.text, tt.secret); got != "" {
				t.Errorf("got %q, want \"\"", got)
			}
		})
	}
	if got := secrettest.Leaked("key sk-1.", "sk-1"); got != "sk-1" {
		t.Errorf("a short secret shown whole: got %q, want %q", got, "sk-1")
	}
}
