package dreamstudiotest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

const (
	sdxl        = "stable-diffusion-xl-1024-v1-0"
	textToImage = "/v1/generation/" + sdxl + "/text-to-image"
)

// recordingTB captures the failures a Server reports, so tests can check that it reports them.
// Everything else (Cleanup, Fatal, ...) goes to the real test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func newRecordingTB(t *testing.T) *recordingTB {
	return &recordingTB{TB: t}
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprint(args...))
}

// refused checks that the fake reported exactly one test failure, mentioning want (in any
// case), and that it generated and charged nothing.
func (r *recordingTB) refused(t *testing.T, s *dreamstudiotest.Server, want string) {
	t.Helper()
	failures := r.failures()
	if len(failures) != 1 {
		t.Fatalf("got %d test failures, want 1: %.500q", len(failures), failures)
	}
	if !strings.Contains(strings.ToLower(failures[0]), strings.ToLower(want)) {
		t.Errorf("failure %.500q does not mention %q", failures[0], want)
	}
	if n, b := s.Generations(), s.Balance(); n != 0 || b != 100 {
		t.Errorf("Generations(), Balance() = %d, %v; want 0, 100", n, b)
	}
}

func (r *recordingTB) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

// call is one request to send to a fake.
type call struct {
	method string
	path   string
	body   string
	accept string
	// auth is the whole Authorization header; "" means "Bearer <Server.Key>", "-" means none.
	auth string
	// contentType defaults to application/json when there is a body.
	contentType string
}

// answer is what the fake sent back.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// apiError decodes an error answer, failing the test if it is not the real API's shape.
func (a answer) apiError(t *testing.T) (name, message string) {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("error body %q: %v", a.body, err)
	}
	for _, f := range []string{"id", "name", "message"} {
		if s, ok := e[f].(string); !ok || s == "" {
			t.Errorf("error body %s: field %q missing or empty", a.body, f)
		}
	}
	if len(e) != 3 {
		t.Errorf("error body %s: want exactly id, name and message", a.body)
	}
	name, _ = e["name"].(string)
	message, _ = e["message"].(string)
	return name, message
}

func send(t *testing.T, s *dreamstudiotest.Server, c call) answer {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodPost
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(t.Context(), c.method, s.URL+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	switch c.auth {
	case "":
		req.Header.Set("Authorization", "Bearer "+s.Key)
	case "-":
	default:
		req.Header.Set("Authorization", c.auth)
	}
	if c.body != "" {
		if c.contentType == "" {
			c.contentType = "application/json"
		}
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", c.method, c.path, err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// generate is a text-to-image call for the default SDXL engine asking for a PNG.
func generate(body string) call {
	return call{path: textToImage, body: body, accept: "image/png"}
}

// sized is a minimal valid text-to-image body of the given size.
func sized(width, height int) string {
	return fmt.Sprintf(`{"text_prompts":[{"text":"a lighthouse on a cliff","weight":1}],"width":%d,"height":%d}`,
		width, height)
}
