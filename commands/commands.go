// Package commands is dreambot's slash commands: their definitions, their
// handlers, and the one place errors become messages (Describe). main
// wires it to the API client, the engine cache and the router.
package commands

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/settings"
)

// Engines lists the engines the API offers (a catalog.Cache in dreambot).
type Engines interface {
	Engines(ctx context.Context) ([]dreamstudio.Engine, error)
}

// Generator makes and saves images (a generate.Service in dreambot).
type Generator interface {
	Generate(ctx context.Context, p generate.Prepared, owner string) (*generate.Result, error)
}

// Deps are the services the commands use.
type Deps struct {
	Engines   Engines
	Generator Generator
	Store     Store
	// History may be nil: then results have no Again button.
	History History
	// Balance may be nil: then no low-balance check is made and
	// /dreamstudio balance says it is unavailable.
	Balance Balance
	// Queue keeps accepted requests as jobs; Turns shares the API's
	// budget among them. The Worker makes and delivers their images.
	Queue Queue
	Turns Turns
	// Usage may be nil: then nothing is recorded, no daily budget
	// applies and /dreamstudio usage says it is unavailable.
	Usage Usage
	// Pictures keeps members' pictures to start from; nil turns the image option off.
	// HTTPClient downloads them; nil means a new http.Client.
	Pictures   Pictures
	HTTPClient *http.Client
	// Observer, if set, is told how long jobs wait for their turn, for metrics.
	Observer Observer
}

// Config is what the operator decides for every server.
type Config struct {
	DefaultEngine    string
	AllowedEngines   []string // empty: every engine the API lists
	PreferredEngines []string // tried when nobody chose a default
	// MaxCreditsPerImage hides engines and refuses requests that cost more; 0: no ceiling.
	MaxCreditsPerImage float64
	// DisabledFeatures are off in every server (settings.Features); Upscaler is the upscale mode
	// (dreamstudio.UpscaleFast or UpscaleConservative).
	DisabledFeatures []string
	Upscaler         string
	// PictureHosts are the hosts members' pictures may be downloaded from; empty: Discord's
	// attachment hosts.
	PictureHosts []string
	AllowDMs     bool
	UserEvery    time.Duration
	UserBurst    int
	GuildEvery   time.Duration
	GuildBurst   int
	// GenerateTimeout bounds one generation, API call included.
	GenerateTimeout time.Duration
	// LowBalance pauses /imagine while the account has fewer credits; 0
	// turns the check off. BalanceTTL is how long a balance is trusted.
	LowBalance float64
	BalanceTTL time.Duration
	// QueueNoticeAfter is when a job that has not started shows its place
	// in the queue; QueueUpdateEvery how often that is updated.
	QueueNoticeAfter time.Duration
	QueueUpdateEvery time.Duration
	// DailyCredits is every server's daily credit budget unless its
	// moderators set their own; 0: no budget.
	DailyCredits float64
}

func (c Config) operator() settings.Operator {
	return settings.Operator{DefaultEngine: c.DefaultEngine, AllowedEngines: c.AllowedEngines, Preferred: c.PreferredEngines,
		MaxCredits: c.MaxCreditsPerImage}
}

// Set is dreambot's commands with what they need.
type Set struct {
	cfg        Config
	engines    Engines
	gen        Generator
	store      Store
	history    History
	balance    Balance
	credits    *credits
	limits     *limits
	queue      Queue
	turns      Turns
	usage      Usage
	work       *workState
	now        func() time.Time
	log        *slog.Logger
	pictures   Pictures
	httpClient *http.Client
	observer   Observer
}

// New returns the command set. log may be nil.
func New(cfg Config, deps Deps, log *slog.Logger) *Set {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "commands")
	return &Set{
		cfg: cfg, engines: deps.Engines, gen: deps.Generator, store: deps.Store, history: deps.History, balance: deps.Balance,
		credits: newCredits(deps.Balance, cfg.LowBalance, cfg.BalanceTTL, log),
		limits:  newLimits(cfg, deps.Store, time.Now),
		queue:   deps.Queue, turns: deps.Turns, usage: deps.Usage, work: &workState{fitting: make(chan struct{}, 1)}, now: time.Now,
		pictures: deps.Pictures, httpClient: cmp.Or(deps.HTTPClient, &http.Client{}), observer: deps.Observer,
		log: log,
	}
}

// maxPromptOption is the longest text Discord lets a member type into an option; each model's own
// limit (2,000 characters for v1 engines, 10,000 for Stable Image models) is checked when the
// request is prepared.
const maxPromptOption = 6000

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
	if s.history != nil {
		rt.Component(againPrefix, s.again, bot.DeferAfter(deferAfter, s.log), s.limits.middleware)
	}
	if s.history != nil {
		rt.Component(varyPrefix, s.vary, bot.DeferAfter(deferAfter, s.log), s.limits.middleware)
		rt.Component(upscalePrefix, s.upscale, bot.DeferAfter(deferAfter, s.log), s.limits.middleware)
	}
	rt.Component(cancelPrefix, s.cancel)
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
	minSeed, minSteps, minCfg := 0.0, float64(dreamstudio.MinSteps), dreamstudio.MinCfgScale
	minCount, minStrength := 1.0, 0.0
	return &discordgo.ApplicationCommand{
		Name:        "imagine",
		Description: "Create an image from a text prompt with DreamStudio",
		Contexts:    &contexts,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "prompt", Required: true,
				Description: "What to draw", MaxLength: maxPromptOption,
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "engine", Autocomplete: true,
				Description: "The model to draw with (default: the server's choice)",
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "negative_prompt",
				Description: "What the image should not contain", MaxLength: maxPromptOption,
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "size", Autocomplete: true,
				Description: "WIDTHxHEIGHT, or a ratio like 16:9; the list shows what the engine accepts",
			},
			{
				Type: discordgo.ApplicationCommandOptionInteger, Name: "seed",
				Description: "Start from this noise to repeat an image (0: random)", MinValue: &minSeed, MaxValue: dreamstudio.MaxSeed,
			},
			{
				Type: discordgo.ApplicationCommandOptionInteger, Name: "steps",
				Description: "Diffusion steps (more: slower, finer; SDXL engines only)", MinValue: &minSteps, MaxValue: dreamstudio.MaxSteps,
			},
			{
				Type: discordgo.ApplicationCommandOptionNumber, Name: "cfg_scale",
				Description: "How strictly to follow the prompt (SDXL 0-35, SD 3.5 1-10)", MinValue: &minCfg, MaxValue: dreamstudio.MaxCfgScale,
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "sampler",
				Description: "The sampler (SDXL engines only; default: the API chooses)", Choices: stringChoices(dreamstudio.Samplers()),
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "style_preset",
				Description: "A style to guide the image (SDXL and Core)", Choices: stringChoices(dreamstudio.AllStylePresets()),
			},
			{
				Type: discordgo.ApplicationCommandOptionInteger, Name: "count",
				Description: "How many images to make at once (1-4; each counts against your limit)", MinValue: &minCount, MaxValue: MaxCount,
			},
			{
				Type: discordgo.ApplicationCommandOptionAttachment, Name: "image",
				Description: "A picture to start from (PNG, JPEG or WebP, up to 10 MB)",
			},
			{
				Type: discordgo.ApplicationCommandOptionNumber, Name: "strength",
				Description: "How much of your picture to keep, 0 to 1 (default 0.35)", MinValue: &minStrength, MaxValue: 1,
			},
		},
	}
}

func stringChoices(values []string) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, len(values))
	for i, v := range values {
		out[i] = &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v}
	}
	return out
}
