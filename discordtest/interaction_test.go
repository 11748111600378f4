package discordtest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/discordtest"
)

// choices returns n autocomplete choices.
func choices(n int) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, n)
	for i := range out {
		out[i] = &discordgo.ApplicationCommandOptionChoice{Name: fmt.Sprintf("engine %d", i), Value: fmt.Sprintf("e%d", i)}
	}
	return out
}

func TestCallbackLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		spec     *discordtest.InteractionSpec
		resp     discordgo.InteractionResponse
		wantCode int // 0: accepted
	}{
		{"25 autocomplete choices", discordtest.Autocomplete("imagine", discordtest.Focused("engine", "e")),
			discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: choices(25)}}, 0},
		{"26 autocomplete choices", discordtest.Autocomplete("imagine", discordtest.Focused("engine", "e")),
			discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: choices(26)}}, 50035},
		{"2000 characters", discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "x")),
			discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: strings.Repeat("é", 2000)}}, 0},
		{"2001 characters", discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "x")),
			discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: strings.Repeat("a", 2001)}}, 50035},
		{"empty message", discordtest.SlashCommand("imagine", discordtest.InDM()),
			discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{}}, 50006},
		{"message to autocomplete", discordtest.Autocomplete("imagine", discordtest.Focused("engine", "e")),
			discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: "hi"}}, 50035},
		{"choices to a command", discordtest.SlashCommand("imagine"),
			discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: choices(1)}}, 50035},
		{"update to a component", discordtest.ComponentClick("retry"),
			discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{Content: "again"}}, 0},
		{"custom_id of 101", discordtest.SlashCommand("imagine"),
			discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{
				Content: "pick", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: "Retry", Style: discordgo.PrimaryButton, CustomID: strings.Repeat("r", 101)}}}}}}, 50035},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t, discordtest.RecordOnly())
			s := newSession(t, srv)
			registerImagine(t, s, srv)
			it := srv.Inject(tt.spec)
			err := s.InteractionRespond(interactionOf(t, it), &tt.resp)
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("respond: %v", err)
				}
				if r := it.Responses(); len(r) != 1 || r[0].Type != int(tt.resp.Type) {
					t.Errorf("responses = %+v, want one of type %d", r, tt.resp.Type)
				}
				if p := srv.Problems(); len(p) != 0 {
					t.Errorf("problems = %v, want none", p)
				}
				return
			}
			if status, code := restCode(t, err); status != http.StatusBadRequest || code != tt.wantCode {
				t.Errorf("got %d/%d, want 400/%d", status, code, tt.wantCode)
			}
			if p := srv.Problems(); len(p) != 1 || p[0].Route != discordtest.RouteCallback {
				t.Errorf("problems = %v, want one on %s", p, discordtest.RouteCallback)
			}
			if r := it.Responses(); len(r) != 0 {
				t.Errorf("responses = %+v, want none", r)
			}
		})
	}
}

func TestAnsweredTwice(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	s := newSession(t, srv)
	registerImagine(t, s, srv)
	i := interactionOf(t, srv.Inject(discordtest.SlashCommand("imagine")))
	defer1 := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if err := s.InteractionRespond(i, defer1); err != nil {
		t.Fatalf("first respond: %v", err)
	}
	if status, code := restCode(t, s.InteractionRespond(i, defer1)); status != 400 || code != 40060 {
		t.Errorf("second respond = %d/%d, want 400/40060", status, code)
	}
	if p := srv.Problems(); len(p) != 1 || p[0].Code != 40060 {
		t.Errorf("problems = %v, want one 40060", p)
	}
}

func TestFollowupsAndDMs(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	registerImagine(t, s, srv)
	it := srv.Inject(discordtest.SlashCommand("imagine", discordtest.InDM(), discordtest.WithOption("prompt", "x")))
	i := interactionOf(t, it)
	if i.User == nil || i.Member != nil || i.User.ID != srv.User.ID || i.ChannelID != srv.DMChannelID {
		t.Fatalf("DM interaction user %v member %v channel %s", i.User, i.Member, i.ChannelID)
	}
	if err := s.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	}); err != nil {
		t.Fatalf("defer: %v", err)
	}
	first, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "first"})
	if err != nil {
		t.Fatalf("first follow-up: %v", err)
	}
	if orig := it.Original(); orig == nil || orig.ID != first.ID || orig.Loading() || !orig.Ephemeral() {
		t.Errorf("original = %+v, want the ephemeral placeholder replaced by the first follow-up %s", orig, first.ID)
	}
	second, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "second"})
	if err != nil || second.ID == first.ID {
		t.Fatalf("second follow-up = %v, %v; want a new message", second, err)
	}
	edited, err := s.FollowupMessageEdit(i, second.ID, &discordgo.WebhookEdit{Content: ptr("second, edited")})
	if err != nil || edited.Content != "second, edited" {
		t.Fatalf("edit follow-up = %v, %v", edited, err)
	}
	if err := s.FollowupMessageDelete(i, second.ID); err != nil {
		t.Fatalf("delete follow-up: %v", err)
	}
	fu := it.Followups()
	if len(fu) != 2 || !fu[1].Deleted || fu[1].Content != "second, edited" {
		t.Errorf("follow-ups = %+v, want 2 with the second edited and deleted", fu)
	}
	got, err := s.InteractionResponse(i)
	if err != nil || got.Content != "first" {
		t.Errorf("GET @original = %v, %v; want first", got, err)
	}
}

func TestChannelMessages(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	img := pngBytes(t)
	sent, err := s.ChannelMessageSendComplex(srv.OtherChannelID, &discordgo.MessageSend{
		Content: "fresh image",
		Files:   []*discordgo.File{{Name: "a.png", ContentType: "image/png", Reader: bytes.NewReader(img)}},
	})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if len(sent.Attachments) != 1 || sent.Attachments[0].Filename != "a.png" || sent.Attachments[0].Size != len(img) {
		t.Errorf("sent attachments = %+v, want a.png of %d bytes", sent.Attachments, len(img))
	}
	list, err := s.ChannelMessages(srv.OtherChannelID, 10, "", "", "")
	if err != nil || len(list) != 1 || list[0].ID != sent.ID {
		t.Fatalf("ChannelMessages = %v, %v; want the sent message", list, err)
	}
	stored := srv.Messages(srv.OtherChannelID)
	if len(stored) != 1 || !bytes.Equal(stored[0].Attachments[0].Data, img) {
		t.Errorf("stored = %+v, want the message with the PNG bytes", stored)
	}
}

func TestBadPNGIsRefused(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	s := newSession(t, srv)
	_, err := s.ChannelMessageSendComplex(srv.ChannelID, &discordgo.MessageSend{
		Files: []*discordgo.File{{Name: "a.png", Reader: strings.NewReader("not a png")}},
	})
	if status, code := restCode(t, err); status != 400 || code != 50035 {
		t.Errorf("got %d/%d, want 400/50035", status, code)
	}
	if p := srv.Problems(); len(p) != 1 || !strings.Contains(string(p[0].Errors), "files[0]") {
		t.Errorf("problems = %v, want one naming files[0]", p)
	}
}

func TestTokenExpires(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	registerImagine(t, s, srv)
	it := srv.Inject(discordtest.SlashCommand("imagine"))
	i := interactionOf(t, it)
	if err := s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatalf("defer: %v", err)
	}
	srv.Clock().Advance(14*time.Minute + 59*time.Second)
	if _, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: ptr("in time")}); err != nil {
		t.Fatalf("edit before expiry: %v", err)
	}
	srv.Clock().Advance(time.Second)
	_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: ptr("too late")})
	if status, code := restCode(t, err); status != http.StatusUnauthorized || code != 50027 {
		t.Errorf("edit after expiry = %d/%d, want 401/50027", status, code)
	}
	late := interactionOf(t, srv.Inject(discordtest.SlashCommand("imagine")))
	srv.Clock().Advance(15 * time.Minute)
	err = s.InteractionRespond(late, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if status, code := restCode(t, err); status != http.StatusNotFound || code != 10062 {
		t.Errorf("callback after expiry = %d/%d, want 404/10062", status, code)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems = %v, want none: expiry is the test's doing", p)
	}
}

func TestUnknownRouteFails(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	s := newSession(t, srv)
	_, err := s.Guild(srv.GuildID)
	if status, code := restCode(t, err); status != http.StatusNotFound || code != 0 {
		t.Errorf("got %d/%d, want 404/0", status, code)
	}
	want := "GET /api/v9/guilds/" + srv.GuildID
	if p := srv.Problems(); len(p) != 1 || p[0].Route != want {
		t.Errorf("problems = %v, want one naming %s", p, want)
	}
}

func TestMissingTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	s := newSession(t, srv)
	s.Token = "Bot wrong"
	_, err := s.User("@me")
	if status, _ := restCode(t, err); status != http.StatusUnauthorized {
		t.Errorf("got %d, want 401", status)
	}
	if p := srv.Problems(); len(p) != 1 || p[0].Route != discordtest.RouteMe {
		t.Errorf("problems = %v, want one on %s", p, discordtest.RouteMe)
	}
}

func ptr[T any](v T) *T { return &v }

func TestLateFirstCallbackIsRefused(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly(), discordtest.WithAckDeadline(time.Nanosecond))
	s := newSession(t, srv)
	registerImagine(t, s, srv)
	it := srv.Inject(discordtest.SlashCommand("imagine"))
	err := s.InteractionRespond(interactionOf(t, it), &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if status, code := restCode(t, err); status != http.StatusNotFound || code != 10062 {
		t.Errorf("got %d/%d, want 404/10062", status, code)
	}
	if p := srv.Problems(); len(p) != 1 || p[0].Code != 10062 {
		t.Errorf("problems = %v, want one late callback", p)
	}
	if _, ok := it.AckLatency(); ok {
		t.Error("AckLatency reports a callback that was refused")
	}
}

// TestDMOnlyForCommandsOfferedInDMs: Discord never sends a DM interaction
// for a command registered for guilds only, so neither does the fake.
func TestDMOnlyForCommandsOfferedInDMs(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.RecordOnly())
	s := newSession(t, srv)
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	noDM := false
	cmds := []*discordgo.ApplicationCommand{
		{Name: "server-only", Description: "Guild context only", Contexts: &guildOnly},
		{Name: "legacy", Description: "dm_permission false", DMPermission: &noDM},
		{Name: "anywhere", Description: "No contexts given"},
	}
	if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID, "", cmds); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"server-only", "legacy"} {
		srv.Inject(discordtest.SlashCommand(name, discordtest.InDM()))
		srv.Inject(discordtest.SlashCommand(name)) // in the guild: fine
	}
	srv.Inject(discordtest.SlashCommand("anywhere", discordtest.InDM()))
	problems := srv.Problems()
	if len(problems) != 2 {
		t.Fatalf("problems = %v, want the two DM injections refused", problems)
	}
	for _, p := range problems {
		if p.Route != "inject" || !strings.Contains(p.Message, "DM") {
			t.Errorf("problem %+v, want a refused DM injection", p)
		}
	}
}
