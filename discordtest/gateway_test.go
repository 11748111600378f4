package discordtest_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/discordtest"
)

func TestOpenReachesReady(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	// The handlers copy what they check: discordgo's State changes the structs later.
	type readyInfo struct {
		userID, appID, sessionID string
		bot                      bool
		guilds                   []string
	}
	ready := make(chan readyInfo, 1)
	guild := make(chan []string, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		// discordgo's State updates READY's guilds while asynchronous handlers read them.
		s.SyncEvents = true
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			info := readyInfo{userID: r.User.ID, bot: r.User.Bot, sessionID: r.SessionID}
			if r.Application != nil {
				info.appID = r.Application.ID
			}
			for _, g := range r.Guilds {
				info.guilds = append(info.guilds, g.ID)
			}
			ready <- info
		})
		s.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) {
			ids := []string{g.ID}
			for _, ch := range g.Channels {
				ids = append(ids, ch.ID)
			}
			guild <- ids
		})
	})
	ctx := testContext(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	select {
	case r := <-ready:
		if r.userID != srv.Bot.ID || !r.bot || r.appID != srv.AppID {
			t.Errorf("READY user %s (bot %v) app %s, want bot %s of app %s", r.userID, r.bot, r.appID, srv.Bot.ID, srv.AppID)
		}
		if r.sessionID == "" || len(r.guilds) != 1 || r.guilds[0] != srv.GuildID {
			t.Errorf("READY session %q guilds %v, want a session and guild %s", r.sessionID, r.guilds, srv.GuildID)
		}
	case <-ctx.Done():
		t.Fatal("no READY handler call")
	}
	select {
	case ids := <-guild:
		want := []string{srv.GuildID, srv.ChannelID, srv.OtherChannelID}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("GUILD_CREATE guild and channels = %v, want %v", ids, want)
		}
	case <-ctx.Done():
		t.Fatal("no GUILD_CREATE handler call")
	}
	if err := srv.WaitGateway(ctx, func(st discordtest.GatewayStats) bool { return st.Heartbeats > 0 }); err != nil {
		t.Errorf("no heartbeat answered: %v", err)
	}
}

func TestSlashCommandDeferThenEditWithPNG(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	img := pngBytes(t)
	errs := make(chan error, 2)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			if ic.Member == nil || ic.GuildID != srv.GuildID || ic.ApplicationCommandData().Options[0].StringValue() != "a red dot" {
				t.Errorf("interaction member %v guild %q data %+v", ic.Member, ic.GuildID, ic.Data)
			}
			errs <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
			done := "Here it is"
			_, err := s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{
				Content: &done,
				Files:   []*discordgo.File{{Name: "dream.png", ContentType: "image/png", Reader: bytes.NewReader(img)}},
			})
			errs <- err
		})
	})
	registerImagine(t, s, srv)
	ctx := testContext(t)

	it := srv.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a red dot")))
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("bot call: %v", err)
		}
	}
	resp, err := it.WaitResponse(ctx)
	if err != nil {
		t.Fatalf("WaitResponse: %v", err)
	}
	if resp.Type != 5 {
		t.Errorf("callback type = %d, want 5", resp.Type)
	}
	if lat, ok := it.AckLatency(); !ok || lat != resp.Latency || lat <= 0 {
		t.Errorf("AckLatency = %v, %v; want the response's %v", lat, ok, resp.Latency)
	}
	msg, err := it.WaitOriginal(ctx, func(m *discordtest.Message) bool { return !m.Loading() })
	if err != nil {
		t.Fatalf("WaitOriginal: %v", err)
	}
	if msg.Content != "Here it is" || len(msg.Attachments) != 1 {
		t.Fatalf("original = %q with %d attachments, want the edit with 1", msg.Content, len(msg.Attachments))
	}
	att := msg.Attachments[0]
	if att.Filename != "dream.png" || att.Size != len(img) || !bytes.Equal(att.Data, img) {
		t.Errorf("attachment %s size %d, want dream.png with the %d bytes sent", att.Filename, att.Size, len(img))
	}
	if got := srv.Messages(srv.ChannelID); len(got) != 1 || got[0].ID != msg.ID {
		t.Errorf("channel messages = %d, want the original only", len(got))
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems = %v, want none", p)
	}
}

func TestGatewayDropResumeReplaysInteraction(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	got := make(chan string, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			got <- ic.ID
			if err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "back again"},
			}); err != nil {
				t.Errorf("respond: %v", err)
			}
		})
	})
	registerImagine(t, s, srv)
	ctx := testContext(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}

	release := srv.HoldGateway()
	srv.DropGateway()
	it := srv.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "while away")))
	if st := srv.GatewayStats(); st.Live {
		t.Fatalf("gateway still live after DropGateway: %+v", st)
	}
	release()
	if err := srv.WaitResumed(ctx); err != nil {
		t.Fatalf("WaitResumed: %v", err)
	}
	select {
	case id := <-got:
		if id != it.ID() {
			t.Errorf("handler got interaction %s, want %s", id, it.ID())
		}
	case <-ctx.Done():
		t.Fatal("interaction injected while disconnected never arrived")
	}
	if _, err := it.WaitOriginal(ctx, func(m *discordtest.Message) bool { return m.Content == "back again" }); err != nil {
		t.Fatalf("WaitOriginal: %v", err)
	}
	if st := srv.GatewayStats(); st.Identified != 1 || st.Resumed != 1 || st.Connected != 2 {
		t.Errorf("gateway stats = %+v, want 2 connections, 1 identify, 1 resume", st)
	}
}
