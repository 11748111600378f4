package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"golang.org/x/time/rate"

	"dreambot/bot"
	"dreambot/catalog"
	"dreambot/commands"
	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/images"
	"dreambot/sqlite"
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

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newClient returns the API client with the global request limit that
// keeps the key under Stability's 150 requests per 10 s.
func newClient(cfg config.Config) (*dreamstudio.Client, error) {
	return dreamstudio.New(cfg.APIHost, cfg.APIKey,
		dreamstudio.WithLimiter(apiLimiter(cfg.APIRequests)),
		dreamstudio.WithUserAgent(userAgent),
		dreamstudio.WithTimeouts(15*time.Second, cfg.GenerateTimeout),
	)
}

// apiLimiter admits at most n requests in any 10 s window. A token bucket
// admits its burst plus 10 s of refill in 10 s, so both share the n.
func apiLimiter(n int) *rate.Limiter {
	burst := max(1, n/15)
	return rate.NewLimiter(rate.Limit(float64(max(n-burst, 1))/10), burst)
}

// services is what both the bot and `dreambot imagine` generate with.
type services struct {
	cfg    config.Config
	log    *slog.Logger
	client *dreamstudio.Client
	gen    *generate.Service
}

// newServices reads and checks the configuration with validate, then
// builds the logger, the API client and the generator (creating IMAGE_DIR).
func newServices(getenv func(string) string, validate func(config.Config) error, stderr io.Writer) (*services, error) {
	cfg, err := loadConfig(getenv, validate)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, stderr)
	client, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	dir, err := images.NewDir(cfg.ImageDir)
	if err != nil {
		return nil, fmt.Errorf("IMAGE_DIR: %w", err)
	}
	return &services{cfg: cfg, log: log, client: client, gen: generate.New(client, dir, log)}, nil
}

func runBot(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	sv, err := newServices(getenv, config.Config.ValidateBot, stderr)
	if err != nil {
		return err
	}
	cfg, log, client, gen := sv.cfg, sv.log, sv.client, sv.gen
	db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "dreambot.db"))
	if err != nil {
		return fmt.Errorf("DATA_DIR: %w", err)
	}
	defer db.Close()
	engines := catalog.New(client, cfg.EngineCacheTTL, catalog.WithLogger(log))
	set := commands.New(commands.Config{
		DefaultEngine: cfg.DefaultEngine, AllowedEngines: cfg.AllowedEngines, AllowDMs: cfg.AllowDMs,
		UserEvery: cfg.UserEvery, UserBurst: cfg.UserBurst, GuildEvery: cfg.GuildEvery, GuildBurst: cfg.GuildBurst,
		GenerateTimeout: cfg.GenerateTimeout, LowBalance: cfg.LowBalance, BalanceTTL: cfg.BalanceTTL,
	}, commands.Deps{Engines: engines, Generator: gen, Store: db, History: db, Balance: client}, log)

	router := bot.NewRouter(log, commands.Describe)
	router.Use(bot.Recover(log), bot.Log(log))
	set.Register(router)
	b, err := bot.New(bot.Options{
		Token: cfg.DiscordToken, APIBase: cfg.DiscordAPIBase, GuildID: cfg.GuildID,
		Commands: set.Definitions(), Router: router, Logger: log, ShutdownTimeout: cfg.ShutdownTimeout,
	})
	if err != nil {
		return err
	}
	log.Info("starting dreambot", "api_host", cfg.APIHost, "image_dir", cfg.ImageDir, "guild", cfg.GuildID)
	return b.Run(ctx)
}
