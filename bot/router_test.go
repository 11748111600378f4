package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
)

// TestHandleUnreadableData: an interaction whose data is not what its type
// promises (discordgo leaves Data nil when it cannot decode it) gets one
// private apology, or empty choices for autocomplete, and no handler runs.
func TestHandleUnreadableData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       *discordgo.Interaction
		wantType discordgo.InteractionResponseType
	}{
		{"command without data", &discordgo.Interaction{ID: "1", Type: discordgo.InteractionApplicationCommand}, discordgo.InteractionResponseChannelMessageWithSource},
		{"component with a command's data", &discordgo.Interaction{ID: "2", Type: discordgo.InteractionMessageComponent,
			Data: discordgo.ApplicationCommandInteractionData{Name: "imagine"}}, discordgo.InteractionResponseChannelMessageWithSource},
		{"modal submit without data", &discordgo.Interaction{ID: "3", Type: discordgo.InteractionModalSubmit}, discordgo.InteractionResponseChannelMessageWithSource},
		{"autocomplete without data", &discordgo.Interaction{ID: "4", Type: discordgo.InteractionApplicationCommandAutocomplete}, discordgo.InteractionApplicationCommandAutocompleteResult},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := bottest.NewRecorder()
			log := slog.New(slog.DiscardHandler)
			rt := bot.NewRouter(log, nil)
			rt.Use(bot.Recover(log), bot.Log(log))
			ran := false
			h := func(context.Context, *bot.Request) (*bot.Response, error) { ran = true; return nil, nil }
			rt.Command("", h)
			rt.Autocomplete("", h)
			rt.Component("", h)
			rt.Handle(context.Background(), rec, tt.in)
			calls := rec.Calls()
			if len(calls) != 1 || calls[0].Type != tt.wantType {
				t.Fatalf("calls %+v, want one callback of type %v", calls, tt.wantType)
			}
			if c := calls[0]; c.Type == discordgo.InteractionResponseChannelMessageWithSource &&
				(!strings.Contains(c.Content, "couldn't read") || c.Flags != discordgo.MessageFlagsEphemeral) {
				t.Errorf("got %q (flags %v), want a private apology", c.Content, c.Flags)
			}
			if ran {
				t.Error("a handler ran on data that could not be read")
			}
		})
	}
}

// TestHandleRecoversOutsideHandlers: a panic after the handler (here in the
// describer) is logged and answered once, not left to end the process.
func TestHandleRecoversOutsideHandlers(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	rt := bot.NewRouter(slog.New(slog.DiscardHandler), func(error) (*bot.Response, bool) { panic("describer broke") })
	rt.Command("imagine", func(context.Context, *bot.Request) (*bot.Response, error) { return nil, errors.New("no") })
	rt.Handle(context.Background(), rec, command("imagine"))
	if calls := rec.Calls(); len(calls) != 1 || !strings.HasPrefix(calls[0].Content, "Sorry") {
		t.Fatalf("calls %+v, want one apology", calls)
	}
}

func TestHandleNothing(t *testing.T) {
	t.Parallel()
	rec := bottest.NewRecorder()
	rt := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	rt.Handle(context.Background(), rec, nil)
	rt.Reject(context.Background(), rec, nil, "no")
	if calls := rec.Calls(); len(calls) != 0 {
		t.Errorf("calls %+v, want none", calls)
	}
}
