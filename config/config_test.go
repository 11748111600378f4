package config_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"dreambot/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIHost != "https://api.stability.ai" || c.ImageDir != "generated" || c.DataDir != "data" {
		t.Errorf("defaults: got %+v", c)
	}
	if c.UserEvery != 20*time.Second || c.UserBurst != 2 || c.APIRequests > 150 {
		t.Errorf("rate defaults: got every %v burst %d api %d", c.UserEvery, c.UserBurst, c.APIRequests)
	}
}

func TestLoadValues(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"DISCORD_TOKEN": "Bot abc", "STABILITY_API_KEY": "sk-alias", "ALLOWED_ENGINES": " a, b ,,c ",
		"USER_RATE_EVERY": "45", "GUILD_RATE_EVERY": "1m30s", "ALLOW_DMS": "true", "LOG_LEVEL": "debug",
		"DISCORD_API_BASE": "http://127.0.0.1:9999",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DiscordToken != "abc" {
		t.Errorf("token %q: the Bot prefix should be dropped", c.DiscordToken)
	}
	if c.APIKey != "sk-alias" {
		t.Errorf("STABILITY_API_KEY alias not used: %q", c.APIKey)
	}
	if strings.Join(c.AllowedEngines, "|") != "a|b|c" {
		t.Errorf("allowed engines %q", c.AllowedEngines)
	}
	if c.UserEvery != 45*time.Second || c.GuildEvery != 90*time.Second || !c.AllowDMs {
		t.Errorf("got %v %v %v", c.UserEvery, c.GuildEvery, c.AllowDMs)
	}
	if err := c.ValidateBot(); err != nil {
		t.Errorf("ValidateBot: %v", err)
	}
}

func TestDreamstudioKeyWinsOverAlias(t *testing.T) {
	t.Parallel()
	c, _ := config.Load(env(map[string]string{"DREAMSTUDIO_API_KEY": "main", "STABILITY_API_KEY": "alias"}))
	if c.APIKey != "main" {
		t.Errorf("got %q, want DREAMSTUDIO_API_KEY's value", c.APIKey)
	}
}

func TestLoadReportsEveryBadValue(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{
		"USER_RATE_EVERY": "soon", "USER_RATE_BURST": "0", "API_RATE_PER_10S": "500",
		"API_HOST": "api.stability.ai", "LOG_LEVEL": "loud", "ALLOW_DMS": "maybe", "GENERATE_TIMEOUT": "20m", "QUEUE_UPDATE_EVERY": "100ms",
	}))
	if err == nil {
		t.Fatal("bad values accepted")
	}
	for _, name := range []string{"USER_RATE_EVERY", "USER_RATE_BURST", "API_RATE_PER_10S", "API_HOST", "LOG_LEVEL", "ALLOW_DMS", "GENERATE_TIMEOUT", "QUEUE_UPDATE_EVERY"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}

func TestValidateNamesMissingVariables(t *testing.T) {
	t.Parallel()
	c, _ := config.Load(env(nil))
	err := c.ValidateBot()
	if err == nil {
		t.Fatal("missing credentials accepted")
	}
	for _, want := range []string{"DISCORD_TOKEN", "DREAMSTUDIO_API_KEY", ".env.example"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
	if err := c.ValidateAPI(); err == nil || strings.Contains(err.Error(), "DISCORD_TOKEN") {
		t.Errorf("ValidateAPI = %v, want only the API key named", err)
	}
}

// TestErrorsNeverShowSecrets gives variables values that hold the API key, the Discord token or
// other credentials: the errors name the variable but quote none of them.
func TestErrorsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	const (
		key   = "sk-Config/Key+Secret0123456789"
		token = "MTIzNDU2Nzg5MDEy.GaBcDe.fGhIjKlMnOpQrStUvWx"
		other = "pass-word-1234"
	)
	tests := []struct {
		name, variable, value string
	}{
		{"password in API_HOST", "API_HOST", "ftp://user:" + key + "@api.stability.ai"},
		{"password in an http API_HOST", "API_HOST", "https://user:" + key + "@api.stability.ai"},
		{"key as the user name", "API_HOST", "https://" + url.QueryEscape(key) + "@api.stability.ai"},
		{"other credentials", "API_HOST", "ftp://user:" + other + "@api.stability.ai"},
		{"other credentials, no scheme", "API_HOST", "user:" + other + "@api.stability.ai"},
		{"credentials in a URL that does not parse", "API_HOST", "https://user:" + other + "@api.stability.ai/%zz"},
		{"key as a port", "API_HOST", "https://api.stability.ai:" + key},
		{"key pasted as API_HOST", "API_HOST", key},
		{"key in lower case", "API_HOST", strings.ToLower(key)},
		{"key percent-encoded", "API_HOST", url.QueryEscape(key)},
		{"key in a valid URL's query", "API_HOST", "https://api.stability.ai/?key=" + url.QueryEscape(key)},
		{"token in a valid URL's path", "DISCORD_API_BASE", "https://proxy.example/" + token},
		{"token in DISCORD_API_BASE", "DISCORD_API_BASE", "https://bot:" + token + "@discord.example"},
		{"token pasted as DISCORD_API_BASE", "DISCORD_API_BASE", token},
		{"key as LOG_LEVEL", "LOG_LEVEL", key},
		{"token as LOG_FORMAT", "LOG_FORMAT", token},
		{"token as USER_RATE_EVERY", "USER_RATE_EVERY", token},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(env(map[string]string{"DREAMSTUDIO_API_KEY": key, "DISCORD_TOKEN": "Bot " + token, tt.variable: tt.value}))
			if err == nil {
				t.Fatalf("%s=%s accepted", tt.variable, tt.value)
			}
			if !strings.Contains(err.Error(), tt.variable) {
				t.Errorf("error does not name %s: %v", tt.variable, err)
			}
			msg := strings.ToLower(err.Error())
			for _, secret := range []string{key, token, other} {
				for i := 0; i+8 <= len(secret); i++ {
					if w := strings.ToLower(secret[i : i+8]); strings.Contains(msg, w) {
						t.Fatalf("error shows %q of a secret: %v", secret[i:i+8], err)
					}
				}
			}
		})
	}
}

func TestErrorsQuoteHarmlessValues(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"DREAMSTUDIO_API_KEY": "sk-key-0123456789", "API_HOST": "api.stability.ai", "LOG_LEVEL": "loud"}))
	for _, want := range []string{`API_HOST: "api.stability.ai" is not an http(s) URL`, `LOG_LEVEL: "loud" is not one of`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to contain %s", err, want)
		}
	}
}
