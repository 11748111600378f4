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

	"dreambot/secret"
)

// maxErrorBody bounds what is read of an error answer; real ones are a few hundred bytes.
const maxErrorBody = 64 << 10

// maxSnippet bounds each piece of text taken from an error answer (Error.ID, Name, Message and
// each of Errors).
const maxSnippet = 200

// maxErrors bounds how many of a v2beta error's messages are kept; real ones have one or two.
const maxErrors = 10

// RateLimitLockout is how long the API locks a key out after it went over the rate limit, when
// its 429 says nothing of its own.
const RateLimitLockout = 60 * time.Second

// Error is a non-2xx answer of the API, for logs and for code that decides what to do next. v1
// answers {id, name, message} and v2beta {id, name, errors: [...]}; both become an Error.
//
// Status and RetryAfter are safe to act on. ID, Name, Message and Errors are the server's words
// (or a proxy's): each is put on one line, stripped of the API key in every form an echo could
// take and then cut to a couple of hundred bytes, which makes them fit for logs, but none of them
// is fit to show a member. To tell a member what happened, compare Status and Name with what the API
// documents (see Documented) and show a sentence of your own.
type Error struct {
	Status int
	// ID is the API's id for this occurrence, for support requests.
	ID string
	// Name is the API's short error class ("unauthorized", "invalid_sdxl_v1_dimensions", ...),
	// empty when the body was not the API's JSON error (a proxy's HTML page, say).
	Name string
	// Message is the API's explanation (v2beta's errors joined with "; "), or the start of a body
	// that was not the API's JSON.
	Message string
	// Errors holds a v2beta answer's messages, each cleaned like Message; nil for v1.
	Errors []string
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

// ContentModeration reports whether a Stable Image model's moderation refused the request (403
// content_moderation). Such a request is not charged; rewording the prompt may help.
func (e *Error) ContentModeration() bool {
	return e.Status == http.StatusForbidden && e.Name == "content_moderation"
}

// Refused reports whether the API understood the request but rejected it (422: a language other
// than English, a public figure, ...). Such a request is not charged; Name says why.
func (e *Error) Refused() bool {
	return e.Status == http.StatusUnprocessableEntity
}

// Documented reports whether Name is one of the error names the API documents, in its
// descriptions (v1 and v2beta) or its reference pages, so that a caller may name it to a member.
func (e *Error) Documented() bool {
	switch e.Name {
	case "bad_request", "unauthorized", "permission_denied", "not_found", "server_error",
		"invalid_sdxl_v1_dimensions", "invalid_sdxl_v222_dimensions", "invalid_pixel_count",
		"invalid_height_or_width", "invalid_prompts", "invalid_samples", "invalid_file_size",
		"invalid_mime_type", "invalid_image_dimensions", "invalid_mask_image",
		// v2beta
		"content_moderation", "invalid_language", "public_figure", "payload_too_large",
		"rate_limit_exceeded", "internal_error":
		return true
	}
	return false
}

// newError reads at most maxErrorBody of resp's body into an *Error.
func (c *Client) newError(resp *http.Response) *Error {
	e := &Error{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var api struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Message string   `json:"message"` // v1
		Errors  []string `json:"errors"`  // v2beta
	}
	if json.Unmarshal(body, &api) == nil && (api.Name != "" || api.Message != "" || len(api.Errors) > 0) {
		e.ID, e.Name, e.Message = c.clean(api.ID), c.clean(api.Name), c.clean(api.Message)
		for _, m := range api.Errors[:min(len(api.Errors), maxErrors)] {
			e.Errors = append(e.Errors, c.clean(m))
		}
		if api.Message == "" && len(api.Errors) > 0 {
			e.Message = c.clean(strings.Join(api.Errors, "; "))
		}
	} else {
		e.Message = c.clean(string(body))
	}
	return e
}

// clean makes text taken from an answer fit for a log line: on one line, without the API key,
// cut to maxSnippet. The key goes before the cut: a key cut in two no longer matches the key,
// and most of it would be shown.
func (c *Client) clean(s string) string {
	return cut(secret.Redact(oneLine(s), c.apiKey), maxSnippet)
}

// oneLine is s as valid UTF-8 on one line, without control characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// cut shortens s to at most n bytes and a "…", at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
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
