package dreamstudio_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"dreambot/dreamstudio"
)

func smallPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 64, 32))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMalformedImageAnswers covers answers the fake never gives.
func TestMalformedImageAnswers(t *testing.T) {
	t.Parallel()
	img := smallPNG(t)
	tests := []struct {
		name    string
		header  map[string]string
		body    []byte
		flush   bool // stream the body, without Content-Length
		max     int64
		wantErr string
	}{
		{"ok", map[string]string{"Content-Type": "image/png", "Seed": "12", "Finish-Reason": "SUCCESS"}, img, false, 0, ""},
		{"no seed header", map[string]string{"Content-Type": "image/png"}, img, false, 0, ""},
		{"JSON instead of PNG", map[string]string{"Content-Type": "application/json"}, []byte(`{"artifacts":[]}`), false, 0, "not image/png"},
		{"not a PNG", map[string]string{"Content-Type": "image/png"}, []byte("GIF89a........"), false, 0, "not a PNG"},
		{"truncated PNG", map[string]string{"Content-Type": "image/png"}, img[:12], false, 0, "bad image: invalid png"},
		{"truncated PNG, streamed", map[string]string{"Content-Type": "image/png"}, img[:len(img)-1], true, 0, "bad image: invalid png"},
		{"cut short of its Content-Length", map[string]string{"Content-Type": "image/png", "Content-Length": strconv.Itoa(len(img) + 100)}, img, false, 0, "cut short"},
		{"empty", map[string]string{"Content-Type": "image/png"}, nil, false, 0, "not a PNG"},
		{"empty, streamed", map[string]string{"Content-Type": "image/png"}, nil, true, 0, "not a PNG"},
		{"streamed", map[string]string{"Content-Type": "image/png", "Seed": "3"}, img, true, 0, ""},
		{"streamed, exactly the limit", map[string]string{"Content-Type": "image/png"}, img, true, int64(len(img)), ""},
		{"announced, exactly the limit", map[string]string{"Content-Type": "image/png"}, img, false, int64(len(img)), ""},
		// A paid-for image is kept even when its seed can't be read.
		{"bad seed", map[string]string{"Content-Type": "image/png", "Seed": "-1"}, img, false, 0, ""},
		{"seed above uint32", map[string]string{"Content-Type": "image/png", "Seed": "4294967296"}, img, false, 0, ""},
		{"too large, announced", map[string]string{"Content-Type": "image/png"}, img, false, 10, "larger than the limit"},
		{"too large, streamed", map[string]string{"Content-Type": "image/png"}, img, true, 10, "larger than the limit"},
		{"one byte too large, streamed", map[string]string{"Content-Type": "image/png"}, img, true, int64(len(img) - 1), "larger than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if tt.flush {
					w.WriteHeader(http.StatusOK)
					w.(http.Flusher).Flush()
				}
				w.Write(tt.body)
			}))
			t.Cleanup(srv.Close)
			c, err := dreamstudio.New(srv.URL, "k", dreamstudio.WithLimiter(nil))
			if err != nil {
				t.Fatal(err)
			}
			if tt.max > 0 {
				dreamstudio.SetMaxImageBytes(c, tt.max)
			}
			got, err := c.TextToImage(t.Context(), sdxl, goodRequest())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got.Width != 64 || got.Height != 32 || !bytes.Equal(got.PNG, img) {
					t.Errorf("image %dx%d, %d bytes; want 64x32, %d bytes", got.Width, got.Height, len(got.PNG), len(img))
				}
				want, err := strconv.ParseUint(tt.header["Seed"], 10, 32)
				if err != nil {
					want = 0 // unknown
				}
				if got.Seed != uint32(want) {
					t.Errorf("Seed = %d, want %d", got.Seed, want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if bad := (*dreamstudio.BadImageError)(nil); !errors.As(err, &bad) {
				t.Errorf("err = %v, want a *BadImageError", err)
			}
		})
	}
}

func TestMalformedJSONAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		call func(ctx context.Context, c *dreamstudio.Client) error
	}{
		{"engines not JSON", "<html>", func(ctx context.Context, c *dreamstudio.Client) error { _, err := c.Engines(ctx); return err }},
		{"engines as an object", `{"engines":[]}`, func(ctx context.Context, c *dreamstudio.Client) error { _, err := c.Engines(ctx); return err }},
		{"balance without credits", `{}`, func(ctx context.Context, c *dreamstudio.Client) error { _, err := c.Balance(ctx); return err }},
		{"balance as a string", `{"credits":"5"}`, func(ctx context.Context, c *dreamstudio.Client) error { _, err := c.Balance(ctx); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			c, err := dreamstudio.New(srv.URL, "k", dreamstudio.WithLimiter(nil))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.call(t.Context(), c); err == nil {
				t.Error("no error")
			}
		})
	}
}
