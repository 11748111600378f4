package picture_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dreambot/picture"
)

// host is a test server that counts the requests it handled.
type host struct {
	*httptest.Server
	hits atomic.Int32
}

func newHost(t *testing.T, h http.HandlerFunc) *host {
	t.Helper()
	s := &host{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// hostOf is the host[:port] of a test server's URL.
func hostOf(s *host) string { return strings.TrimPrefix(s.URL, "http://") }

func TestFetch(t *testing.T) {
	t.Parallel()
	const maxBytes = 1000
	picture1000 := bytes.Repeat([]byte{'p'}, maxBytes)
	tests := []struct {
		name string
		// serve is the allowed host's handler; evil is another host, never to be contacted.
		serve func(evil string) http.HandlerFunc
		url   func(cdn, evil string) string
		// allowed gives the allowed list; nil means the cdn host, with http allowed.
		allowed  func(cdn string) []string
		want     []byte
		reason   string // a part of the Reason, when an error is wanted
		cdnCalls int32
	}{
		{
			name:  "allowed host",
			serve: func(string) http.HandlerFunc { return serveBytes(picture1000) },
			url:   func(cdn, _ string) string { return cdn + "/attachments/1/2/a.png?ex=1&hm=2" },
			want:  picture1000, cdnCalls: 1,
		},
		{
			name:  "redirect within the allowed host",
			serve: func(string) http.HandlerFunc { return redirectOnce(picture1000) },
			url:   func(cdn, _ string) string { return cdn + "/a.png" },
			want:  picture1000, cdnCalls: 2,
		},
		{
			name:   "another host",
			url:    func(_, evil string) string { return evil + "/a.png" },
			reason: "Discord's own attachment hosts",
		},
		{
			name:    "http to a host allowed for https only",
			url:     func(cdn, _ string) string { return cdn + "/a.png" },
			allowed: func(cdn string) []string { return []string{strings.TrimPrefix(cdn, "http://")} },
			reason:  "Discord's own attachment hosts",
		},
		{
			name:    "https to a host not allowed",
			url:     func(string, string) string { return "https://evil.example/a.png" },
			allowed: func(string) []string { return []string{"cdn.discordapp.com", "media.discordapp.net"} },
			reason:  "Discord's own attachment hosts",
		},
		{
			name: "allowed host as user info",
			url: func(cdn, evil string) string {
				return "http://" + strings.TrimPrefix(cdn, "http://") + "@" + strings.TrimPrefix(evil, "http://") + "/a.png"
			},
			reason: "Discord's own attachment hosts",
		},
		{
			name:   "not a URL",
			url:    func(string, string) string { return "http://%zz" },
			reason: "not a valid URL",
		},
		{
			name: "redirect to another host",
			serve: func(evil string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, evil+"/a.png", http.StatusFound) }
			},
			url:    func(cdn, _ string) string { return cdn + "/a.png" },
			reason: "Discord's own attachment hosts", cdnCalls: 1,
		},
		{
			name: "content-length over the cap",
			serve: func(string) http.HandlerFunc {
				return serveBytes(append(picture1000, 'x'))
			},
			url:    func(cdn, _ string) string { return cdn + "/a.png" },
			reason: "larger than 1000 bytes", cdnCalls: 1,
		},
		{
			name: "body over the cap without content-length",
			serve: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					w.Write(picture1000[:10])
					w.(http.Flusher).Flush() // the headers go out without a Content-Length
					w.Write(picture1000)
				}
			},
			url:    func(cdn, _ string) string { return cdn + "/a.png" },
			reason: "larger than 1000 bytes", cdnCalls: 1,
		},
		{
			name:   "not found",
			serve:  func(string) http.HandlerFunc { return http.NotFound },
			url:    func(cdn, _ string) string { return cdn + "/a.png" },
			reason: "may have expired", cdnCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			evil := newHost(t, serveBytes(picture1000))
			serve := http.HandlerFunc(http.NotFound)
			if tt.serve != nil {
				serve = tt.serve(evil.URL)
			}
			cdn := newHost(t, serve)
			allowed := []string{cdn.URL}
			if tt.allowed != nil {
				allowed = tt.allowed(cdn.URL)
			}
			got, err := picture.Fetch(context.Background(), cdn.Client(), tt.url(cdn.URL, evil.URL), allowed, maxBytes)
			switch {
			case tt.reason == "" && err != nil:
				t.Fatalf("Fetch: %v", err)
			case tt.reason == "" && !bytes.Equal(got, tt.want):
				t.Errorf("got %d bytes, want %d", len(got), len(tt.want))
			case tt.reason != "":
				if r := reasonOf(t, err); !strings.Contains(r, tt.reason) {
					t.Errorf("got reason %q, want it to contain %q", r, tt.reason)
				}
			}
			if n := evil.hits.Load(); n != 0 {
				t.Errorf("the other host got %d requests, want none", n)
			}
			if n := cdn.hits.Load(); n != tt.cdnCalls {
				t.Errorf("the allowed host got %d requests, want %d", n, tt.cdnCalls)
			}
		})
	}
}

func TestFetchDeadline(t *testing.T) {
	t.Parallel()
	cdn := newHost(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		w.Write([]byte("slow"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := picture.Fetch(ctx, cdn.Client(), cdn.URL+"/a.png", []string{cdn.URL}, 1000)
	if r := reasonOf(t, err); !strings.Contains(r, "took too long") {
		t.Errorf("got reason %q, want it to say the download took too long", r)
	}
}

func serveBytes(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	}
}

// redirectOnce sends /a.png to /b.png, which serves b.
func redirectOnce(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a.png" {
			http.Redirect(w, r, "/b.png", http.StatusFound)
			return
		}
		serveBytes(b)(w, r)
	}
}
