package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dreambot/metrics"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	healthy := func(context.Context) error { return nil }
	notYet := func(context.Context) error { return errors.New("not connected to Discord yet") }
	dbDown := func(context.Context) error {
		return errors.New("database unreachable: unable to open database file:\nout of memory (14)")
	}
	var ran []string
	tests := []struct {
		name   string
		checks []metrics.Check
		status int
		body   string
	}{
		{"no checks", nil, 200, "ok\n"},
		{"all pass", []metrics.Check{healthy, healthy}, 200, "ok\n"},
		{"not connected", []metrics.Check{notYet, healthy}, 503, "not connected to Discord yet\n"},
		{"the database, on one line", []metrics.Check{healthy, dbDown}, 503,
			"database unreachable: unable to open database file: out of memory (14)\n"},
		{"the first failure wins", []metrics.Check{notYet, dbDown}, 503, "not connected to Discord yet\n"},
		{"a long reason is cut", []metrics.Check{func(context.Context) error { return errors.New(strings.Repeat("é", 400)) }}, 503,
			strings.Repeat("é", 148) + "...\n"},
		{"checks get a deadline", []metrics.Check{func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				return errors.New("no deadline")
			}
			ran = append(ran, "deadline")
			return nil
		}}, 200, "ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			metrics.New().Handler(tt.checks...).ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
			if rec.Code != tt.status || rec.Body.String() != tt.body {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tt.status, tt.body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	if len(ran) != 1 {
		t.Errorf("the deadline check ran %d times", len(ran))
	}
}

// TestServer: Listen binds at once (port 0 gets a port, a taken port is an error), serves both
// paths, and Stop closes the port.
func TestServer(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Interaction("command", "imagine", "ok", 0, false)
	srv, err := metrics.Listen("127.0.0.1:0", m.Handler(func(context.Context) error { return errors.New("shutting down") }))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(srv.Addr(), ":0") {
		t.Fatalf("Addr %s: want the port it got", srv.Addr())
	}
	if _, err := metrics.Listen(srv.Addr(), m.Handler()); err == nil || !strings.Contains(err.Error(), "listen for metrics") {
		t.Errorf("a second server on %s: %v, want an error", srv.Addr(), err)
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + srv.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 503 || body != "shutting down\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, `dreambot_interactions_total{command="imagine",outcome="ok",type="command"} 1`) {
		t.Errorf("/metrics: %d %q", code, body)
	}
	if code, _ := get("/"); code != 404 {
		t.Errorf("/: %d, want 404", code)
	}
	if err := srv.Stop(time.Second); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if resp, err := http.Get("http://" + srv.Addr() + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("still answering after Stop: %s", resp.Status)
	}
}
