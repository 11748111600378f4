package dreamstudiotest_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

func TestEnginesList(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)

	a := send(t, s, call{method: http.MethodGet, path: "/v1/engines/list"})
	if a.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
	}
	var got []dreamstudiotest.Engine
	if err := json.Unmarshal(a.body, &got); err != nil {
		t.Fatalf("body %s is not a bare array of engines: %v", a.body, err)
	}
	if want := dreamstudiotest.DefaultEngines(); !reflect.DeepEqual(got, want) {
		t.Errorf("engines = %+v, want %+v", got, want)
	}

	custom := dreamstudiotest.Engine{ID: "x", Name: "X", Description: "an engine", Type: "PICTURE"}
	s.SetEngines(custom)
	a = send(t, s, call{method: http.MethodGet, path: "/v1/engines/list"})
	if err := json.Unmarshal(a.body, &got); err != nil || !reflect.DeepEqual(got, []dreamstudiotest.Engine{custom}) {
		t.Errorf("after SetEngines: body %s, err %v", a.body, err)
	}

	s.SetEngines()
	a = send(t, s, call{method: http.MethodGet, path: "/v1/engines/list"})
	if string(a.body) != "[]" {
		t.Errorf("no engines: body %s, want []", a.body)
	}
}

func TestBalance(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithBalance(3.25))
	for _, want := range []string{`{"credits":3.25}`, `{"credits":0.5}`} {
		a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"})
		if a.status != http.StatusOK || string(a.body) != want {
			t.Errorf("balance: %d %s, want 200 %s", a.status, a.body, want)
		}
		s.SetBalance(0.5)
	}
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	const key = "sk-custom-key-42"
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithKey(key))
	if s.Key != key {
		t.Fatalf("Key = %q, want %q", s.Key, key)
	}
	tests := []struct {
		name   string
		auth   string
		status int
	}{
		{"right key", "Bearer " + key, http.StatusOK},
		{"missing header", "-", http.StatusUnauthorized},
		{"wrong key", "Bearer sk-wrong-key-leak", http.StatusUnauthorized},
		{"no Bearer scheme", key, http.StatusUnauthorized},
		{"default key", "Bearer " + dreamstudiotest.DefaultKey, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance", auth: tt.auth})
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tt.status, a.body)
			}
			if tt.status != http.StatusUnauthorized {
				return
			}
			name, msg := a.apiError(t)
			if name != "unauthorized" {
				t.Errorf("name = %q, want unauthorized", name)
			}
			if strings.Contains(msg, "leak") || strings.Contains(msg, key) {
				t.Errorf("message %q repeats a key", msg)
			}
		})
	}
}

func TestRequestsAreRecordedWithoutTheKey(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	send(t, s, call{method: http.MethodGet, path: "/v1/engines/list"})
	send(t, s, generate(sized(1024, 1024)))
	send(t, s, call{method: http.MethodGet, path: "/v1/user/balance", auth: "Bearer wrong"})

	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	want := []struct {
		method, path string
		authorized   bool
	}{
		{http.MethodGet, "/v1/engines/list", true},
		{http.MethodPost, textToImage, true},
		{http.MethodGet, "/v1/user/balance", false},
	}
	for i, r := range reqs {
		if r.Method != want[i].method || r.Path != want[i].path || r.Authorized != want[i].authorized {
			t.Errorf("request %d = %s %s authorized=%v, want %+v", i, r.Method, r.Path, r.Authorized, want[i])
		}
		if got := r.Header.Get("Authorization"); got != "[redacted]" {
			t.Errorf("request %d: Authorization recorded as %q, want [redacted]", i, got)
		}
	}
	if string(reqs[1].Body) != sized(1024, 1024) {
		t.Errorf("body = %s, want %s", reqs[1].Body, sized(1024, 1024))
	}
	if got := reqs[1].Header.Get("Accept"); got != "image/png" {
		t.Errorf("Accept = %q, want image/png", got)
	}
}
