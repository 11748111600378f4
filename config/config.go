// Package config reads dreambot's settings from the environment into one
// validated struct. Nothing else in dreambot reads the environment.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"dreambot/dreamstudio"
	"dreambot/settings"
)

// Config is everything an operator can set. Field comments name the variable.
type Config struct {
	DiscordToken   string // DISCORD_TOKEN
	APIKey         string // DREAMSTUDIO_API_KEY, or STABILITY_API_KEY
	APIHost        string // API_HOST
	DiscordAPIBase string // DISCORD_API_BASE; empty means https://discord.com
	GuildID        string // DISCORD_GUILD_ID; empty registers commands globally
	ImageDir       string // IMAGE_DIR
	DataDir        string // DATA_DIR

	DefaultEngine string // DEFAULT_ENGINE
	// PreferredEngines are tried, in order, when neither the operator nor
	// a server chose a default engine; not an environment variable.
	PreferredEngines []string
	AllowedEngines   []string // ALLOWED_ENGINES, comma-separated ids
	AllowDMs         bool     // ALLOW_DMS

	// StableImageModels are the ids of the Stability v2beta models offered beside the v1 engines
	// (STABLE_IMAGE_MODELS, comma-separated; default: every model dreamstudio knows; "none": none).
	StableImageModels  []string
	MaxCreditsPerImage float64 // MAX_CREDITS_PER_IMAGE: models and requests above it are not offered; 0 = no ceiling
	DailyCredits       float64 // DAILY_CREDIT_BUDGET: every server's daily credit budget unless its moderators set one; 0 = none

	DisabledFeatures []string // DISABLED_FEATURES: features off in every server (vary, upscale, image, count)
	Upscaler         string   // UPSCALER: fast (x4, 1 credit) or conservative (up to 4 MP, 25 credits)

	UserEvery   time.Duration // USER_RATE_EVERY: one image per member every ...
	UserBurst   int           // USER_RATE_BURST
	GuildEvery  time.Duration // GUILD_RATE_EVERY: one image per server every ...
	GuildBurst  int           // GUILD_RATE_BURST
	APIRequests int           // API_RATE_PER_10S: requests to Stability per 10 s, at most 150

	LowBalance float64       // LOW_BALANCE_CREDITS: /imagine pauses under this many credits; 0 = off
	BalanceTTL time.Duration // BALANCE_CACHE_TTL: how long a balance reading is trusted

	EngineCacheTTL  time.Duration // ENGINE_CACHE_TTL
	GenerateTimeout time.Duration // GENERATE_TIMEOUT
	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT

	QueueMaxPerMember int           // QUEUE_MAX_PER_MEMBER: unfinished images one member may have in a server
	QueueMaxPerGuild  int           // QUEUE_MAX_PER_GUILD: unfinished images one server may have
	QueueMaxTotal     int           // QUEUE_MAX_TOTAL: unfinished images in all
	QueueNoticeAfter  time.Duration // QUEUE_NOTICE_AFTER: a job not started by then shows its place in the queue
	QueueUpdateEvery  time.Duration // QUEUE_UPDATE_EVERY: how often that place is updated

	LogLevel  slog.Level // LOG_LEVEL: debug, info, warn, error
	LogFormat string     // LOG_FORMAT: text or json

	MetricsAddr string // METRICS_ADDR: host:port serving /metrics and /healthz; empty = off
}

// Defaults for the variables that have one.
const (
	DefaultAPIHost        = "https://api.stability.ai"
	DefaultImageDir       = "generated"
	DefaultDataDir        = "data"
	stabilityRequestLimit = 150 // per 10 s per key; over it the key is locked out for 60 s
)

// Load reads the configuration through getenv (os.Getenv in main, a map in
// tests) and fills in defaults. It reports malformed values but not missing
// credentials: which ones are needed depends on the command, see
// ValidateBot and ValidateAPI.
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := Config{
		DiscordToken:   get("DISCORD_TOKEN"),
		APIKey:         get("DREAMSTUDIO_API_KEY"),
		APIHost:        or(get("API_HOST"), DefaultAPIHost),
		DiscordAPIBase: get("DISCORD_API_BASE"),
		GuildID:        get("DISCORD_GUILD_ID"),
		ImageDir:       or(get("IMAGE_DIR"), DefaultImageDir),
		DataDir:        or(get("DATA_DIR"), DefaultDataDir),
		DefaultEngine:  get("DEFAULT_ENGINE"),
		// SDXL 1.0, else SD 1.6: the engines v1 still documents; else Stable Image Core, the cheapest v2 model.
		PreferredEngines: []string{"stable-diffusion-xl-1024-v1-0", "stable-diffusion-v1-6", "core"},
		AllowedEngines:   splitList(get("ALLOWED_ENGINES")),
		LogFormat:        strings.ToLower(or(get("LOG_FORMAT"), "text")),
	}
	if c.APIKey == "" {
		c.APIKey = get("STABILITY_API_KEY")
	}
	c.DiscordToken = strings.TrimPrefix(c.DiscordToken, "Bot ")

	var errs []error
	p := parser{get: get, errs: &errs, secrets: []string{c.DiscordToken, c.APIKey}}
	c.AllowDMs = p.bool("ALLOW_DMS", false)
	c.UserEvery = p.duration("USER_RATE_EVERY", 20*time.Second)
	c.UserBurst = p.int("USER_RATE_BURST", 2, 1, 100)
	c.GuildEvery = p.duration("GUILD_RATE_EVERY", 3*time.Second)
	c.GuildBurst = p.int("GUILD_RATE_BURST", 10, 1, 1000)
	c.APIRequests = p.int("API_RATE_PER_10S", 100, 1, stabilityRequestLimit)
	c.LowBalance = p.float("LOW_BALANCE_CREDITS", 1, 0, 1e9)
	c.StableImageModels = p.models("STABLE_IMAGE_MODELS")
	c.MaxCreditsPerImage = p.float("MAX_CREDITS_PER_IMAGE", 0, 0, 1e6)
	c.DailyCredits = p.float("DAILY_CREDIT_BUDGET", 0, 0, 1e6)
	c.DisabledFeatures = p.features("DISABLED_FEATURES")
	c.Upscaler = strings.ToLower(or(get("UPSCALER"), dreamstudio.UpscaleFast))
	if c.Upscaler != dreamstudio.UpscaleFast && c.Upscaler != dreamstudio.UpscaleConservative {
		p.fail("UPSCALER", c.Upscaler, "fast or conservative")
	}
	c.BalanceTTL = p.duration("BALANCE_CACHE_TTL", 5*time.Minute)
	c.EngineCacheTTL = p.duration("ENGINE_CACHE_TTL", 10*time.Minute)
	// A job must be able to wait a while and still finish within Discord's
	// 15 minutes.
	c.GenerateTimeout = p.durationIn("GENERATE_TIMEOUT", 2*time.Minute, 5*time.Second, 10*time.Minute)
	// docker stop waits 10 s before SIGKILL: finish or hand back work within it.
	c.ShutdownTimeout = p.duration("SHUTDOWN_TIMEOUT", 8*time.Second)
	c.QueueMaxPerMember = p.int("QUEUE_MAX_PER_MEMBER", 4, 1, 1000)
	c.QueueMaxPerGuild = p.int("QUEUE_MAX_PER_GUILD", 50, 1, 100000)
	c.QueueMaxTotal = p.int("QUEUE_MAX_TOTAL", 1000, 1, 100000)
	c.QueueNoticeAfter = p.duration("QUEUE_NOTICE_AFTER", 2*time.Second)
	// Discord lets an interaction's message be edited about 5 times in 5 s.
	c.QueueUpdateEvery = p.durationIn("QUEUE_UPDATE_EVERY", 5*time.Second, time.Second, 10*time.Minute)
	if err := c.LogLevel.UnmarshalText([]byte(or(get("LOG_LEVEL"), "info"))); err != nil {
		p.fail("LOG_LEVEL", get("LOG_LEVEL"), "one of debug, info, warn, error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		p.fail("LOG_FORMAT", c.LogFormat, "text or json")
	}
	c.MetricsAddr = p.hostPort("METRICS_ADDR")
	p.url("API_HOST", c.APIHost)
	if c.DiscordAPIBase != "" {
		p.url("DISCORD_API_BASE", c.DiscordAPIBase)
	}
	return c, errors.Join(errs...)
}

// ValidateAPI checks what talking to Stability needs (the shell commands).
func (c Config) ValidateAPI() error {
	if c.APIKey == "" {
		return missing("DREAMSTUDIO_API_KEY (or STABILITY_API_KEY)")
	}
	return nil
}

// ValidateBot checks what running the Discord bot needs.
func (c Config) ValidateBot() error {
	var errs []error
	if c.DiscordToken == "" {
		errs = append(errs, missing("DISCORD_TOKEN"))
	}
	if err := c.ValidateAPI(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func missing(name string) error {
	return fmt.Errorf("%s is not set: copy .env.example to .env and fill it in, or set it in the environment", name)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parser reads typed values and collects every problem, so an operator
// sees all mistakes at once. Its errors quote bad values, except those
// that hold a secret: they end up in terminals, logs and bug reports.
type parser struct {
	get     func(string) string
	errs    *[]error
	secrets []string // DISCORD_TOKEN and the API key
}

func (p parser) fail(name, v, want string) {
	*p.errs = append(*p.errs, fmt.Errorf("%s: %s is not %s", name, p.quote(v), want))
}

// url checks a base URL. Credentials in it would not be used (the API key
// and the bot token travel in headers) and would be written into every
// transport error, so they are refused, and never quoted.
func (p parser) url(name, raw string) {
	u, err := url.Parse(raw)
	switch {
	case p.holdsSecret(raw):
		*p.errs = append(*p.errs, fmt.Errorf("%s: must not hold the API key or the Discord token: "+
			"they are set on their own", name))
	case err == nil && u.User != nil:
		*p.errs = append(*p.errs, fmt.Errorf("%s: must not hold a user name or password (user:password@host): "+
			"remove them; the API key and the Discord token are set on their own", name))
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		p.fail(name, raw, "an http(s) URL like https://host")
	}
}

// quote is v quoted for an error message, or a note that it is not shown
// when it holds a secret or credentials (user:password@ in a URL, which
// may not even parse).
func (p parser) quote(v string) string {
	if strings.Contains(v, "@") || p.holdsSecret(v) {
		return "the value (not shown: it may hold credentials)"
	}
	return strconv.Quote(v)
}

// holdsSecret reports whether v holds a run of minFragment characters of a
// secret, in any letter case and percent-encoded or not. Shorter secrets
// are not real ones (tests use them) and would match almost anything.
func (p parser) holdsSecret(v string) bool {
	const minFragment = 8
	forms := []string{strings.ToLower(v)}
	for _, unescape := range []func(string) (string, error){url.QueryUnescape, url.PathUnescape} {
		if u, err := unescape(v); err == nil {
			forms = append(forms, strings.ToLower(u))
		}
	}
	for _, secret := range p.secrets {
		secret = strings.ToLower(secret)
		for i := 0; i+minFragment <= len(secret); i++ {
			for _, f := range forms {
				if strings.Contains(f, secret[i:i+minFragment]) {
					return true
				}
			}
		}
	}
	return false
}

func (p parser) duration(name string, def time.Duration) time.Duration {
	v := p.get(name)
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second // a bare number means seconds
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, v, "a positive duration such as 20s or 2m")
		return def
	}
	return d
}

// durationIn is duration with bounds.
func (p parser) durationIn(name string, def, lo, hi time.Duration) time.Duration {
	d := p.duration(name, def)
	if d < lo || d > hi {
		p.fail(name, p.get(name), fmt.Sprintf("a duration from %s to %s", lo, hi))
		return def
	}
	return d
}

func (p parser) int(name string, def, lo, hi int) int {
	v := p.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(name, v, fmt.Sprintf("a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

func (p parser) float(name string, def, lo, hi float64) float64 {
	v := p.get(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < lo || f > hi {
		p.fail(name, v, fmt.Sprintf("a number from %g to %g", lo, hi))
		return def
	}
	return f
}

// features reads a list of features to turn off.
func (p parser) features(name string) []string {
	var out []string
	for _, f := range splitList(strings.ToLower(p.get(name))) {
		if err := settings.ValidateFeature(f); err != nil {
			p.fail(name, f, "a feature ("+strings.Join(settings.Features(), ", ")+")")
			continue
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// models reads a list of Stable Image model ids: empty means all of them, "none" none.
func (p parser) models(name string) []string {
	known := []string{}
	for _, m := range dreamstudio.StableImageModels() {
		known = append(known, m.ID)
	}
	v := p.get(name)
	switch {
	case v == "":
		return known
	case strings.EqualFold(v, "none"):
		return []string{}
	}
	var out []string
	for _, id := range splitList(v) {
		if !slices.Contains(known, id) {
			p.fail(name, id, "a Stable Image model ("+strings.Join(known, ", ")+`, or "none")`)
			continue
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// hostPort reads an address to listen on, such as 127.0.0.1:9090 or :9090; "" when unset.
func (p parser) hostPort(name string) string {
	v := p.get(name)
	if v == "" {
		return ""
	}
	_, port, err := net.SplitHostPort(v)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		p.fail(name, v, "an address to listen on, host:port, such as 127.0.0.1:9090")
		return ""
	}
	return v
}

func (p parser) bool(name string, def bool) bool {
	v := p.get(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, v, "true or false")
		return def
	}
	return b
}
