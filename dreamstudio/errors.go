package dreamstudio

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxErrorBody bounds what is read of an error answer; real ones are a few hundred bytes.
const maxErrorBody = 64 << 10

// maxSnippet bounds how much of a body that is not the API's JSON ends up in Error.Message.
const maxSnippet = 200

// RateLimitLockout is how long the API locks a key out after it went over the rate limit, when
// its 429 says nothing of its own.
const RateLimitLockout = 60 * time.Second

// Error is a non-2xx answer of the API. Name is the API's short error class ("unauthorized",
// "invalid_sdxl_v1_dimensions", ...), empty when the body was not the API's JSON (a proxy's HTML
// page, say); Message then holds the start of the body.
type Error struct {
	Status  int
	ID      string // the API's id for this occurrence, for support requests
	Name    string
	Message string
	// RetryAfter is the wait a Retry-After header asked for, 0 without one. The API is not
	// known to send one, even with 429.
	RetryAfter time.Duration
}

// Error returns e.g. "dreamstudio: 404 not_found: The specified engine (ID x) was not found."
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("dreamstudio: ")
	b.WriteString(strconv.Itoa(e.Status))
	name := e.Name
	if name == "" {
		name = strings.ToLower(http.StatusText(e.Status))
	}
	if name != "" {
		b.WriteString(" " + name)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.ID != "" {
		b.WriteString(" (request id " + e.ID + ")")
	}
	return b.String()
}

// Temporary reports whether the same request may succeed later: the API is rate limiting (429)
// or failing (5xx).
func (e *Error) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// newError reads at most maxErrorBody of resp's body into an *Error. The API key is removed from
// everything taken from the answer, in case a server or proxy echoes it.
func (c *Client) newError(resp *http.Response) *Error {
	e := &Error{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var api struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &api) == nil && (api.Name != "" || api.Message != "") {
		e.ID, e.Name, e.Message = api.ID, api.Name, api.Message
	} else {
		e.Message = snippet(body)
	}
	e.ID = c.redact(e.ID)
	e.Name = c.redact(e.Name)
	e.Message = c.redact(e.Message)
	return e
}

func (c *Client) redact(s string) string {
	return strings.ReplaceAll(s, c.apiKey, "[redacted]")
}

// snippet is the start of a body on one line, for an error message.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(body), "\uFFFD")), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if len(s) <= maxSnippet {
		return s
	}
	cut := maxSnippet
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
