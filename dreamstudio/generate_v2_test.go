package dreamstudio_test

import (
	"bytes"
	"errors"
	"image/png"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// everything returns Params with every option model takes.
func everything(model string) (dreamstudio.Params, map[string]string) {
	p := dreamstudio.Params{Prompt: "a lighthouse on a cliff", AspectRatio: "16:9", Seed: 42}
	form := map[string]string{"prompt": p.Prompt, "aspect_ratio": "16:9", "seed": "42", "output_format": "png"}
	if model != "sd3-large-turbo" {
		p.NegativePrompt, form["negative_prompt"] = "fog", "fog"
	}
	switch operationOf(model) {
	case "core":
		p.StylePreset, form["style_preset"] = "photographic", "photographic"
	case "sd3":
		p.CfgScale, form["cfg_scale"] = ptr(4.5), "4.5"
		form["model"] = model
	}
	return p, form
}

// TestGenerateStableImage generates with every model, every option it takes, and checks what the
// fake received, the image that came back and the credits spent.
func TestGenerateStableImage(t *testing.T) {
	t.Parallel()
	for i, m := range dreamstudio.StableImageModels() {
		t.Run(m.ID, func(t *testing.T) {
			t.Parallel()
			s, _ := newFake(t, dreamstudiotest.WithBalance(100))
			c := newClient(t, s, dreamstudio.WithUserAgent("dreambot-test/1"))
			finish := []string{dreamstudio.FinishSuccess, dreamstudio.FinishContentFiltered}[i%2]
			s.FinishNext(finish)
			p, wantForm := everything(m.ID)
			checked, err := dreamstudio.CheckParams(m.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			img, err := c.Generate(t.Context(), checked)
			if err != nil {
				t.Fatal(err)
			}
			w, h, _ := dreamstudiotest.AspectRatioSize("16:9")
			if img.Width != w || img.Height != h || img.Seed != 42 || img.FinishReason != finish {
				t.Errorf("image %dx%d seed %d finish %q, want %dx%d seed 42 finish %q",
					img.Width, img.Height, img.Seed, img.FinishReason, w, h, finish)
			}
			if _, err := png.Decode(bytes.NewReader(img.PNG)); err != nil {
				t.Errorf("PNG does not decode: %v", err)
			}

			reqs := s.Requests()
			if len(reqs) != 1 {
				t.Fatalf("fake got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if want := "/v2beta/stable-image/generate/" + operationOf(m.ID); r.Method != http.MethodPost || r.Path != want {
				t.Errorf("%s %s, want POST %s", r.Method, r.Path, want)
			}
			if !maps.Equal(r.Form, wantForm) {
				t.Errorf("form %v\nwant %v", r.Form, wantForm)
			}
			if !r.Authorized || r.Header.Get("Accept") != "image/*" || r.Header.Get("User-Agent") != "dreambot-test/1" ||
				!strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data; boundary=") {
				t.Errorf("headers %v, authorized %v", r.Header, r.Authorized)
			}

			credits, _ := checked.Credits()
			if got, err := c.Balance(t.Context()); err != nil || got != 100-credits {
				t.Errorf("Balance() = %v, %v; want 100 - %v", got, err, credits)
			}
		})
	}
}

// TestStableImageDefaultsAreLeftOut checks that only the prompt (and the format and the model,
// which the client always chooses) is sent when nothing else is asked for.
func TestStableImageDefaultsAreLeftOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		model string
		want  map[string]string
	}{
		{"ultra", map[string]string{"prompt": "a cat", "output_format": "png"}},
		{"core", map[string]string{"prompt": "a cat", "output_format": "png"}},
		{"sd3.5-large", map[string]string{"prompt": "a cat", "output_format": "png", "model": "sd3.5-large"}},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			t.Parallel()
			s, c := newFake(t)
			checked, err := dreamstudio.CheckParams(tt.model, dreamstudio.Params{Prompt: "a cat", NegativePrompt: " "})
			if err != nil {
				t.Fatal(err)
			}
			img, err := c.Generate(t.Context(), checked)
			if err != nil {
				t.Fatal(err)
			}
			if img.Seed == 0 || img.Width != 1024 || img.Height != 1024 {
				t.Errorf("image %dx%d seed %d, want 1024x1024 and a random seed", img.Width, img.Height, img.Seed)
			}
			if got := s.Requests()[0].Form; !maps.Equal(got, tt.want) {
				t.Errorf("form %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStableImageErrors(t *testing.T) {
	t.Parallel()
	const key = "sk-secret-key-never-shown"
	tests := []struct {
		name       string
		fault      dreamstudiotest.Fault
		moderation bool
		refused    bool
		temporary  bool
		retry      time.Duration
	}{
		{name: "content moderation", moderation: true, fault: dreamstudiotest.Fault{Status: 403, Name: "content_moderation",
			Message: "Your request was flagged by our content moderation system, as a result your request was denied and you were not charged."}},
		{name: "invalid language", refused: true, fault: dreamstudiotest.Fault{Status: 422, Name: "invalid_language",
			Message: "English is the only supported language for this service."}},
		{name: "public figure", refused: true, fault: dreamstudiotest.Fault{Status: 422, Name: "public_figure",
			Message: "Our system detected the likeness of a public figure in your image."}},
		{name: "rate limited", temporary: true, retry: time.Minute, fault: dreamstudiotest.Fault{Status: 429, Name: "rate_limit_exceeded",
			Message: "You have exceeded the rate limit of 150 requests within a 10 second period, and have been timed out for 60 seconds.",
			Header:  http.Header{"Retry-After": {"60"}}}},
		{name: "internal error", temporary: true, fault: dreamstudiotest.Fault{Status: 500, Name: "internal_error",
			Message: "An unexpected server error has occurred, please try again later."}},
		{name: "key echoed", fault: dreamstudiotest.Fault{Status: 400, Name: "bad_request", Message: "authorization: " + key + " is odd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newFake(t, dreamstudiotest.WithKey(key))
			c := newClient(t, s)
			s.AddFault(tt.fault)
			checked, err := dreamstudio.CheckParams("core", dreamstudio.Params{Prompt: "a cat"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Generate(t.Context(), checked)
			var apiErr *dreamstudio.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			wantMessage := strings.ReplaceAll(tt.fault.Message, key, "[redacted]")
			if apiErr.Status != tt.fault.Status || apiErr.Name != tt.fault.Name || apiErr.Message != wantMessage ||
				len(apiErr.Errors) != 1 || apiErr.Errors[0] != wantMessage || apiErr.ID == "" {
				t.Errorf("error %+v, want %d %s %q", apiErr, tt.fault.Status, tt.fault.Name, wantMessage)
			}
			if apiErr.ContentModeration() != tt.moderation || apiErr.Refused() != tt.refused || apiErr.Temporary() != tt.temporary {
				t.Errorf("ContentModeration, Refused, Temporary = %v, %v, %v; want %v, %v, %v", apiErr.ContentModeration(),
					apiErr.Refused(), apiErr.Temporary(), tt.moderation, tt.refused, tt.temporary)
			}
			if !apiErr.Documented() {
				t.Errorf("Documented() = false for %s", apiErr.Name)
			}
			if apiErr.RetryAfter != tt.retry {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, tt.retry)
			}
			if !strings.HasPrefix(err.Error(), "text-to-image core: dreamstudio: ") || strings.Contains(err.Error(), key) {
				t.Errorf("err = %q", err)
			}
			if got := s.Balance(); got != 100 {
				t.Errorf("balance %v after an error, want 100", got)
			}
		})
	}
}

// TestV2ErrorShapes checks how the v2 error body is read beside v1's.
func TestV2ErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		message string
		errs    []string
	}{
		{"two errors", `{"id":"a1","name":"bad_request","errors":["prompt: is required","seed: too big"]}`,
			"prompt: is required; seed: too big", []string{"prompt: is required", "seed: too big"}},
		{"errors on many lines", `{"id":"a1","name":"bad_request","errors":["one\ntwo"]}`, "one two", []string{"one two"}},
		{"v1 shape", `{"id":"a1","name":"bad_request","message":"init_image: is required"}`, "init_image: is required", nil},
		{"errors not a list", `{"id":"a1","name":"bad_request","errors":"x"}`, `{"id":"a1","name":"bad_request","errors":"x"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, c := newFake(t)
			s.AddFault(dreamstudiotest.Fault{Status: 400, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(tt.body)})
			_, err := c.Balance(t.Context())
			var apiErr *dreamstudio.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if apiErr.Message != tt.message || !slices.Equal(apiErr.Errors, tt.errs) {
				t.Errorf("Message %q Errors %q, want %q %q", apiErr.Message, apiErr.Errors, tt.message, tt.errs)
			}
		})
	}
}
