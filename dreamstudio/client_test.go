package dreamstudio_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"dreambot/dreamstudio"
)

func TestNew(t *testing.T) {
	t.Parallel()
	const key = "sk-abc123"
	tests := []struct {
		name    string
		baseURL string
		key     string
		opts    []dreamstudio.Option
		wantErr bool
	}{
		{"api", "https://api.stability.ai", key, nil, false},
		{"trailing slash", "https://api.stability.ai/", key, nil, false},
		{"http with port and prefix", "http://127.0.0.1:8080/proxy", key, nil, false},
		{"empty url", "", key, nil, true},
		{"no scheme", "api.stability.ai", key, nil, true},
		{"ftp", "ftp://api.stability.ai", key, nil, true},
		{"no host", "https://", key, nil, true},
		{"credentials", "https://user:pw@api.stability.ai", key, nil, true},
		{"query", "https://api.stability.ai/?x=1", key, nil, true},
		{"unparsable", "https://api.stability.ai/%zz", key, nil, true},
		{"empty key", "https://api.stability.ai", "", nil, true},
		{"key with space", "https://api.stability.ai", "sk-secret part", nil, true},
		{"key with newline", "https://api.stability.ai", "sk-secret\n", nil, true},
		{"zero timeout", "https://api.stability.ai", key, []dreamstudio.Option{dreamstudio.WithTimeouts(0, time.Second)}, true},
		{"nil http client", "https://api.stability.ai", key, []dreamstudio.Option{dreamstudio.WithHTTPClient(nil)}, true},
		{"image budget of one image", "https://api.stability.ai", key, []dreamstudio.Option{dreamstudio.WithMaxImageBytesInFlight(dreamstudio.MaxImageBytes)}, false},
		{"image budget below one image", "https://api.stability.ai", key, []dreamstudio.Option{dreamstudio.WithMaxImageBytesInFlight(dreamstudio.MaxImageBytes - 1)}, true},
		{"no image budget", "https://api.stability.ai", key, []dreamstudio.Option{dreamstudio.WithMaxImageBytesInFlight(0)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dreamstudio.New(tt.baseURL, tt.key, tt.opts...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New(%q) error = %v, want error: %v", tt.baseURL, err, tt.wantErr)
			}
			if err == nil && c == nil {
				t.Fatal("New returned a nil client and no error")
			}
			if err != nil && tt.key != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.key)) {
				t.Errorf("error %q contains the key", err)
			}
		})
	}
}

// TestHeadersAndBodies checks what each endpoint sends, as the fake recorded it.
func TestHeadersAndBodies(t *testing.T) {
	t.Parallel()
	s, _ := newFake(t)
	c := newClient(t, s, dreamstudio.WithUserAgent("dreambot-test/1"))
	ctx := t.Context()
	if _, err := c.Engines(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Balance(ctx); err != nil {
		t.Fatal(err)
	}
	req := goodRequest()
	req.CfgScale = ptr(0.0)
	req.Seed = 99
	req.Steps = 30
	req.Sampler = "K_EULER"
	req.StylePreset = "anime"
	if _, err := c.TextToImage(ctx, sdxl, req); err != nil {
		t.Fatal(err)
	}

	reqs := s.Requests()
	want := []struct {
		method, path, accept, contentType string
	}{
		{http.MethodGet, "/v1/engines/list", "application/json", ""},
		{http.MethodGet, "/v1/user/balance", "application/json", ""},
		{http.MethodPost, "/v1/generation/" + sdxl + "/text-to-image", "image/png", "application/json"},
	}
	if len(reqs) != len(want) {
		t.Fatalf("fake got %d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path {
			t.Errorf("request %d: %s %s, want %s %s", i, r.Method, r.Path, w.method, w.path)
		}
		if !r.Authorized {
			t.Errorf("request %d: Authorization is not Bearer <key>", i)
		}
		for h, v := range map[string]string{"Accept": w.accept, "Content-Type": w.contentType, "User-Agent": "dreambot-test/1"} {
			if got := r.Header.Get(h); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, h, got, v)
			}
		}
	}

	var body map[string]any
	if err := json.Unmarshal(reqs[2].Body, &body); err != nil {
		t.Fatal(err)
	}
	wantBody := map[string]any{
		"text_prompts": []any{
			map[string]any{"text": "a lighthouse on a cliff", "weight": 1.0},
			map[string]any{"text": "fog", "weight": -1.0},
		},
		"width": 1024.0, "height": 1024.0, "cfg_scale": 0.0, "seed": 99.0, "steps": 30.0,
		"sampler": "K_EULER", "style_preset": "anime",
	}
	if !reflect.DeepEqual(body, wantBody) {
		t.Errorf("body = %v\nwant %v", body, wantBody)
	}
}

func TestOptionalFieldsAreLeftOut(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	req := dreamstudio.TextToImageRequest{
		TextPrompts: []dreamstudio.TextPrompt{{Text: "a cat"}},
		Width:       896,
		Height:      1152,
	}
	if _, err := c.TextToImage(t.Context(), sdxl, req); err != nil {
		t.Fatal(err)
	}
	const want = `{"text_prompts":[{"text":"a cat"}],"width":896,"height":1152}`
	if got := string(s.Requests()[0].Body); got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}

func TestDefaultUserAgent(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	if _, err := c.Balance(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := s.Requests()[0].Header.Get("User-Agent"); !strings.HasPrefix(got, "dreamstudio-go") {
		t.Errorf("User-Agent = %q", got)
	}
}

func TestBaseURLWithPath(t *testing.T) {
	t.Parallel()
	paths := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.EscapedPath()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"credits":1}`))
	}))
	t.Cleanup(srv.Close)
	for _, base := range []string{srv.URL + "/proxy", srv.URL + "/proxy/"} {
		c, err := dreamstudio.New(base, "k", dreamstudio.WithLimiter(nil))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Balance(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := <-paths; got != "/proxy/v1/user/balance" {
			t.Errorf("base %s: path %q, want /proxy/v1/user/balance", base, got)
		}
	}
}
