package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"dreambot/budget"
	"dreambot/commands"
	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/settings"
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
	engines, err := client.Engines(ctx)
	if err != nil {
		return explain(err)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tID\tTYPE")
	for _, e := range engines {
		fmt.Fprintf(w, "%s\t%s\t%s\n", e.Name, e.ID, e.Type)
	}
	return w.Flush()
}

// runImagine makes one image through the same path as the bot and prints
// the saved file's path as the last line of stdout.
func runImagine(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dreambot imagine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	engine := fs.String("engine", "", "engine id (see `dreambot engines`); default DEFAULT_ENGINE")
	size := fs.String("size", "", "WIDTHxHEIGHT, e.g. 1024x1024; default: a size the engine accepts")
	negative := fs.String("negative", "", "what the image should not contain")
	seed := fs.Uint64("seed", 0, "noise seed, 0 to 4294967295 (0: random)")
	steps := fs.Int("steps", 0, "diffusion steps, 10 to 150 (0: the API's default)")
	cfgScale := fs.Float64("cfg-scale", -1, "how strictly to follow the prompt, 0 to 35 (default: the API's)")
	sampler := fs.String("sampler", "", "sampler, e.g. K_EULER (default: the API chooses)")
	style := fs.String("style", "", "style preset, e.g. anime")
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
	offered, err := sv.client.Engines(ctx)
	if err != nil {
		return explain(err)
	}
	op := settings.Operator{DefaultEngine: sv.cfg.DefaultEngine, AllowedEngines: sv.cfg.AllowedEngines, Preferred: sv.cfg.PreferredEngines}
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
	if *size != "" {
		sz, err := dreamstudio.ParseSize(*size)
		if err != nil {
			return err
		}
		req.Width, req.Height = sz.Width, sz.Height
	}
	prepared, err := generate.Prepare(req)
	if err != nil {
		return explain(err)
	}
	res, err := sv.gen.Generate(ctx, prepared, "")
	if err != nil {
		return explain(err)
	}
	if res.SaveErr != nil {
		return fmt.Errorf("the image was made but could not be saved: %w", res.SaveErr)
	}
	fmt.Fprintf(stdout, "engine %s, seed %d, %dx%d, finish reason %s\n",
		prepared.Request.Engine, res.Seed, prepared.Request.Width, prepared.Request.Height, res.FinishReason)
	fmt.Fprintln(stdout, res.Path)
	return nil
}

// explain words an API error the way a member would read it, keeping the
// status and name an operator needs.
func explain(err error) error {
	resp, _ := commands.Describe(err)
	return fmt.Errorf("%s\n(%w)", resp.Content, err)
}
