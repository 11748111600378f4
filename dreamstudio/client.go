// Package dreamstudio is a client for the Stability AI REST API (DreamStudio): listing the v1
// engines, generating images from text, or from a picture (Params.Init), with a v1 engine or a
// v2beta Stable Image model (Ultra, Core, SD 3.x), which it offers as engines too, upscaling
// pictures (CheckUpscale, Client.Upscale), and reading the account's credit balance. It
// also knows the API's rules (sizes per engine, aspect ratios, prompt length, parameter ranges,
// prices) so requests can be checked before they spend credits: CheckParams takes one set of
// Params for either kind of model, so callers never branch on the API version. It knows nothing
// of Discord.
package dreamstudio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"golang.org/x/time/rate"
)

// Default timeouts for one call, waiting for the rate limiter included.
const (
	DefaultMetadataTimeout = 15 * time.Second
	DefaultGenerateTimeout = 120 * time.Second
)

// The default limiter stays under the API's 150 requests per 10 seconds: a bucket of 10 refilled
// at 14 per second admits at most 10 + 14*10 = 150 requests in any 10 second window.
const (
	defaultRate  rate.Limit = 14
	defaultBurst            = 10
)

const defaultUserAgent = "dreamstudio-go"

// Client calls the Stability API. It is safe for concurrent use.
type Client struct {
	baseURL         *url.URL // always ends in "/"
	apiKey          string
	httpClient      *http.Client
	limiter         Limiter
	userAgent       string
	metadataTimeout time.Duration
	generateTimeout time.Duration
	maxImageBytes   int64
	memory          *memoryBudget // shared by all of the client's image downloads
	observer        Observer      // nil: nothing observes
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client used for every request; the default is a new http.Client
// (timeouts come from contexts, not from the client).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.httpClient = hc }
}

// Limiter is waited on before every request; *rate.Limiter is one. It returns an error when the
// request may not be sent (ctx ended first, or the wait would outlast its deadline).
type Limiter interface {
	Wait(ctx context.Context) error
}

// WithLimiter sets the limiter waited on before every request. Share one limiter between all
// clients that use the same key. A nil limiter disables throttling: for a client whose callers
// take their turn from the key's budget themselves.
func WithLimiter(l Limiter) Option {
	return func(c *Client) {
		if l == nil {
			l = rate.NewLimiter(rate.Inf, 0)
		}
		c.limiter = l
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.userAgent = ua }
}

// WithTimeouts sets the time allowed for a metadata call (engines, balance) and for a generation.
func WithTimeouts(metadata, generate time.Duration) Option {
	return func(c *Client) { c.metadataTimeout, c.generateTimeout = metadata, generate }
}

// New returns a client for the API at baseURL (such as "https://api.stability.ai") that
// authenticates with apiKey. Without WithLimiter it throttles itself to the API's rate limit.
func New(baseURL, apiKey string, opts ...Option) (*Client, error) {
	u, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if err := checkKey(apiKey); err != nil {
		return nil, err
	}
	c := &Client{
		baseURL:         u,
		apiKey:          apiKey,
		httpClient:      &http.Client{},
		limiter:         rate.NewLimiter(defaultRate, defaultBurst),
		userAgent:       defaultUserAgent,
		metadataTimeout: DefaultMetadataTimeout,
		generateTimeout: DefaultGenerateTimeout,
		maxImageBytes:   MaxImageBytes,
		memory:          newMemoryBudget(DefaultMaxImageBytesInFlight),
	}
	for _, opt := range opts {
		opt(c)
	}
	if c.httpClient == nil {
		return nil, errors.New("dreamstudio: nil http client")
	}
	if c.metadataTimeout <= 0 || c.generateTimeout <= 0 {
		return nil, errors.New("dreamstudio: timeouts must be positive")
	}
	if c.memory.limit < c.maxImageBytes {
		return nil, fmt.Errorf("dreamstudio: %d image bytes in flight is less than one image may take (%d)",
			c.memory.limit, c.maxImageBytes)
	}
	return c, nil
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("dreamstudio: base url is not a URL") // url.Error would echo it
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("dreamstudio: base url: scheme must be http or https") // the URL may hold credentials: not echoed
	case u.Host == "":
		return nil, errors.New("dreamstudio: base url: no host")
	case u.User != nil:
		// Credentials in the URL would show up in every transport error.
		return nil, errors.New("dreamstudio: base url must not contain credentials")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, errors.New("dreamstudio: base url: no query or fragment allowed")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// checkKey refuses keys that cannot travel in a header. Its errors never include the key.
func checkKey(key string) error {
	if key == "" {
		return errors.New("dreamstudio: empty api key")
	}
	if strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return errors.New("dreamstudio: api key contains spaces or control characters")
	}
	return nil
}
