package bot_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"dreambot/bot"
)

func TestRebaseTransport(t *testing.T) {
	t.Parallel()
	var gotPath, gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotHost = r.URL.RequestURI(), r.Host
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)

	tests := []struct{ base, url, wantPath string }{
		{srv.URL, "https://discord.com/api/v9/gateway", "/api/v9/gateway"},
		{srv.URL + "/", "https://discord.com/api/v9/users/@me?x=1", "/api/v9/users/@me?x=1"},
		{srv.URL + "/proxy", "https://discord.com/api/v9/gateway", "/proxy/api/v9/gateway"},
	}
	for _, tt := range tests {
		tr, err := bot.NewRebaseTransport(tt.base, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := (&http.Client{Transport: tr}).Get(tt.url)
		if err != nil {
			t.Fatalf("%s via %s: %v", tt.url, tt.base, err)
		}
		resp.Body.Close()
		if gotPath != tt.wantPath || gotHost != srv.Listener.Addr().String() {
			t.Errorf("base %s, url %s: got %s on %s, want %s", tt.base, tt.url, gotPath, gotHost, tt.wantPath)
		}
	}
	for _, bad := range []string{"", "discord.com", "ftp://x", "http://"} {
		if _, err := bot.NewRebaseTransport(bad, nil); err == nil {
			t.Errorf("NewRebaseTransport(%q) accepted a bad base", bad)
		}
	}
}
