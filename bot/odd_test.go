package bot_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
)

// TestOddInteractionsGetAnAnswer: interactions the bot has no handler for,
// or that lack a member or user, are answered without a panic.
func TestOddInteractionsGetAnAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *discordgo.Interaction
	}{
		{"component without a handler", &discordgo.Interaction{ID: "1", Type: discordgo.InteractionMessageComponent,
			ChannelID: "c", Data: discordgo.MessageComponentInteractionData{CustomID: "unknown:42"}}},
		{"modal submit", &discordgo.Interaction{ID: "2", Type: discordgo.InteractionModalSubmit,
			ChannelID: "c", Data: discordgo.ModalSubmitInteractionData{CustomID: "m"}}},
		{"command with neither member nor user", &discordgo.Interaction{ID: "3", Type: discordgo.InteractionApplicationCommand,
			GuildID: "g", ChannelID: "c", Data: discordgo.ApplicationCommandInteractionData{Name: "imagine"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := bottest.NewRecorder()
			log := slog.New(slog.DiscardHandler)
			rt := bot.NewRouter(log, nil)
			rt.Use(bot.Recover(log), bot.Log(log))
			rt.Command("imagine", func(_ context.Context, r *bot.Request) (*bot.Response, error) {
				return &bot.Response{Content: "hello " + r.UserID(), Ephemeral: true}, nil
			})
			rt.Handle(context.Background(), rec, tt.in)
			if calls := rec.Calls(); len(calls) != 1 || calls[0].Method != "respond" {
				t.Errorf("calls %+v, want one answer", calls)
			}
		})
	}
}
