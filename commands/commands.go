// Package commands is dreambot's slash commands: their definitions, their
// handlers, and the one place errors become messages (Describe). main
// wires it to the API client, the engine cache and the router.
package commands

import (
	"context"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/generate"
)

// Engines lists the engines the API offers (a catalog.Cache in dreambot).
type Engines interface {
	Engines(ctx context.Context) ([]dreamstudio.Engine, error)
}

// Generator makes and saves images (a generate.Service in dreambot).
type Generator interface {
	Prepare(r generate.Request) (generate.Request, error)
	Generate(ctx context.Context, r generate.Request) (*generate.Result, error)
}

// Config is what the operator decides for every server.
type Config struct {
	DefaultEngine  string
	AllowedEngines []string // empty: every engine the API lists
	AllowDMs       bool
	UserEvery      time.Duration
	UserBurst      int
	GuildEvery     time.Duration
	GuildBurst     int
	// GenerateTimeout bounds one generation, API call included.
	GenerateTimeout time.Duration
}

// Set is dreambot's commands with what they need.
type Set struct {
	cfg     Config
	engines Engines
	gen     Generator
	store   Store
	limits  *limits
	log     *slog.Logger
}

// New returns the command set. log may be nil.
func New(cfg Config, engines Engines, gen Generator, store Store, log *slog.Logger) *Set {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.GenerateTimeout <= 0 {
		cfg.GenerateTimeout = 2 * time.Minute
	}
	return &Set{
		cfg: cfg, engines: engines, gen: gen, store: store,
		limits: newLimits(cfg, store, time.Now),
		log:    log.With("component", "commands"),
	}
}

// autocompleteBudget leaves room inside Discord's 3 s for the answer to
// travel back.
const autocompleteBudget = 2 * time.Second

// deferAfter is when a command that has not answered yet is acknowledged
// with "is thinking...", whatever it is doing.
const deferAfter = 1500 * time.Millisecond

// Register routes every command of the set on rt.
func (s *Set) Register(rt *bot.Router) {
	rt.Command("imagine", s.imagine, bot.DeferAfter(deferAfter, s.log), s.limits.middleware)
	rt.Autocomplete("imagine", s.imagineAutocomplete, bot.Timeout(autocompleteBudget))
	rt.Command("dreamstudio", s.dreamstudio, bot.DeferAfter(deferAfter, s.log), moderatorOnly)
	rt.Autocomplete("dreamstudio", s.dreamstudioAutocomplete, bot.Timeout(autocompleteBudget))
}

// Definitions returns the commands to register with Discord.
func (s *Set) Definitions() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{s.imagineDefinition(), s.dreamstudioDefinition()}
}

func (s *Set) imagineDefinition() *discordgo.ApplicationCommand {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	if s.cfg.AllowDMs {
		contexts = append(contexts, discordgo.InteractionContextBotDM)
	}
	return &discordgo.ApplicationCommand{
		Name:        "imagine",
		Description: "Create an image from a text prompt with DreamStudio",
		Contexts:    &contexts,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "prompt", Required: true,
				Description: "What to draw", MaxLength: dreamstudio.MaxPromptLength,
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "engine", Autocomplete: true,
				Description: "The model to draw with (default: the server's choice)",
			},
		},
	}
}
