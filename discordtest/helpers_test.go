package discordtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/discordtest"
)

// rewriteTransport sends every request to base instead of https://discord.com, as the bot
// does when DISCORD_API_BASE is set.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host, r2.Host = t.base.Scheme, t.base.Host, t.base.Host
	return t.next.RoundTrip(r2)
}

// newSession returns a discordgo session that talks to srv, without opening the gateway.
func newSession(t *testing.T, srv *discordtest.Server) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + srv.Token)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatalf("parse %q: %v", srv.URL, err)
	}
	s.Client = &http.Client{Timeout: 10 * time.Second, Transport: rewriteTransport{base: base, next: http.DefaultTransport}}
	return s
}

// openSession opens the gateway of a new session after setup ran (to add handlers), and
// closes it when the test ends; discordgo's Close takes a second.
func openSession(t *testing.T, srv *discordtest.Server, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	s := newSession(t, srv)
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// testContext is a context that ends with the test or after 10 s.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// registerImagine registers the /imagine command in the guild and globally.
func registerImagine(t *testing.T, s *discordgo.Session, srv *discordtest.Server) {
	t.Helper()
	cmds := []*discordgo.ApplicationCommand{{
		Name: "imagine", Description: "Turn a prompt into an image",
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "prompt", Description: "What to draw", Required: true},
			{Type: discordgo.ApplicationCommandOptionString, Name: "engine", Description: "Which engine", Autocomplete: true},
		},
	}}
	for _, guild := range []string{srv.GuildID, ""} {
		if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID, guild, cmds); err != nil {
			t.Fatalf("register /imagine (guild %q): %v", guild, err)
		}
	}
}

// interactionOf decodes what the bot would receive for it, for tests that skip the gateway.
func interactionOf(t *testing.T, it *discordtest.Interaction) *discordgo.Interaction {
	t.Helper()
	var i discordgo.Interaction
	if err := json.Unmarshal(it.Payload(), &i); err != nil {
		t.Fatalf("decode interaction: %v", err)
	}
	return &i
}

// restCode returns the HTTP status and Discord error code of a discordgo REST error.
func restCode(t *testing.T, err error) (int, int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("got error %v (%T), want *discordgo.RESTError", err, err)
	}
	if re.Message == nil {
		t.Fatalf("RESTError without message: %s", re.ResponseBody)
	}
	return re.Response.StatusCode, re.Message.Code
}

// pngBytes returns a small valid PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}
