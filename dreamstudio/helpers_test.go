package dreamstudio_test

import (
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
