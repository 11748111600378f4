package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/generate"
)

// History remembers generation requests for the Again button (a
// *sqlite.DB in dreambot). Generation returns a nil request for an id it
// does not know (any more).
type History interface {
	RememberGeneration(ctx context.Context, guildID, memberID string, request []byte) (int64, error)
	Generation(ctx context.Context, id int64) (guildID string, request []byte, err error)
}

const againPrefix = "again"

// againButton remembers req and returns a button that makes it again with
// a new seed, or no button when it cannot be remembered.
func (s *Set) againButton(ctx context.Context, guildID, memberID string, req generate.Request) []discordgo.MessageComponent {
	if s.history == nil {
		return nil
	}
	raw, err := json.Marshal(req)
	if err == nil {
		var id int64
		if id, err = s.history.RememberGeneration(ctx, guildID, memberID, raw); err == nil {
			return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{
					Label: "Again", Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "🔁"},
					CustomID: againPrefix + ":" + strconv.FormatInt(id, 10),
				},
			}}}
		}
	}
	s.log.Warn("could not remember the request: no Again button", "guild", guildID, "err", err)
	return nil
}

// again makes a remembered request again with a new seed, for whoever
// clicks: their own rate limit applies, and the server's engine rules as
// they are now.
func (s *Set) again(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	_, idText, _ := strings.Cut(r.MessageComponentData().CustomID, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, inputErrorf("That button doesn't work. Use /imagine instead.")
	}
	guildID, raw, err := s.history.Generation(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("recall generation %d: %w", id, err)
	}
	if raw == nil {
		return nil, inputErrorf("I no longer remember how that image was made. Use /imagine instead.")
	}
	if guildID != r.GuildID {
		return nil, inputErrorf("That button belongs to another conversation.")
	}
	if !r.InGuild() && !s.cfg.AllowDMs {
		return nil, inputErrorf("I only make images in servers: use /imagine in a server we share.")
	}
	var req generate.Request
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, fmt.Errorf("recall generation %d: %w", id, err)
	}
	engine, err := s.pickEngine(ctx, r.GuildID, req.Engine)
	if err != nil {
		return nil, err
	}
	req.Engine, req.Seed = engine.ID, 0 // a new random seed
	return s.accept(ctx, r, req, engine)
}
