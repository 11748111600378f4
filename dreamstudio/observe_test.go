package dreamstudio_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// apiErrors records what an Observer is told.
type apiErrors struct {
	mu  sync.Mutex
	got []string
}

func (o *apiErrors) APIError(status int, name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, fmt.Sprintf("%d %q", status, name))
}

// TestObserverHearsEveryErrorAnswer: every non-2xx answer is reported once, with a name from a
// bounded set: the API's documented names, "undocumented", or "" when the answer had none.
func TestObserverHearsEveryErrorAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(s *dreamstudiotest.Server)
		want  string
	}{
		{"documented", func(s *dreamstudiotest.Server) { s.FailNext(403, "permission_denied", "no") }, `403 "permission_denied"`},
		{"rate limited", func(s *dreamstudiotest.Server) { s.FailNext(429, "rate_limit_exceeded", "slow down") }, `429 "rate_limit_exceeded"`},
		{"undocumented", func(s *dreamstudiotest.Server) { s.FailNext(500, "brand new error 7f3a", "?") }, `500 "undocumented"`},
		{"success", func(s *dreamstudiotest.Server) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t)
			var o apiErrors
			c := newClient(t, s, dreamstudio.WithObserver(&o))
			tt.setup(s)
			_, _ = c.Balance(context.Background())
			want := []string{tt.want}
			if tt.want == "" {
				want = nil
			}
			if fmt.Sprint(o.got) != fmt.Sprint(want) {
				t.Errorf("observed %q, want %q", o.got, want)
			}
		})
	}
}

// TestObserverOfAProxysPage: an answer that is not the API's JSON has no name.
func TestObserverOfAProxysPage(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body>502 Bad Gateway</body></html>")
	}))
	t.Cleanup(srv.Close)
	var o apiErrors
	c, err := dreamstudio.New(srv.URL, "sk-test-key-0123456789", dreamstudio.WithLimiter(nil), dreamstudio.WithObserver(&o))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Balance(context.Background()); err == nil {
		t.Fatal("a 502 accepted")
	}
	if want := `[502 ""]`; fmt.Sprint(o.got) != want {
		t.Errorf("observed %q, want %s", o.got, want)
	}
}
