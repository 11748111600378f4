package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/catalog"
	"dreambot/dreamstudio"
	"dreambot/settings"
)

// Discord's limits on autocomplete answers.
const (
	maxChoices       = 25
	maxChoiceNameLen = 100
	maxChoiceValue   = 100
)

func (s *Set) imagineAutocomplete(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	o := parseOptions(r.ApplicationCommandData())
	if o.focused == nil {
		return &bot.Response{}, nil
	}
	typed, _ := o.focused.Value.(string)
	switch o.focused.Name {
	case "engine":
		return &bot.Response{Choices: s.engineChoices(ctx, r.GuildID, typed)}, nil
	case "size":
		return &bot.Response{Choices: s.sizeChoices(ctx, r.GuildID, o.string("engine"), typed)}, nil
	}
	return &bot.Response{}, nil
}

// sizeChoices offers the sizes the chosen engine (or the server's default
// engine) accepts.
func (s *Set) sizeChoices(ctx context.Context, guildID, engine, typed string) []*discordgo.ApplicationCommandOptionChoice {
	if e, err := s.pickEngine(ctx, guildID, strings.TrimSpace(engine)); err == nil {
		engine = e.ID
	}
	typed = strings.ToLower(strings.ReplaceAll(typed, " ", ""))
	out := []*discordgo.ApplicationCommandOptionChoice{}
	if dreamstudio.IsStableImage(engine) {
		for _, ratio := range dreamstudio.AspectRatios() {
			if strings.Contains(ratio, typed) {
				out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: ratio + " " + ratioShape(ratio), Value: ratio})
			}
		}
		return out
	}
	for _, size := range dreamstudio.Sizes(engine) {
		if len(out) == maxChoices {
			break
		}
		v := size.String()
		if !strings.Contains(v, typed) {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: v + " (" + aspect(size) + ")", Value: v})
	}
	return out
}

// ratioShape names a ratio's shape for the size list.
func ratioShape(ratio string) string {
	var w, h int
	if _, err := fmt.Sscanf(ratio, "%d:%d", &w, &h); err != nil || w == h {
		return "(square)"
	}
	if w > h {
		return "(landscape)"
	}
	return "(portrait)"
}

// aspect names a size's aspect ratio, such as 16:9.
func aspect(s dreamstudio.Size) string {
	a, b := s.Width, s.Height
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return "?"
	}
	return fmt.Sprintf("%d:%d", s.Width/a, s.Height/a)
}

// engineChoices suggests the server's engines matching what the member
// typed. When the API is slow or down it answers from the cache or with
// nothing: autocomplete never shows an error.
func (s *Set) engineChoices(ctx context.Context, guildID, typed string) []*discordgo.ApplicationCommandOptionChoice {
	all, err := s.engines.Engines(ctx)
	if err != nil {
		s.log.Warn("engine autocomplete without a list", "guild", guildID, "err", err)
		return nil
	}
	g, err := s.guild(ctx, guildID)
	if err != nil {
		s.log.Warn("engine autocomplete without settings", "guild", guildID, "err", err)
		return nil
	}
	return choices(settings.AllowedEngines(g, s.cfg.operator(), all), typed)
}

// dreamstudioAutocomplete suggests engines to moderators: every engine for
// allow, the allowed ones for block and default-engine.
func (s *Set) dreamstudioAutocomplete(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	o := parseOptions(r.ApplicationCommandData())
	if o.focused == nil || o.focused.Name != "engine" {
		return &bot.Response{}, nil
	}
	typed, _ := o.focused.Value.(string)
	if o.sub() != "engines allow" {
		return &bot.Response{Choices: s.engineChoices(ctx, r.GuildID, typed)}, nil
	}
	all, err := s.engines.Engines(ctx)
	if err != nil {
		s.log.Warn("engine autocomplete without a list", "guild", r.GuildID, "err", err)
		return &bot.Response{}, nil
	}
	return &bot.Response{Choices: choices(catalog.Pictures(all), typed)}, nil
}

func choices(es []dreamstudio.Engine, typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.ToLower(strings.TrimSpace(typed))
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, e := range es {
		if len(out) == maxChoices {
			break
		}
		if len(e.ID) == 0 || len(e.ID) > maxChoiceValue {
			continue
		}
		if typed != "" && !strings.Contains(strings.ToLower(e.Name), typed) && !strings.Contains(strings.ToLower(e.ID), typed) {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: engineLabel(e), Value: e.ID})
	}
	return out
}

// engineLabel is an engine's name in a picker, with what an image costs, so members see that Ultra
// costs more than Core.
func engineLabel(e dreamstudio.Engine) string {
	name := strings.TrimSpace(e.Name)
	if name == "" {
		name = e.ID
	}
	price := " · " + dreamstudio.FormatCredits(dreamstudio.Credits(e.ID))
	return truncate(name, maxChoiceNameLen-len([]rune(price))) + price
}
