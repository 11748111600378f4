package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"dreambot/budget"
	"dreambot/catalog"
	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/settings"
	"dreambot/sqlite"
	spending "dreambot/usage" // main's usage text holds the name usage
)

// runEngines prints every engine the key can use.
func runEngines(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := command{name: "engines",
		about: "Lists the engines and models your API key can use (name, id, type) and what an image costs;\n" +
			"those over MAX_CREDITS_PER_IMAGE are marked. Needs DREAMSTUDIO_API_KEY."}
	if err := cmd.noArgs(args, stdout, stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, config.Config.ValidateAPI)
	if err != nil {
		return err
	}
	client, err := newClient(cfg, budget.New(cfg.APIRequests, apiWindow))
	if err != nil {
		return err
	}
	done := newProgress(stderr).wait("waiting for Stability's engine list")
	engines, err := offer(cfg, client, nil).All(ctx)
	done()
	if err != nil {
		return forOperator(err, cfg, "")
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

// imagineArgs is what `dreambot imagine` was asked for.
type imagineArgs struct {
	engine string           // "" for the one the bot would pick
	size   string           // "" for the engine's default
	req    generate.Request // without its engine and shape
}

// parseImagine reads `dreambot imagine`'s command line.
func parseImagine(args []string, stdout, stderr io.Writer) (imagineArgs, error) {
	cmd := command{name: "imagine", args: `[flags] "prompt"`,
		about: "Makes one image the way the bot does (DEFAULT_ENGINE, ALLOWED_ENGINES and MAX_CREDITS_PER_IMAGE\n" +
			"apply), saves it in IMAGE_DIR and prints its path as the last line of stdout. On a terminal,\n" +
			"stderr shows what it is waiting for. Flags may come before or after the prompt's words."}
	var a imagineArgs
	fs := cmd.flags(stderr)
	// A `word` in a flag's text names its argument in the help.
	fs.StringVar(&a.engine, "engine", "", "engine or model `id` (see 'dreambot engines'); default: DEFAULT_ENGINE, as the bot picks it")
	fs.StringVar(&a.size, "size", "", "image `size`: WIDTHxHEIGHT (v1 engines) or an aspect ratio such as 16:9; default: the engine's")
	fs.StringVar(&a.req.NegativePrompt, "negative", "", "a `prompt` of what the image should not contain")
	seed := fs.Uint64("seed", 0, "noise `seed`, 0 to 4294967295 (4294967294 for Stable Image models); default: random")
	fs.IntVar(&a.req.Steps, "steps", 0, "`n` diffusion steps, 10 to 150 (v1 engines only); default: the API's")
	fs.Func("cfg-scale", "how closely to follow the prompt, a `number`: 0 to 35 (v1), 1 to 10 (SD 3.5); default: the API's",
		func(s string) error {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return errors.New("not a number")
			}
			a.req.CfgScale = &v
			return nil
		})
	fs.StringVar(&a.req.Sampler, "sampler", "", "`sampler` such as K_EULER (v1 engines only); default: the API's choice")
	fs.StringVar(&a.req.Style, "style", "", "style `preset` such as anime (v1 engines and core)")
	// Flags may come before or after the prompt's words: Go's flag package
	// stops at the first word, so parse again after each one.
	var words []string
	for {
		if err := cmd.parse(fs, args, stdout, stderr); err != nil {
			return a, err
		}
		if fs.NArg() == 0 {
			break
		}
		words, args = append(words, fs.Arg(0)), fs.Args()[1:]
	}
	if a.req.Prompt = strings.TrimSpace(strings.Join(words, " ")); a.req.Prompt == "" {
		return a, cmd.misuse(stderr, "no prompt given")
	}
	if *seed > dreamstudio.MaxSeed {
		return a, cmd.misuse(stderr, fmt.Sprintf("--seed must be from 0 to %d", uint32(dreamstudio.MaxSeed)))
	}
	a.req.Seed = uint32(*seed)
	return a, nil
}

// runImagine makes one image through the same path as the bot and prints
// the saved file's path as the last line of stdout.
func runImagine(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := parseImagine(args, stdout, stderr)
	if err != nil {
		return err
	}
	show := newProgress(stderr)
	logTo := stderr
	if show != nil {
		logTo = show // log lines and the progress line take turns
	}
	sv, err := newServices(getenv, config.Config.ValidateAPI, logTo)
	if err != nil {
		return err
	}
	done := show.wait("waiting for Stability's engine list")
	offered, err := offer(sv.cfg, sv.client, sv.log).All(ctx)
	done()
	if err != nil {
		return forOperator(err, sv.cfg, "")
	}
	// The engine is chosen as the bot chooses it for a server with no
	// settings of its own: DEFAULT_ENGINE and ALLOWED_ENGINES apply.
	op := operator(sv.cfg)
	chosen, err := settings.ChooseEngine(settings.Guild{}, op, offered, a.engine)
	if err != nil {
		if len(settings.AllowedEngines(settings.Guild{}, op, offered)) == 0 { // ChooseEngine would say "let a moderator know"
			return fmt.Errorf("no engine your key can use is allowed: check ALLOWED_ENGINES, MAX_CREDITS_PER_IMAGE and 'dreambot engines'")
		}
		return forOperator(err, sv.cfg, "")
	}
	req := a.req
	req.Engine = chosen.ID
	if err := req.SetShape(a.size); err != nil {
		return err
	}
	prepared, err := generate.Prepare(req)
	if err != nil {
		return err
	}
	credits, estimate := prepared.Credits()
	if err := op.CheckCost(chosen, credits, estimate); err != nil {
		return forOperator(err, sv.cfg, "")
	}
	done = show.wait("waiting for Stability to make the image")
	res, err := sv.gen.Generate(ctx, prepared, "")
	done()
	if err != nil {
		return forOperator(err, sv.cfg, "GENERATE_TIMEOUT ("+shortDuration(sv.cfg.GenerateTimeout)+")")
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
