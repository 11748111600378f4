package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"dreambot/budget"
	"dreambot/catalog"
	"dreambot/commands"
	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/settings"
	"dreambot/sqlite"
	spending "dreambot/usage" // main's usage text holds the name usage
)

// runEngines prints every engine the key can use.
func runEngines(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv, config.Config.ValidateAPI)
	if err != nil {
		return err
	}
	client, err := newClient(cfg, budget.New(cfg.APIRequests, apiWindow))
	if err != nil {
		return err
	}
	engines, err := offer(cfg, client, nil).All(ctx)
	if err != nil {
		return explain(err)
	}
	op := operator(cfg)
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tID\tTYPE\tCREDITS PER IMAGE")
	for _, e := range engines {
		credits, estimate := dreamstudio.Credits(e.ID)
		price := dreamstudio.FormatCredits(credits, estimate)
		if !op.Affords(credits) {
			price += " (over MAX_CREDITS_PER_IMAGE: not offered)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.Name, e.ID, e.Type, price)
	}
	return w.Flush()
}

// runImagine makes one image through the same path as the bot and prints
// the saved file's path as the last line of stdout.
func runImagine(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dreambot imagine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	engine := fs.String("engine", "", "engine or model id, e.g. core (see `dreambot engines`); default DEFAULT_ENGINE")
	size := fs.String("size", "", "WIDTHxHEIGHT for v1 engines (e.g. 1024x1024), an aspect ratio for Stable Image models (e.g. 16:9)")
	negative := fs.String("negative", "", "what the image should not contain")
	seed := fs.Uint64("seed", 0, "noise seed, 0 to 4294967295, 4294967294 for Stable Image models (0: random)")
	steps := fs.Int("steps", 0, "diffusion steps, 10 to 150, v1 engines only (0: the API's default)")
	cfgScale := fs.Float64("cfg-scale", -1, "how strictly to follow the prompt: 0 to 35 for v1, 1 to 10 for SD 3.5 (default: the API's)")
	sampler := fs.String("sampler", "", "sampler, e.g. K_EULER, v1 engines only (default: the API chooses)")
	style := fs.String("style", "", "style preset, e.g. anime (v1 engines and core)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: dreambot imagine [flags] "prompt"`)
		fs.PrintDefaults()
	}
	// Flags may come before or after the prompt's words: Go's flag package
	// stops at the first word, so parse again after each one.
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return errReported
		}
		if fs.NArg() == 0 {
			break
		}
		words, args = append(words, fs.Arg(0)), fs.Args()[1:]
	}
	prompt := strings.TrimSpace(strings.Join(words, " "))
	if prompt == "" {
		fs.Usage()
		return fmt.Errorf("no prompt given")
	}
	sv, err := newServices(getenv, config.Config.ValidateAPI, stderr)
	if err != nil {
		return err
	}
	// The engine is chosen as the bot chooses it for a server with no
	// settings of its own: DEFAULT_ENGINE and ALLOWED_ENGINES apply.
	offered, err := offer(sv.cfg, sv.client, sv.log).All(ctx)
	if err != nil {
		return explain(err)
	}
	op := operator(sv.cfg)
	chosen, err := settings.ChooseEngine(settings.Guild{}, op, offered, *engine)
	if err != nil {
		return err
	}
	*engine = chosen.ID
	if *seed > dreamstudio.MaxSeed {
		return fmt.Errorf("--seed must be from 0 to %d", uint32(dreamstudio.MaxSeed))
	}
	req := generate.Request{
		Engine: *engine, Prompt: prompt, NegativePrompt: *negative, Seed: uint32(*seed),
		Steps: *steps, Sampler: *sampler, Style: *style,
	}
	if *cfgScale >= 0 {
		req.CfgScale = cfgScale
	}
	if err := req.SetShape(*size); err != nil {
		return explain(err)
	}
	prepared, err := generate.Prepare(req)
	if err != nil {
		return explain(err)
	}
	credits, estimate := prepared.Credits()
	if err := op.CheckCost(chosen, credits, estimate); err != nil {
		return explain(err)
	}
	res, err := sv.gen.Generate(ctx, prepared, "")
	if err != nil {
		return explain(err)
	}
	recordShellUsage(ctx, sv.cfg, prepared, stderr)
	if res.SaveErr != nil {
		return fmt.Errorf("the image was made but could not be saved: %w", res.SaveErr)
	}
	fmt.Fprintf(stdout, "engine %s, seed %d, %dx%d, finish reason %s, %s\n",
		prepared.Request.Engine, res.Seed, res.Width, res.Height, res.FinishReason, dreamstudio.FormatCredits(credits, estimate))
	fmt.Fprintln(stdout, res.Path)
	return nil
}

// explain words an API error the way a member would read it, keeping the
// status and name an operator needs.
// recordShellUsage adds an image made from the shell to the operator's usage records (as the
// server "", shown as DMs and shell). The image exists whatever happens here: a failure is told,
// not returned.
func recordShellUsage(ctx context.Context, cfg config.Config, p generate.Prepared, stderr io.Writer) {
	db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "dreambot.db"))
	if err == nil {
		defer db.Close()
		credits, estimate := p.Credits()
		err = db.RecordUsage(ctx, spending.Record{Member: "shell", Engine: p.Request.Engine, Credits: credits,
			Estimated: estimate, At: time.Now()})
	}
	if err != nil {
		fmt.Fprintf(stderr, "warning: the image's cost could not be recorded in DATA_DIR: %v\n", err)
	}
}

// offer is what the bot offers: the API's engines and the operator's Stable Image models.
func offer(cfg config.Config, client *dreamstudio.Client, log *slog.Logger) *catalog.Offer {
	return catalog.NewOffer(client, catalog.Models(cfg.StableImageModels), log)
}

// operator is what the operator decided for every server.
func operator(cfg config.Config) settings.Operator {
	return settings.Operator{DefaultEngine: cfg.DefaultEngine, AllowedEngines: cfg.AllowedEngines,
		Preferred: cfg.PreferredEngines, MaxCredits: cfg.MaxCreditsPerImage}
}

func explain(err error) error {
	resp, _ := commands.Describe(err)
	return fmt.Errorf("%s\n(%w)", resp.Content, err)
}
