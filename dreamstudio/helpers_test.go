package dreamstudio_test

import (
	"errors"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

const sdxl = "stable-diffusion-xl-1024-v1-0"

// newFake starts a strict fake, one that also fails the test on requests breaking the API's
// prose-only rules (the client validates first, so it must never send one), and a client for it
// with throttling off.
func newFake(t *testing.T, opts ...dreamstudiotest.Option) (*dreamstudiotest.Server, *dreamstudio.Client) {
	t.Helper()
	s := dreamstudiotest.NewServer(t, append([]dreamstudiotest.Option{dreamstudiotest.WithStrictRules()}, opts...)...)
	return s, newClient(t, s)
}

func newClient(t *testing.T, s *dreamstudiotest.Server, opts ...dreamstudio.Option) *dreamstudio.Client {
	t.Helper()
	base := []dreamstudio.Option{dreamstudio.WithHTTPClient(s.Client()), dreamstudio.WithLimiter(nil)}
	c, err := dreamstudio.New(s.URL, s.Key, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func goodRequest() dreamstudio.TextToImageRequest {
	return dreamstudio.TextToImageRequest{
		TextPrompts: dreamstudio.Prompts("a lighthouse on a cliff", "fog"),
		Width:       1024,
		Height:      1024,
	}
}

func ptr[T any](v T) *T { return &v }

// wantValidation checks an error against a table's expectation: nil when field is "", else a
// *ValidationError for field whose message has words. It reports whether the value was accepted.
func wantValidation(t *testing.T, err error, field, words string) (accepted bool) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return true
	}
	var ve *dreamstudio.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	if ve.Field != field || !strings.Contains(ve.Message, words) {
		t.Errorf("got %s %q, want %s with %q", ve.Field, ve.Message, field, words)
	}
	return false
}
