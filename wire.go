package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	"dreambot/bot"
	"dreambot/budget"
	"dreambot/catalog"
	"dreambot/commands"
	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/images"
	"dreambot/jobs"
	"dreambot/secret"
	"dreambot/sqlite"
	"dreambot/writable"
)

const userAgent = "dreambot/1.0 (+https://github.com/dreambot)"

// loadConfig reads the configuration and checks it with validate.
func loadConfig(getenv func(string) string, validate func(config.Config) error) (config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, fmt.Errorf("configuration:\n%w", err)
	}
	if err := validate(cfg); err != nil {
		return cfg, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// newLogger returns the logger, which keeps the API key and the bot token
// out of every error it writes, whoever logs it.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(secret.Handler(h, cfg.APIKey, cfg.DiscordToken))
}

// tellTime is the part of SHUTDOWN_TIMEOUT kept for telling the members
// whose images were stopped that they are still coming (an edit each).
const tellTime = 500 * time.Millisecond

// shutdownReserve is the part of SHUTDOWN_TIMEOUT that interactions and
// jobs in flight leave for what follows them, besides the second the bot
// keeps for disconnecting: telling members, then stopping the metrics
// server. With it the process is gone within SHUTDOWN_TIMEOUT plus a few
// tenths of a second (answers to cancelled interactions, the websocket's
// close); the bot keeps at most half of it back, so a SHUTDOWN_TIMEOUT
// under 5 s may overrun by more.
const shutdownReserve = tellTime + metricsStopTimeout

// apiWindow is the window Stability counts requests in.
const apiWindow = 10 * time.Second

// newClient returns an API client that waits on limiter before every
// request; nil for one whose callers take their turn from the budget
// themselves (the job worker).
func newClient(cfg config.Config, limiter dreamstudio.Limiter, opts ...dreamstudio.Option) (*dreamstudio.Client, error) {
	return dreamstudio.New(cfg.APIHost, cfg.APIKey, append([]dreamstudio.Option{
		dreamstudio.WithLimiter(limiter),
		dreamstudio.WithUserAgent(userAgent),
		dreamstudio.WithTimeouts(15*time.Second, cfg.GenerateTimeout),
	}, opts...)...)
}

// services is what both the bot and `dreambot imagine` generate with.
type services struct {
	cfg    config.Config
	log    *slog.Logger
	client *dreamstudio.Client // waits on budget before every request
	budget *budget.Budget      // the key's requests: one budget per process
	dir    *images.Dir
	gen    *generate.Service
	hooks  hooks // the metrics' observers; nil ones when METRICS_ADDR is unset
}

// newServices reads and checks the configuration with validate, then
// builds the logger, the API client and the generator (creating IMAGE_DIR).
func newServices(getenv func(string) string, validate func(config.Config) error, stderr io.Writer) (*services, error) {
	cfg, err := loadConfig(getenv, validate)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, stderr)
	apiBudget := budget.New(cfg.APIRequests, apiWindow)
	hooks := newHooks(cfg)
	client, err := newClient(cfg, apiBudget, hooks.api...)
	if err != nil {
		return nil, err
	}
	// An unwritable IMAGE_DIR would fail every image, one by one, much later.
	if err := writable.Dir(cfg.ImageDir); err != nil {
		return nil, fmt.Errorf("IMAGE_DIR: %w", err)
	}
	dir, err := images.NewDir(cfg.ImageDir)
	if err != nil {
		return nil, fmt.Errorf("IMAGE_DIR: %w", err)
	}
	return &services{cfg: cfg, log: log, client: client, budget: apiBudget, dir: dir, gen: generate.New(client, dir, log), hooks: hooks}, nil
}

func runBot(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	started := time.Now()
	sv, err := newServices(getenv, config.Config.ValidateBot, stderr)
	if err != nil {
		return err
	}
	cfg, log, client := sv.cfg, sv.log, sv.client
	if n, err := sv.dir.RemoveStaleTemp(started); err != nil {
		log.Warn("could not remove temporary files left by a crash", "dir", cfg.ImageDir, "err", err)
	} else if n > 0 {
		log.Info("removed temporary files left by a crash", "count", n, "dir", cfg.ImageDir)
	}
	// SQLite would only say "unable to open database file".
	if err := writable.Dir(cfg.DataDir); err != nil {
		return fmt.Errorf("DATA_DIR: %w", err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "dreambot.db"))
	if err != nil {
		return fmt.Errorf("DATA_DIR: %w", err)
	}
	defer db.Close()
	jobsPath := filepath.Join(cfg.DataDir, "jobs.db")
	queue, err := jobs.Open(ctx, jobs.Options{
		Path:         jobsPath,
		MaxPerMember: cfg.QueueMaxPerMember, MaxPerGuild: cfg.QueueMaxPerGuild, MaxTotal: cfg.QueueMaxTotal,
		Logger: log,
	})
	if sqlite.InUse(err) {
		err = &sqlite.InUseError{Path: jobsPath, Err: err}
	}
	if err != nil {
		return fmt.Errorf("DATA_DIR: %w", err)
	}
	defer queue.Close()
	// The worker takes a turn from the budget before each generation, so
	// its client does not wait on the budget again.
	genClient, err := newClient(cfg, nil, sv.hooks.api...)
	if err != nil {
		return err
	}
	engines := catalog.NewOffer(catalog.New(client, cfg.EngineCacheTTL, catalog.WithLogger(log)), catalog.Models(cfg.StableImageModels), log)
	set := commands.New(commands.Config{
		DefaultEngine: cfg.DefaultEngine, AllowedEngines: cfg.AllowedEngines, PreferredEngines: cfg.PreferredEngines, AllowDMs: cfg.AllowDMs,
		MaxCreditsPerImage: cfg.MaxCreditsPerImage, DailyCredits: cfg.DailyCredits,
		DisabledFeatures: cfg.DisabledFeatures, Upscaler: cfg.Upscaler, PictureHosts: pictureHosts(cfg),
		UserEvery: cfg.UserEvery, UserBurst: cfg.UserBurst, GuildEvery: cfg.GuildEvery, GuildBurst: cfg.GuildBurst,
		GenerateTimeout: cfg.GenerateTimeout, LowBalance: cfg.LowBalance, BalanceTTL: cfg.BalanceTTL,
		QueueNoticeAfter: cfg.QueueNoticeAfter, QueueUpdateEvery: cfg.QueueUpdateEvery,
	}, commands.Deps{
		Engines: engines, Generator: generate.New(genClient, sv.dir, log, sv.hooks.generate...), Store: db, History: db, Balance: client,
		Queue: queue, Turns: sv.budget, Pictures: sv.dir, Usage: db, Observer: sv.hooks.jobs,
	}, log)

	// On a signal, jobs still waiting for a turn go back to the queue for
	// the next start, at once; generations under way get until the bot's
	// shutdown deadline (the one interactions in flight have) to finish,
	// while the bot turns new interactions away.
	defer context.AfterFunc(ctx, sv.budget.Close)()
	stopJobs := func(by time.Time) {
		sv.budget.Close() // when the bot stops for a lost gateway
		stopCtx, cancel := context.WithDeadline(context.Background(), by)
		defer cancel()
		if err := queue.Stop(stopCtx); err != nil {
			log.Warn("jobs still running at the shutdown timeout were stopped: they resume at the next start", "err", err)
		}
	}

	router := bot.NewRouter(log, commands.Describe)
	router.Use(bot.Recover(log), bot.Log(log))
	router.Observe(sv.hooks.interactions)
	set.Register(router)
	b, err := bot.New(bot.Options{
		Token: cfg.DiscordToken, APIBase: cfg.DiscordAPIBase, GuildID: cfg.GuildID,
		Commands: set.Definitions(), Router: router, Logger: log,
		ShutdownTimeout: cfg.ShutdownTimeout, ShutdownReserve: shutdownReserve, Drain: stopJobs,
		RESTObserver: sv.hooks.rest,
	})
	if err != nil {
		return err
	}
	stopMetrics, err := sv.hooks.serve(cfg, log, set, b.Health, db.Health)
	if err != nil {
		return err
	}
	defer stopMetrics()
	// Jobs queued before a restart are answered through the interaction
	// webhook, which needs no gateway: start at once.
	if err := queue.Start(ctx, set.Worker(b.REST())); err != nil {
		return fmt.Errorf("start the job queue: %w", err)
	}
	log.Info("starting dreambot", "api_host", cfg.APIHost, "image_dir", cfg.ImageDir, "guild", cfg.GuildID)
	return b.Run(ctx)
}

// pictureHosts are the hosts members' pictures may come from: Discord's attachment hosts, or the
// host of DISCORD_API_BASE when it is set (a proxy, or the fake Discord of the tests), with its
// scheme when that is plain http.
func pictureHosts(cfg config.Config) []string {
	if cfg.DiscordAPIBase == "" {
		return nil // commands' default: Discord's own
	}
	u, err := url.Parse(cfg.DiscordAPIBase)
	if err != nil {
		return nil
	}
	if u.Scheme == "http" {
		return []string{"http://" + u.Host}
	}
	return []string{u.Host}
}
