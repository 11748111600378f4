package dreamstudio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dreambot/secret/secrettest"
)

// echoKey is an API key with letters of both cases and characters that URL encodings change.
const echoKey = "sk-Echo/Key+Test=0123456789abcdefGHIJKLmnop"

// TestErrorsNeverShowTheKey has a server echo the API key in every form, in the API's JSON error
// and in a page that the client cuts at every offset of the echo. No run of 8 of the key's
// characters may reach the error's text or its log line.
func TestErrorsNeverShowTheKey(t *testing.T) {
	t.Parallel()
	for _, form := range secrettest.Echoes() {
		t.Run(form.Name, func(t *testing.T) {
			t.Parallel()
			c, answer := newEchoServer(t, echoKey)
			echo := form.Of(echoKey)
			message, _ := json.Marshal(map[string]string{"id": "x", "name": "unauthorized", "message": "Incorrect API key provided: " + echo})
			v2Message, _ := json.Marshal(map[string]any{"id": "x", "name": "unauthorized",
				"errors": []string{"Incorrect API key provided: " + echo, strings.Repeat("y", maxSnippet-8) + echo}})
			answers := map[string]echoAnswer{
				"JSON message": {status: 401, contentType: "application/json", body: message},
				"JSON message, as sent": {status: 401, contentType: "application/json",
					body: []byte(`{"id":"x","name":"unauthorized","message":"Incorrect API key provided: ` + echo + `"}`)},
				"v2 errors": {status: 401, contentType: "application/json", body: v2Message},
				"v2 errors, as sent": {status: 401, contentType: "application/json",
					body: []byte(`{"id":"x","name":"unauthorized","errors":["Incorrect API key provided: ` + echo + `","key ` + echo + `"]}`)},
			}
			for i := range min(len(echo), maxSnippet) + 1 {
				answers[fmt.Sprintf("page cut at %d", i)] = echoAnswer{status: 400, contentType: "text/html",
					body: []byte(strings.Repeat("x", maxSnippet-i) + echo + " <b>end</b>")}
			}
			for name, a := range answers {
				answer <- a
				_, err := c.Balance(t.Context())
				var apiErr *Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s: err = %v, want an *Error", name, err)
				}
				var logs bytes.Buffer
				slog.New(slog.NewTextHandler(&logs, nil)).Error("job failed", "err", fmt.Errorf("job 7: %w", err))
				shown := err.Error() + "\n" + logs.String() + "\n" + strings.Join(apiErr.Errors, "\n")
				if frag := secrettest.Leaked(shown, echoKey); frag != "" {
					t.Errorf("%s: the error or its log line shows %q of the key:\n%s\n%s", name, frag, err, &logs)
				}
				if len(apiErr.Message) > maxSnippet+len("…") {
					t.Errorf("%s: Message is %d bytes long, want at most %d", name, len(apiErr.Message), maxSnippet)
				}
				if apiErr.Name == "unauthorized" && !strings.HasPrefix(apiErr.Message, "Incorrect API key provided:") {
					t.Errorf("%s: Message = %q, want the server's words kept around the key", name, apiErr.Message)
				}
			}
		})
	}
}

// echoAnswer is an answer of the server newEchoServer starts.
type echoAnswer struct {
	status      int
	contentType string
	body        []byte
}

// newEchoServer starts a server that answers each request with the next answer sent on the
// returned channel, and a client for it that authenticates with key. Unlike the fake, it sends
// anything, as a proxy in front of the API may.
func newEchoServer(t *testing.T, key string) (*Client, chan<- echoAnswer) {
	t.Helper()
	answers := make(chan echoAnswer, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case a := <-answers:
			w.Header().Set("Content-Type", a.contentType)
			w.WriteHeader(a.status)
			_, _ = w.Write(a.body)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, key, WithHTTPClient(srv.Client()), WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	return c, answers
}
