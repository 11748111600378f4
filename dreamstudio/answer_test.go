package dreamstudio_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"dreambot/dreamstudio"
)

// serve answers every request with status, contentType and body.
func serve(t *testing.T, status int, contentType, body string) *dreamstudio.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := dreamstudio.New(srv.URL, "sk-test-key-0123456789", dreamstudio.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUnexpectedAnswersAreTyped(t *testing.T) {
	t.Parallel()
	c := serve(t, 200, "text/html", "<html>down for maintenance</html>")
	for name, call := range map[string]func() error{
		"engines": func() error { _, err := c.Engines(t.Context()); return err },
		"balance": func() error { _, err := c.Balance(t.Context()); return err },
	} {
		var bad *dreamstudio.BadAnswerError
		if err := call(); !errors.As(err, &bad) {
			t.Errorf("%s: got %v, want a *BadAnswerError", name, err)
		}
	}
}

func TestAMalformedEngineEntryIsLeftOut(t *testing.T) {
	t.Parallel()
	c := serve(t, 200, "application/json",
		`[{"id":5},{"id":"stable-diffusion-v1-6","name":"SD 1.6","description":"d","type":"PICTURE"},"nonsense"]`)
	l, err := c.ListEngines(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Engines) != 1 || l.Engines[0].ID != "stable-diffusion-v1-6" || len(l.Refused) != 2 {
		t.Errorf("got %+v, want SD 1.6 and two entries refused", l)
	}
}

func TestGenerateRefusesAnUncheckedRequest(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the zero Checked was sent: %s %s", r.Method, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	c, err := dreamstudio.New(srv.URL, "sk-test-key-0123456789", dreamstudio.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Generate(t.Context(), dreamstudio.Checked{}); err == nil {
		t.Error("no error for an unchecked request")
	}
}
