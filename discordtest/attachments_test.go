package discordtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/discordtest"
)

// registerVary registers /vary, which takes a picture and a prompt, in the guild.
func registerVary(t *testing.T, srv *discordtest.Server) {
	t.Helper()
	s := newSession(t, srv)
	cmds := []*discordgo.ApplicationCommand{{
		Name: "vary", Description: "Draw a variation of a picture",
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "picture", Description: "The picture", Required: true},
			{Type: discordgo.ApplicationCommandOptionString, Name: "prompt", Description: "What to change"},
		},
	}}
	if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID, srv.GuildID, cmds); err != nil {
		t.Fatalf("register /vary: %v", err)
	}
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, body
}

func TestAttachmentOptionIsRegistered(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	registerVary(t, srv)
	cmds := srv.Commands(srv.GuildID)
	if len(cmds) != 1 || !strings.Contains(string(cmds[0].JSON), `"type":11`) {
		t.Errorf("stored %v, want /vary with its attachment option", cmds)
	}
}

func TestAddAttachmentIsServed(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	img := pngBytes(t)
	tests := []struct {
		name, filename, contentType string
		data                        []byte
		width, height               int
	}{
		{"png", "cat.png", "image/png", img, 4, 4},
		{"text, no type", "notes.txt", "", []byte("not a picture"), 0, 0},
		{"name to escape", "my cat #1.png", "image/png", img, 4, 4},
	}
	for i, tt := range tests {
		a := srv.AddAttachment(tt.filename, tt.contentType, tt.data)
		prefix := srv.URL + "/attachments/" + srv.ChannelID + "/" + a.ID + "/"
		if a.ID == "" || !strings.HasPrefix(a.URL, prefix) || a.ProxyURL != a.URL || !strings.Contains(a.URL, "&hm=") {
			t.Errorf("%s: URL %q, proxy %q, want under %s, signed", tt.name, a.URL, a.ProxyURL, prefix)
		}
		if a.Filename != tt.filename || a.Size != len(tt.data) || a.Width != tt.width || a.Height != tt.height {
			t.Errorf("%s: got %s of %d bytes, %dx%d; want %s of %d bytes, %dx%d", tt.name,
				a.Filename, a.Size, a.Width, a.Height, tt.filename, len(tt.data), tt.width, tt.height)
		}
		status, body := get(t, a.URL)
		if status != http.StatusOK || !bytes.Equal(body, tt.data) {
			t.Errorf("%s: GET got %d with %d bytes, want 200 with %d", tt.name, status, len(body), len(tt.data))
		}
		if n := srv.AttachmentDownloads(); n != i+1 {
			t.Errorf("%s: %d downloads, want %d", tt.name, n, i+1)
		}
	}
}

func TestAttachmentNotServed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		url     func(srv *discordtest.Server, a discordtest.Attachment) string
		advance time.Duration
		problem bool // a bot bug, not what Discord does to a correct bot
	}{
		{"unknown id", func(srv *discordtest.Server, a discordtest.Attachment) string {
			return strings.Replace(a.URL, a.ID, "1234", 1)
		}, 0, false},
		{"other file name", func(srv *discordtest.Server, a discordtest.Attachment) string {
			return strings.Replace(a.URL, "cat.png", "dog.png", 1)
		}, 0, false},
		{"outside the attachments", func(srv *discordtest.Server, _ discordtest.Attachment) string {
			return srv.URL + "/attachments/"
		}, 0, false},
		{"expired", func(_ *discordtest.Server, a discordtest.Attachment) string { return a.URL }, 25 * time.Hour, false},
		{"query dropped", func(_ *discordtest.Server, a discordtest.Attachment) string {
			return strings.Split(a.URL, "?")[0]
		}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t, discordtest.RecordOnly())
			a := srv.AddAttachment("cat.png", "image/png", pngBytes(t))
			srv.Clock().Advance(tt.advance)
			if status, _ := get(t, tt.url(srv, a)); status != http.StatusNotFound {
				t.Errorf("got %d, want 404", status)
			}
			if p := srv.Problems(); (len(p) > 0) != tt.problem {
				t.Errorf("problems = %v, want some: %v", p, tt.problem)
			}
			if n := srv.AttachmentDownloads(); n != 0 {
				t.Errorf("%d downloads, want 0", n)
			}
		})
	}
}

func TestWithAttachment(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	registerVary(t, srv)
	a := srv.AddAttachment("cat.png", "image/png", pngBytes(t))
	tests := []struct {
		name string
		opt  discordtest.InteractionOption
		url  string
	}{
		{"as uploaded", discordtest.WithAttachment("picture", a), a.URL},
		{"another host", discordtest.WithAttachmentURL("picture", a, "https://evil.example/cat.png"), "https://evil.example/cat.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			it := srv.Inject(discordtest.SlashCommand("vary", tt.opt, discordtest.WithOption("prompt", "in blue")))
			data := interactionOf(t, it).ApplicationCommandData()
			if len(data.Options) != 2 || data.Options[0].Type != discordgo.ApplicationCommandOptionAttachment || data.Options[0].Value != a.ID {
				t.Fatalf("options = %+v, want the attachment %s first", data.Options, a.ID)
			}
			got := data.Resolved.Attachments[a.ID]
			want := discordgo.MessageAttachment{ID: a.ID, URL: tt.url, ProxyURL: tt.url, Filename: "cat.png",
				ContentType: "image/png", Width: 4, Height: 4, Size: a.Size, Ephemeral: true}
			if got == nil || *got != want {
				t.Errorf("resolved = %+v, want %+v", got, want)
			}
		})
	}
	if n := srv.AttachmentDownloads(); n != 0 {
		t.Errorf("%d downloads, want 0: injecting fetches nothing", n)
	}
}

func TestAttachmentInSubcommand(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	a := srv.AddAttachment("cat.png", "image/png", pngBytes(t))
	s := newSession(t, srv)
	cmd := &discordgo.ApplicationCommand{Name: "picture", Description: "Pictures", Options: []*discordgo.ApplicationCommandOption{{
		Type: discordgo.ApplicationCommandOptionSubCommand, Name: "vary", Description: "Vary a picture",
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "picture", Description: "The picture", Required: true},
		},
	}}}
	if _, err := s.ApplicationCommandCreate(srv.AppID, srv.GuildID, cmd); err != nil {
		t.Fatalf("create /picture: %v", err)
	}
	it := srv.Inject(discordtest.SlashCommand("picture", discordtest.Subcommand("vary", discordtest.WithAttachment("picture", a))))
	var p struct {
		Data struct {
			Resolved struct {
				Attachments map[string]json.RawMessage `json:"attachments"`
			} `json:"resolved"`
		} `json:"data"`
	}
	if err := json.Unmarshal(it.Payload(), &p); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if _, ok := p.Data.Resolved.Attachments[a.ID]; !ok || len(p.Data.Resolved.Attachments) != 1 {
		t.Errorf("resolved attachments = %v, want %s", p.Data.Resolved.Attachments, a.ID)
	}
}

func TestMessageAttachmentIsServed(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	img := pngBytes(t)
	sent, err := s.ChannelMessageSendComplex(srv.ChannelID, &discordgo.MessageSend{
		Files: []*discordgo.File{{Name: "a.png", ContentType: "image/png", Reader: bytes.NewReader(img)}},
	})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	att := sent.Attachments[0]
	if att.Width != 4 || att.Height != 4 {
		t.Errorf("got %dx%d, want 4x4", att.Width, att.Height)
	}
	if status, body := get(t, att.URL); status != http.StatusOK || !bytes.Equal(body, img) {
		t.Errorf("GET %s: got %d with %d bytes, want the PNG", att.URL, status, len(body))
	}
}
