package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ addr, want, err string }{
		{"127.0.0.1:9090", "http://127.0.0.1:9090/healthz", ""},
		{":9090", "http://127.0.0.1:9090/healthz", ""},
		{"0.0.0.0:9090", "http://127.0.0.1:9090/healthz", ""},
		{"[::]:9090", "http://[::1]:9090/healthz", ""},
		{"[::1]:9090", "http://[::1]:9090/healthz", ""},
		{"metrics.internal:9090", "http://metrics.internal:9090/healthz", ""},
		{"127.0.0.1:0", "", "port is 0"},
	}
	for _, tt := range tests {
		got, err := healthURL(tt.addr)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("healthURL(%q) = %q, %v; want %q, %q", tt.addr, got, err, tt.want, tt.err)
		}
	}
}

// TestHealthcheckCommand runs `dreambot healthcheck` against stand-ins for the bot's /healthz.
func TestHealthcheckCommand(t *testing.T) {
	t.Parallel()
	answering := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || r.URL.Path != "/healthz" {
				t.Errorf("healthcheck asked %s %s", r.Method, r.URL.Path)
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}))
		t.Cleanup(srv.Close)
		return srv.Listener.Addr().String()
	}
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
		return ln.Addr().String()
	}()
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		stdout     string
		stderrHave string
	}{
		{"healthy", map[string]string{"METRICS_ADDR": answering(200, "ok\n")}, nil, 0, "ok\n", ""},
		{"not connected", map[string]string{"METRICS_ADDR": answering(503, "not connected to Discord yet\n")}, nil, 1, "",
			"dreambot: unhealthy: not connected to Discord yet\n"},
		{"something else on the port", map[string]string{"METRICS_ADDR": answering(404, "404 page not found\n")}, nil, 1, "",
			"answered 404 Not Found, not the bot's health check"},
		{"nothing on the port", map[string]string{"METRICS_ADDR": closed}, nil, 1, "", "does not answer"},
		{"METRICS_ADDR unset", nil, nil, 1, "", "METRICS_ADDR is not set"},
		{"METRICS_ADDR malformed", map[string]string{"METRICS_ADDR": "9090"}, nil, 1, "", "METRICS_ADDR"},
		{"help", nil, []string{"-h"}, 0, "usage: dreambot healthcheck", ""},
		{"an argument", map[string]string{"METRICS_ADDR": answering(200, "ok\n")}, []string{"now"}, 2, "", `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, tt.env, append([]string{"healthcheck"}, tt.args...)...)
			if code != tt.code || !strings.HasPrefix(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderrHave) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, stdout, stderr, tt.code, tt.stdout, tt.stderrHave)
			}
			if tt.code != 0 && strings.Count(strings.TrimSpace(stderr), "\n") > 1 && tt.code != 2 {
				t.Errorf("stderr is not one reason: %q", stderr)
			}
		})
	}
}
