package discordtest_test

import (
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/discordtest"
)

func TestBulkOverwriteStoresCommands(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	perm := int64(discordgo.PermissionSendMessages)
	cmds := []*discordgo.ApplicationCommand{
		{Name: "imagine", Description: "Turn a prompt into an image", DefaultMemberPermissions: &perm,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "prompt", Description: "What to draw", Required: true},
				{Type: discordgo.ApplicationCommandOptionString, Name: "engine", Description: "Which engine", Autocomplete: true},
			}},
		{Name: "engines", Description: "List the engines"},
	}
	first, err := s.ApplicationCommandBulkOverwrite(srv.AppID, srv.GuildID, cmds)
	if err != nil {
		t.Fatalf("bulk overwrite: %v", err)
	}
	if len(first) != 2 || first[0].ID == "" || first[0].ApplicationID != srv.AppID || first[0].GuildID != srv.GuildID {
		t.Fatalf("returned %+v, want 2 commands with ids of this app and guild", first)
	}
	if first[0].DefaultMemberPermissions == nil || *first[0].DefaultMemberPermissions != perm {
		t.Errorf("default_member_permissions = %v, want %d", first[0].DefaultMemberPermissions, perm)
	}
	stored := srv.Commands(srv.GuildID)
	if len(stored) != 2 || stored[0].Name != "imagine" || stored[1].Name != "engines" {
		t.Fatalf("stored = %+v, want imagine and engines", stored)
	}
	if global := srv.Commands(""); len(global) != 0 {
		t.Errorf("global commands = %d, want 0", len(global))
	}

	again, err := s.ApplicationCommandBulkOverwrite(srv.AppID, srv.GuildID, cmds[:1])
	if err != nil {
		t.Fatalf("second overwrite: %v", err)
	}
	if len(again) != 1 || again[0].ID != first[0].ID {
		t.Errorf("second overwrite = %+v, want imagine with its id %s kept", again, first[0].ID)
	}
	listed, err := s.ApplicationCommands(srv.AppID, srv.GuildID)
	if err != nil || len(listed) != 1 {
		t.Fatalf("ApplicationCommands = %d, %v; want 1", len(listed), err)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems = %v, want none", p)
	}
}

func TestSingleCommandRoutes(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	s := newSession(t, srv)
	created, err := s.ApplicationCommandCreate(srv.AppID, "", &discordgo.ApplicationCommand{Name: "engines", Description: "List the engines"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	edited, err := s.ApplicationCommandEdit(srv.AppID, "", created.ID, &discordgo.ApplicationCommand{Name: "engines", Description: "List every engine"})
	if err != nil || edited.Description != "List every engine" || edited.ID != created.ID {
		t.Fatalf("edit = %+v, %v; want the new description on the same id", edited, err)
	}
	got, err := s.ApplicationCommand(srv.AppID, "", created.ID)
	if err != nil || got.Description != "List every engine" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	if err := s.ApplicationCommandDelete(srv.AppID, "", created.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if n := len(srv.Commands("")); n != 0 {
		t.Errorf("global commands after delete = %d, want 0", n)
	}
}

func TestInvalidCommandsAreRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cmd  discordgo.ApplicationCommand
	}{
		{"upper case name", discordgo.ApplicationCommand{Name: "Imagine", Description: "Draw"}},
		{"space in name", discordgo.ApplicationCommand{Name: "make image", Description: "Draw"}},
		{"name too long", discordgo.ApplicationCommand{Name: "abcdefghijklmnopqrstuvwxyz1234567", Description: "Draw"}},
		{"no description", discordgo.ApplicationCommand{Name: "imagine"}},
		{"upper case option", discordgo.ApplicationCommand{Name: "imagine", Description: "Draw", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "Prompt", Description: "What"}}}},
		{"required after optional", discordgo.ApplicationCommand{Name: "imagine", Description: "Draw", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "engine", Description: "Which"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "prompt", Description: "What", Required: true}}}},
		{"attachment with choices", discordgo.ApplicationCommand{Name: "vary", Description: "Vary", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "picture", Description: "Which", Choices: choices(1)}}}},
		{"attachment with autocomplete", discordgo.ApplicationCommand{Name: "vary", Description: "Vary", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "picture", Description: "Which", Autocomplete: true}}}},
		{"attachment with channel types", discordgo.ApplicationCommand{Name: "vary", Description: "Vary", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "picture", Description: "Which", ChannelTypes: []discordgo.ChannelType{0}}}}},
		{"attachment without description", discordgo.ApplicationCommand{Name: "vary", Description: "Vary", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: "picture"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t, discordtest.RecordOnly())
			s := newSession(t, srv)
			_, err := s.ApplicationCommandBulkOverwrite(srv.AppID, srv.GuildID, []*discordgo.ApplicationCommand{&tt.cmd})
			if status, code := restCode(t, err); status != http.StatusBadRequest || code != 50035 {
				t.Errorf("got %d/%d, want 400/50035", status, code)
			}
			p := srv.Problems()
			if len(p) != 1 || p[0].Route != discordtest.RoutePutGuildCommands || p[0].Code != 50035 {
				t.Errorf("problems = %v, want one 50035 on %s", p, discordtest.RoutePutGuildCommands)
			}
			if n := len(srv.Commands(srv.GuildID)); n != 0 {
				t.Errorf("stored %d commands, want 0", n)
			}
		})
	}
}
