package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/catalog"
	"dreambot/dreamstudio"
	"dreambot/settings"
)

// Store keeps each server's settings (a *sqlite.DB in dreambot).
type Store interface {
	Guild(ctx context.Context, guildID string) (settings.Guild, error)
	UpdateGuild(ctx context.Context, guildID, memberID, action string, fn func(*settings.Guild) (string, error)) (settings.Guild, error)
	Audit(ctx context.Context, guildID string, limit int) ([]settings.Change, error)
}

// moderatorPermissions are the permissions that let a member change the
// server's settings: Manage Server, or Administrator (which implies it).
const moderatorPermissions = discordgo.PermissionManageGuild | discordgo.PermissionAdministrator

func (s *Set) dreamstudioDefinition() *discordgo.ApplicationCommand {
	perm := int64(discordgo.PermissionManageGuild)
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	engine := func(desc string) []*discordgo.ApplicationCommandOption {
		return []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "engine", Description: desc,
			Required: true, Autocomplete: true,
		}}
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	minImages, minEvery := 1.0, 1.0
	return &discordgo.ApplicationCommand{
		Name:                     "dreamstudio",
		Description:              "Moderators: this server's DreamStudio engines, limits and spending",
		DefaultMemberPermissions: &perm,
		Contexts:                 &contexts,
		Options: append([]*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: "engines", Description: "Which engines members may use",
				Options: []*discordgo.ApplicationCommandOption{
					sub("allow", "Let members use an engine (creates an allow-list)", engine("The engine to allow")...),
					sub("block", "Stop members from using an engine", engine("The engine to block")...),
					sub("list", "Show this server's engines, default and limits"),
					sub("reset", "Forget this server's engine choices and use the bot's defaults"),
				},
			},
			sub("default-engine", "The engine used when a member picks none", engine("The default engine")...),
			sub("balance", "Show the DreamStudio account's remaining credits"),
			sub("features", "Turn Vary, Upscale, a member's own picture, or several images at once on or off",
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionString, Name: "feature", Description: "The feature", Required: true,
					Choices: stringChoices(settings.Features()),
				},
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionBoolean, Name: "enabled", Description: "On or off", Required: true,
				},
			),
			sub("queue", "Show the images this server has waiting"),
			sub("limits", "How many images each member may make",
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionInteger, Name: "per-user", Description: "Images per member in each period",
					MinValue: &minImages, MaxValue: settings.MaxPerUserImages,
				},
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionInteger, Name: "every", Description: "The period, in seconds",
					MinValue: &minEvery, MaxValue: float64(settings.MaxPerUserEvery / time.Second),
				},
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionBoolean, Name: "reset", Description: "Go back to the bot's default limit",
				},
			),
		}, usageSubcommands()...),
	}
}

// moderatorOnly refuses the command to anyone without Manage Server, and in
// DMs. Discord hides the command from them already (default permissions),
// but a server can override that and payloads can be forged: check again.
func moderatorOnly(next bot.Handler) bot.Handler {
	return func(ctx context.Context, r *bot.Request) (*bot.Response, error) {
		if !r.InGuild() || r.Member == nil {
			return nil, inputErrorf("Server settings can only be changed from inside a server.")
		}
		if r.Member.Permissions&moderatorPermissions == 0 {
			return nil, inputErrorf("Only members with the Manage Server permission can change DreamStudio settings.")
		}
		return next(ctx, r)
	}
}

func (s *Set) dreamstudio(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	o := parseOptions(r.ApplicationCommandData())
	switch o.sub() {
	case "engines list":
		return s.showSettings(ctx, r.GuildID, "")
	case "engines allow":
		return s.changeEngine(ctx, r, o.string("engine"), "allow", func(g *settings.Guild, id string) error {
			if len(g.AllowedEngines) == 0 && len(s.cfg.AllowedEngines) > 0 {
				// Extend the operator's list rather than replace it.
				for _, e := range s.cfg.AllowedEngines {
					if err := g.Allow(e); err != nil {
						return err
					}
				}
			}
			return g.Allow(id)
		})
	case "engines block":
		return s.changeEngine(ctx, r, o.string("engine"), "block", func(g *settings.Guild, id string) error { return g.Block(id) })
	case "default-engine":
		return s.changeEngine(ctx, r, o.string("engine"), "default-engine", func(g *settings.Guild, id string) error {
			return g.SetDefault(id, s.cfg.AllowedEngines)
		})
	case "engines reset":
		return s.update(ctx, r, "reset", func(g *settings.Guild) (string, error) {
			g.ResetEngines()
			return "engine settings reset", nil
		})
	case "limits":
		return s.changeLimits(ctx, r, o)
	case "balance":
		return s.showBalance(ctx)
	case "features":
		feature, on := o.string("feature"), o.bool("enabled")
		return s.update(ctx, r, "features", func(g *settings.Guild) (string, error) {
			state := "on"
			if !on {
				state = "off"
			}
			return fmt.Sprintf("%s %s", feature, state), g.SetFeature(feature, on)
		})
	case "queue":
		return s.showQueue(ctx, r.GuildID)
	case "usage":
		return s.showUsage(ctx, r.GuildID)
	case "budget":
		return s.changeBudget(ctx, r, o)
	}
	return nil, fmt.Errorf("dreamstudio: unknown subcommand %q", o.sub())
}

// changeEngine applies an engine change after checking the id against the
// API's list: members can type anything, autocomplete only suggests.
func (s *Set) changeEngine(ctx context.Context, r *bot.Request, asked, action string, change func(*settings.Guild, string) error) (*bot.Response, error) {
	all, err := s.engines.Engines(ctx)
	if err != nil {
		return nil, fmt.Errorf("list engines: %w", err)
	}
	asked = strings.TrimSpace(asked)
	e, ok := settings.FindEngine(all, asked)
	if !ok && action == "block" {
		// An engine the API retired can still be taken off the server's list.
		g, err := s.store.Guild(ctx, r.GuildID)
		if err != nil {
			return nil, fmt.Errorf("read settings of %s: %w", r.GuildID, err)
		}
		if slices.Contains(g.AllowedEngines, asked) {
			e, ok = dreamstudio.Engine{ID: asked}, true
		}
	}
	if !ok {
		return nil, inputErrorf("%q isn't an engine DreamStudio offers. Valid engines: %s.", truncate(asked, 100), settings.EngineList(catalog.Pictures(all)))
	}
	return s.update(ctx, r, action, func(g *settings.Guild) (string, error) {
		return action + " " + e.ID, change(g, e.ID)
	})
}

func (s *Set) changeLimits(ctx context.Context, r *bot.Request, o options) (*bot.Response, error) {
	images, hasImages, err := o.int("per-user", 1, settings.MaxPerUserImages)
	if err != nil {
		return nil, err
	}
	every, hasEvery, err := o.int("every", 1, int64(settings.MaxPerUserEvery/time.Second))
	if err != nil {
		return nil, err
	}
	reset := o.bool("reset")
	switch {
	case reset && (hasImages || hasEvery):
		return nil, inputErrorf("Use either `reset` or `per-user` and `every`, not both.")
	case reset:
		images, every = 0, 0
	case !hasImages || !hasEvery:
		return nil, inputErrorf("Give both `per-user` (images) and `every` (seconds), e.g. `/dreamstudio limits per-user: 3 every: 60`, or `reset: True`.")
	}
	return s.update(ctx, r, "limits", func(g *settings.Guild) (string, error) {
		if err := g.SetRate(int(images), time.Duration(every)*time.Second); err != nil {
			return "", err
		}
		if images == 0 {
			return "limits reset to the bot's default", nil
		}
		return fmt.Sprintf("limits %d every %ds", images, every), nil
	})
}

// showBalance reads the balance now (and refreshes the cached one).
func (s *Set) showBalance(ctx context.Context) (*bot.Response, error) {
	if s.balance == nil {
		return nil, inputErrorf("The balance isn't available with this bot's configuration.")
	}
	v, err := s.credits.fetch(ctx)
	if err != nil {
		return nil, fmt.Errorf("read balance: %w", err)
	}
	msg := fmt.Sprintf("DreamStudio credits left: **%.2f**", v)
	if s.cfg.LowBalance > 0 {
		msg += fmt.Sprintf(" (/imagine pauses under %.2f)", s.cfg.LowBalance)
		if v < s.cfg.LowBalance {
			msg += "\n⚠️ /imagine is paused until the operator tops up the account."
		}
	}
	return &bot.Response{Content: msg, Ephemeral: true}, nil
}

// update runs one change in the store and answers with the new settings.
func (s *Set) update(ctx context.Context, r *bot.Request, action string, fn func(*settings.Guild) (string, error)) (*bot.Response, error) {
	var detail string
	_, err := s.store.UpdateGuild(ctx, r.GuildID, r.UserID(), action, func(g *settings.Guild) (string, error) {
		d, err := fn(g)
		detail = d
		return d, err
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("server settings changed", "guild", r.GuildID, "member", r.UserID(), "change", detail)
	return s.showSettings(ctx, r.GuildID, "✅ Done: "+detail+".\n\n")
}

// showSettings answers with the server's settings in one readable message.
func (s *Set) showSettings(ctx context.Context, guildID, prefix string) (*bot.Response, error) {
	g, err := s.store.Guild(ctx, guildID)
	if err != nil {
		return nil, fmt.Errorf("read settings of %s: %w", guildID, err)
	}
	all, err := s.engines.Engines(ctx)
	if err != nil {
		return nil, fmt.Errorf("list engines: %w", err)
	}
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString("**DreamStudio settings for this server**\n")

	allowed := settings.AllowedEngines(g, s.cfg.operator(), all)
	switch {
	case len(g.AllowedEngines) == 0 && len(g.BlockedEngines) == 0 && len(s.cfg.AllowedEngines) == 0:
		fmt.Fprintf(&b, "Engines: all that DreamStudio offers (%s)\n", settings.EngineList(allowed))
	default:
		fmt.Fprintf(&b, "Engines members may use: %s\n", settings.EngineList(allowed))
	}
	if len(g.BlockedEngines) > 0 {
		fmt.Fprintf(&b, "Blocked: %s\n", codeList(g.BlockedEngines))
	}
	if def, ok := settings.DefaultEngine(g, s.cfg.operator(), allowed); ok {
		source := "the bot's choice"
		if g.DefaultEngine != "" {
			source = "set for this server"
		}
		fmt.Fprintf(&b, "Default engine: %s (`%s`, %s)\n", def.Name, def.ID, source)
	}
	if g.PerUserImages > 0 {
		fmt.Fprintf(&b, "Limit: %d images every %s per member (set for this server)\n", g.PerUserImages, humanWait(g.PerUserEvery))
	} else {
		fmt.Fprintf(&b, "Limit: %d images in a row, then one every %s per member (the bot's default)\n", s.cfg.UserBurst, humanWait(s.cfg.UserEvery))
	}
	fmt.Fprintf(&b, "Features: %s\n", s.featureList(g))
	if budget := s.dailyBudget(g); budget > 0 {
		source := "the bot's default"
		if g.DailyCredits > 0 {
			source = "set for this server"
		}
		fmt.Fprintf(&b, "Daily budget: %s credits (%s; `/dreamstudio usage` shows what is left)\n", dreamstudio.CreditAmount(budget), source)
	}
	if gone := missing(g.AllowedEngines, all); len(gone) > 0 {
		fmt.Fprintf(&b, "⚠️ Allowed but no longer offered by DreamStudio: %s\n", codeList(gone))
	}
	if !g.UpdatedAt.IsZero() {
		fmt.Fprintf(&b, "Last change: <@%s>, <t:%d:R>", g.UpdatedBy, g.UpdatedAt.Unix())
		if changes, err := s.store.Audit(ctx, guildID, 1); err == nil && len(changes) == 1 {
			fmt.Fprintf(&b, " (%s)", changes[0].Detail)
		}
		b.WriteString("\n")
	}
	return &bot.Response{Content: truncate(b.String(), 2000), Ephemeral: true}, nil
}

// missing returns the ids the API no longer lists.
func missing(ids []string, all []dreamstudio.Engine) []string {
	var out []string
	for _, id := range ids {
		if !slices.ContainsFunc(all, func(e dreamstudio.Engine) bool { return e.ID == id }) {
			out = append(out, id)
		}
	}
	return out
}

func codeList(ids []string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = "`" + id + "`"
	}
	return strings.Join(quoted, ", ")
}

// featureList says which features the server has: "vary on, upscale off (the bot's setting), ...".
func (s *Set) featureList(g settings.Guild) string {
	var parts []string
	for _, f := range settings.Features() {
		switch {
		case slices.Contains(s.cfg.DisabledFeatures, f):
			parts = append(parts, f+" off (the bot's setting)")
		case !g.Enables(f, nil):
			parts = append(parts, f+" off")
		default:
			parts = append(parts, f+" on")
		}
	}
	return strings.Join(parts, ", ")
}
