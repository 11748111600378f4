package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"dreambot/bot"
	"dreambot/generate"
	"dreambot/settings"
)

// History remembers results for the buttons under them (a
// *sqlite.DB in dreambot). request is the caller's own JSON.
type History interface {
	RememberGeneration(ctx context.Context, guildID, memberID string, request []byte) (int64, error)
	Generation(ctx context.Context, id int64) (guildID string, request []byte, err error)
}

// Button prefixes: a custom id is a prefix, ":" and a remembered result's id, and for Vary ":"
// and its strength. The state lives in the database, not in the id.
const (
	againPrefix   = "again"
	varyPrefix    = "vary"
	upscalePrefix = "up"
)

// remembered is what the bot keeps of one image it made, for the buttons under it: how it was
// made (with how many images its request asked for), and where it was saved. Rows written before
// it held a bare generate.Request.
type remembered struct {
	Request    generate.Request `json:"request"`
	Count      int              `json:"count,omitempty"`
	Path       string           `json:"path,omitempty"`
	EngineName string           `json:"engine_name,omitempty"`
	// Varied is set for a variation (its Init is the image it varied), Member for whom it was
	// made (a DM's buttons are that member's alone).
	Varied bool   `json:"varied,omitempty"`
	Member string `json:"member,omitempty"`
}

func decodeRemembered(raw []byte) (remembered, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return remembered{}, err
	}
	if _, ok := probe["request"]; !ok {
		var req generate.Request
		err := json.Unmarshal(raw, &req)
		return remembered{Request: req}, err
	}
	var m remembered
	err := json.Unmarshal(raw, &m)
	return m, err
}

// recall reads the result a button stands for, and checks that it may be used here.
func (s *Set) recall(ctx context.Context, r *bot.Request) (remembered, string, error) {
	_, rest, _ := strings.Cut(r.MessageComponentData().CustomID, ":")
	idText, arg, _ := strings.Cut(rest, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return remembered{}, "", inputErrorf("That button doesn't work. Use /imagine instead.")
	}
	guildID, raw, err := s.history.Generation(ctx, id)
	if err != nil {
		return remembered{}, "", fmt.Errorf("recall generation %d: %w", id, err)
	}
	if raw == nil {
		return remembered{}, "", inputErrorf("That image is older than what I remember, so its buttons no longer work. Use /imagine instead.")
	}
	if guildID != r.GuildID {
		return remembered{}, "", inputErrorf("That button belongs to another conversation.")
	}
	if !r.InGuild() && !s.cfg.AllowDMs {
		return remembered{}, "", inputErrorf("I only make images in servers: use /imagine in a server we share.")
	}
	m, err := decodeRemembered(raw)
	if err != nil {
		return remembered{}, "", fmt.Errorf("recall generation %d: %w", id, err)
	}
	if !r.InGuild() && m.Member != "" && m.Member != r.UserID() {
		return remembered{}, "", inputErrorf("That button belongs to another conversation.")
	}
	return m, arg, nil
}

// again makes a remembered request again with new seeds, as many images as it asked for.
func (s *Set) again(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	m, _, err := s.recall(ctx, r)
	if err != nil {
		return nil, err
	}
	if m.Request.Upscale != "" {
		return nil, inputErrorf("That image is an upscale: use the buttons of the image it came from.")
	}
	engine, err := s.pickEngine(ctx, r.GuildID, m.Request.Engine)
	if err != nil {
		return nil, err
	}
	// Again makes what the image's request made, under today's switches.
	switch {
	case m.Request.Init != nil && m.Varied:
		if err := s.enabled(ctx, r.GuildID, settings.FeatureVary, "Vary"); err != nil {
			return nil, err
		}
	case m.Request.Init != nil:
		if err := s.enabled(ctx, r.GuildID, settings.FeatureImage, "Starting from your own picture"); err != nil {
			return nil, err
		}
	}
	count := max(m.Count, 1)
	if count > 1 && s.enabled(ctx, r.GuildID, settings.FeatureCount, "") != nil {
		count = 1 // several at once is off now: one image
	}
	req := m.Request
	req.Engine, req.Seed = engine.ID, 0 // a new random seed
	return s.accept(ctx, r, req, engine, jobOptions{count: count})
}
