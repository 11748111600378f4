package dreamstudiotest

import "time"

// DefaultKey is the API key a Server accepts unless WithKey says otherwise.
const DefaultKey = "sk-dreamstudiotest-0123456789abcdef"

// The real API's rate limit: 150 requests per 10 seconds per key, then a 60 second lockout.
const (
	DefaultRateLimit  = 150
	DefaultRateWindow = 10 * time.Second
	DefaultLockout    = 60 * time.Second
)

// Option configures a Server.
type Option func(*config)

type config struct {
	key         string
	now         func() time.Time
	limit       int
	window      time.Duration
	lockout     time.Duration
	latency     time.Duration
	engines     []Engine
	balance     float64
	strictRules bool
}

func defaultConfig() config {
	return config{
		key:     DefaultKey,
		now:     time.Now,
		limit:   DefaultRateLimit,
		window:  DefaultRateWindow,
		lockout: DefaultLockout,
		engines: DefaultEngines(),
		balance: 100,
	}
}

// WithKey sets the API key the server accepts as "Authorization: Bearer <key>".
func WithKey(key string) Option {
	return func(c *config) { c.key = key }
}

// WithClock sets the clock the rate limiter reads, so tests can move time instead of waiting.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithRateLimit changes the rate limit: at most limit requests per window, then every request is
// answered 429 for lockout. A limit of 0 or less turns rate limiting off.
func WithRateLimit(limit int, window, lockout time.Duration) Option {
	return func(c *config) { c.limit, c.window, c.lockout = limit, window, lockout }
}

// WithLatency makes every generation take at least d of real time (or until the client gives up).
// Prefer Server.Hold in tests: it blocks generations without depending on the wall clock.
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// WithEngines sets the engines the server lists and generates with, instead of DefaultEngines.
func WithEngines(engines ...Engine) Option {
	return func(c *config) { c.engines = append([]Engine(nil), engines...) }
}

// WithBalance sets the credits GET /v1/user/balance reports before any image is generated; the
// default is 100. Each image generated takes its price from them (see Server.Balance).
func WithBalance(credits float64) Option {
	return func(c *config) { c.balance = credits }
}

// WithStrictRules makes a text-to-image request that breaks a rule the description only states
// in prose (per-engine sizes, samples with image/png, blank prompts) fail the test too, not just
// get the real API's 400 answer. Use it where the code under test is expected to validate before
// spending credits. Image-to-image and v2beta requests are always held to their rules: a client
// that sends a picture has had every chance to check it.
func WithStrictRules() Option {
	return func(c *config) { c.strictRules = true }
}
