package discordtest_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/discordtest"
)

func TestRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault discordtest.Fault
	}{
		{"bucket", discordtest.RateLimited(10 * time.Millisecond)},
		{"global", discordtest.GloballyRateLimited(10 * time.Millisecond)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			s := newSession(t, srv)
			limited := make(chan *discordgo.RateLimit, 1)
			s.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) { limited <- rl })
			srv.FailNext(discordtest.RoutePutGlobalCommands, 1, tt.fault)
			cmds := []*discordgo.ApplicationCommand{{Name: "engines", Description: "List the engines"}}
			if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID, "", cmds); err != nil {
				t.Fatalf("bulk overwrite: %v", err)
			}
			var statuses []int
			for _, r := range srv.Requests() {
				if r.Route == discordtest.RoutePutGlobalCommands {
					statuses = append(statuses, r.Status)
				}
			}
			if len(statuses) != 2 || statuses[0] != http.StatusTooManyRequests || statuses[1] != http.StatusOK {
				t.Errorf("statuses = %v, want [429 200]", statuses)
			}
			// discordgo calls handlers on their own goroutines.
			select {
			case rl := <-limited:
				if rl.RetryAfter != 10*time.Millisecond {
					t.Errorf("retry_after = %v, want 10ms", rl.RetryAfter)
				}
			case <-testContext(t).Done():
				t.Error("discordgo saw no rate limit")
			}
			if n := len(srv.Commands("")); n != 1 {
				t.Errorf("commands = %d, want 1", n)
			}
		})
	}
}

func TestServerErrorIsReturned(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	srv.FailNext(discordtest.RouteMe, 1, discordtest.ServerError(http.StatusInternalServerError))
	_, err := s.User("@me")
	if status, _ := restCode(t, err); status != http.StatusInternalServerError {
		t.Errorf("got %d, want 500", status)
	}
	if u, err := s.User("@me"); err != nil || u.ID != srv.Bot.ID {
		t.Errorf("second try = %v, %v; want the bot", u, err)
	}
}

func TestUploadTooLarge(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.WithUploadLimit(1<<20))
	s := newSession(t, srv)
	registerImagine(t, s, srv)
	it := srv.Inject(discordtest.SlashCommand("imagine"))
	i := interactionOf(t, it)
	if err := s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatalf("defer: %v", err)
	}
	img := pngBytes(t)
	edit := func() error {
		_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{
			Files: []*discordgo.File{{Name: "dream.png", ContentType: "image/png", Reader: bytes.NewReader(img)}},
		})
		return err
	}
	srv.FailNext(discordtest.RouteEditOriginal, 1, discordtest.TooLarge())
	if status, code := restCode(t, edit()); status != http.StatusRequestEntityTooLarge || code != 40005 {
		t.Errorf("knob: got %d/%d, want 413/40005", status, code)
	}
	if err := edit(); err != nil {
		t.Fatalf("edit after the knob: %v", err)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems = %v, want none: the knob is the test's doing", p)
	}
}

func TestUploadOverLimitIsRefused(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.WithUploadLimit(1<<20), discordtest.RecordOnly())
	s := newSession(t, srv)
	_, err := s.ChannelMessageSendComplex(srv.ChannelID, &discordgo.MessageSend{
		Files: []*discordgo.File{{Name: "big.png", ContentType: "image/png", Reader: bytes.NewReader(append(pngBytes(t), make([]byte, 1<<20)...))}},
	})
	if status, code := restCode(t, err); status != http.StatusRequestEntityTooLarge || code != 40005 {
		t.Errorf("got %d/%d, want 413/40005", status, code)
	}
	if p := srv.Problems(); len(p) != 1 || p[0].Code != 40005 {
		t.Errorf("problems = %v, want one 40005: Discord would refuse this upload", p)
	}
}
