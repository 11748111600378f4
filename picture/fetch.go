package picture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Fetch downloads a Discord attachment at rawURL and returns its bytes.
//
// Only https URLs whose host (host[:port], exactly) is in allowed are fetched, such as
// "cdn.discordapp.com" and "media.discordapp.net". An entry written with an explicit
// "http://" prefix, such as "http://127.0.0.1:41234", also allows plain http to that host:
// the fake Discord of the tests serves attachments that way. A URL that is refused is never
// contacted, and redirects are followed only to allowed URLs. The body may have at most
// maxBytes bytes: a larger Content-Length is refused before the body is read, and a body
// without one is cut at maxBytes+1. ctx bounds the whole download.
//
// hc must send requests where their URL says: not the bot's discordgo client, whose transport
// rewrites every host. Errors are *Error.
func Fetch(ctx context.Context, hc *http.Client, rawURL string, allowed []string, maxBytes int64) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &Error{Reason: "the picture's address is not a valid URL", Err: err}
	}
	if err := checkHost(u, allowed); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Reason: "the picture's address is not a valid URL", Err: err}
	}
	client := guarded(hc, allowed)
	resp, err := client.Do(req)
	if err != nil {
		return nil, downloadError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &Error{Reason: "Discord did not hand over the picture; it may have expired, so please attach it again",
			Err: fmt.Errorf("GET %s: %s", u.Redacted(), resp.Status)}
	}
	tooLarge := &Error{Reason: "the picture is larger than " + sizeText(maxBytes)}
	if resp.ContentLength > maxBytes {
		tooLarge.Err = fmt.Errorf("content-length %d", resp.ContentLength)
		return nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, downloadError(err)
	}
	if int64(len(data)) > maxBytes {
		return nil, tooLarge
	}
	return data, nil
}

// checkHost refuses u unless its scheme and host are allowed (see Fetch).
func checkHost(u *url.URL, allowed []string) error {
	if u.User == nil && u.Host != "" {
		for _, a := range allowed {
			host, plain := strings.CutPrefix(a, "http://")
			host = strings.TrimPrefix(host, "https://")
			if strings.EqualFold(u.Host, host) && (u.Scheme == "https" || plain && u.Scheme == "http") {
				return nil
			}
		}
	}
	return &Error{Reason: "pictures can only come from Discord's own attachment hosts",
		Err: fmt.Errorf("refused %s", u.Redacted())}
}

// guarded returns a copy of hc that follows a redirect only to an allowed URL, and then
// applies hc's own redirect policy (by default, at most 10 redirects).
func guarded(hc *http.Client, allowed []string) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkHost(req.URL, allowed); err != nil {
			return err
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}

// downloadError turns a failed request or read into an *Error, keeping one that a redirect
// check already made.
func downloadError(err error) error {
	var pe *Error
	switch {
	case errors.As(err, &pe):
		return pe
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Reason: "downloading the picture from Discord took too long", Err: err}
	default:
		return &Error{Reason: "the picture could not be downloaded from Discord", Err: err}
	}
}
