package bot

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// maxIdleConnsPerHost is how many idle connections to Discord the bot keeps.
// Every answer goes to the one host, discord.com: with net/http's default of
// 2, a burst of interactions opens, and then closes, a connection for nearly
// each of them.
const maxIdleConnsPerHost = 128

// newTransport returns net/http's default transport, keeping
// maxIdleConnsPerHost idle connections to each host.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = max(t.MaxIdleConns, maxIdleConnsPerHost)
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	return t
}

// rebase is an http.RoundTripper that sends every request to base instead
// of the host discordgo wrote into its URL (always https://discord.com), so
// a REST proxy or a fake Discord can stand in for the real one.
type rebase struct {
	base *url.URL
	next http.RoundTripper
}

// NewRebaseTransport returns a transport that rewrites each request's
// scheme and host to those of base (and prefixes base's path, if any).
func NewRebaseTransport(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errors.New("discord api base is not an http(s) URL") // it may hold credentials: not echoed
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &rebase{base: u, next: next}, nil
}

func (t *rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL = rebaseURL(t.base, r.URL)
	r.Host = t.base.Host
	return t.next.RoundTrip(r)
}

// rebaseURL returns u with base's scheme and host, and base's path, if any, before its own.
func rebaseURL(base, u *url.URL) *url.URL {
	v := *u
	v.Scheme, v.Host = base.Scheme, base.Host
	if p := strings.TrimSuffix(base.Path, "/"); p != "" {
		v.Path = p + v.Path
		v.RawPath = ""
	}
	return &v
}
