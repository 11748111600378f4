package discordtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"dreambot/discordtest"
)

// exchange is a request and the fake's answer, as a transport saw them.
type exchange struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// recordingTransport keeps every answer of the fake.
type recordingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []exchange
}

func (t *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.mu.Lock()
	t.seen = append(t.seen, exchange{r.Method, r.URL.Path, resp.StatusCode, resp.Header, body})
	t.mu.Unlock()
	return resp, nil
}

// TestAnswersMatchTheDescription checks the fake's own answers against Discord's
// description, so that the bot is tested against realistic payloads.
func TestAnswersMatchTheDescription(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	s := newSession(t, srv)
	rec := &recordingTransport{next: s.Client.Transport}
	s.Client.Transport = rec
	registerImagine(t, s, srv)
	if _, err := s.ApplicationCommandCreate(srv.AppID, "", &discordgo.ApplicationCommand{Name: "Bad Name", Description: "x"}); err == nil {
		t.Fatal("bad command name accepted")
	}
	srv.FailNext(discordtest.RouteMe, 1, discordtest.RateLimited(time.Millisecond))
	if _, err := s.ApplicationCommands(srv.AppID, srv.GuildID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.User("@me"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Application("@me"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GatewayBot(); err != nil {
		t.Fatal(err)
	}
	i := interactionOf(t, srv.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "x"))))
	if err := s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: ptr("done"),
		Files: []*discordgo.File{{Name: "a.png", Reader: bytes.NewReader(pngBytes(t))}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "more"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChannelMessages(srv.ChannelID, 10, "", "", ""); err != nil {
		t.Fatal(err)
	}

	if p := srv.Problems(); len(p) != 1 {
		t.Errorf("problems = %v, want the bad command name only", p)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.seen) < 12 {
		t.Errorf("saw %d answers, want at least 12", len(rec.seen))
	}
	for _, ex := range rec.seen {
		path := strings.TrimPrefix(ex.path, "/api/v9")
		req, _ := http.NewRequest(ex.method, "https://discord.com/api/v10"+path, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: %v", ex.method, path, err)
			continue
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 ex.status,
			Header:                 ex.header,
			Options:                &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes(docsErrorCodes(t, ex.body))
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			msg := err.Error()
			if len(msg) > 600 {
				msg = msg[:600]
			}
			t.Errorf("answer to %s %s (%d) does not match the description: %s", ex.method, route.Path, ex.status, msg)
		}
	}
}

// docsErrorCodes replaces the string codes in the "_errors" lists of a 50035 answer by 0.
// Discord's developer docs, which win over the description where they disagree, show those
// codes as strings ("BASE_TYPE_REQUIRED"); the description types them as integers.
func docsErrorCodes(t *testing.T, body []byte) []byte {
	t.Helper()
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body
	}
	var walk func(any)
	walk = func(n any) {
		m, ok := n.(map[string]any)
		if !ok {
			return
		}
		for k, child := range m {
			if k != "_errors" {
				walk(child)
				continue
			}
			list, _ := child.([]any)
			for _, e := range list {
				if em, ok := e.(map[string]any); ok {
					if _, isString := em["code"].(string); isString {
						em["code"] = 0
					}
				}
			}
		}
	}
	if top, ok := v.(map[string]any); ok {
		walk(top["errors"])
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	return out
}
