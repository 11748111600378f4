package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Options configure a Bot.
type Options struct {
	Token string
	// APIBase replaces https://discord.com in every REST call; empty means
	// the real Discord.
	APIBase string
	// GuildID registers the commands in one server (instant, for testing)
	// instead of globally.
	GuildID  string
	Commands []*discordgo.ApplicationCommand
	Router   *Router
	Logger   *slog.Logger
	// ShutdownTimeout bounds how long Run waits for interactions in flight
	// once its context is cancelled.
	ShutdownTimeout time.Duration
	// Drain, if set, runs once interactions in flight are done, while the
	// bot is still connected and turning new interactions away: work that
	// outlives its interaction (jobs) stops there.
	Drain func()
}

// Bot connects a Router to Discord.
type Bot struct {
	opts    Options
	log     *slog.Logger
	session *discordgo.Session
	// rest answers interactions: the session, holding uploads to a budget.
	rest REST

	// root is the parent of every handler's context. It outlives Run's
	// context so that generations in flight can finish during shutdown.
	root       context.Context
	cancelRoot context.CancelFunc

	// mu guards closing; inflight counts handlers that were let in.
	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
}

// New prepares a bot; Run connects it.
func New(opts Options) (*Bot, error) {
	if opts.Token == "" {
		return nil, errors.New("bot: no token")
	}
	if opts.Router == nil {
		return nil, errors.New("bot: no router")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = time.Minute
	}
	s, err := discordgo.New("Bot " + opts.Token)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	transport := http.DefaultTransport
	if opts.APIBase != "" {
		if transport, err = NewRebaseTransport(opts.APIBase, nil); err != nil {
			return nil, fmt.Errorf("bot: %w", err)
		}
	}
	s.Client = &http.Client{Transport: transport, Timeout: 60 * time.Second}
	s.Identify.Intents = discordgo.IntentsGuilds
	// discordgo logs through the standard logger; warnings include events
	// replayed before RESUMED, which Discord does by design.
	s.LogLevel = discordgo.LogError
	s.ShouldReconnectOnError = true

	root, cancel := context.WithCancel(context.Background())
	b := &Bot{opts: opts, log: opts.Logger.With("component", "bot"), session: s, rest: LimitUploads(s, DefaultUploadBudget), root: root, cancelRoot: cancel}
	s.AddHandler(b.onEvent)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		// r.Guilds is not read: discordgo's State writes it concurrently.
		// r.User is nil when READY could not be decoded.
		var name string
		if r.User != nil {
			name = r.User.Username
		}
		b.log.Info("connected to Discord", "user", name)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { b.log.Info("gateway session resumed") })
	return b, nil
}

// REST returns the connection that answers interactions, for answers
// sent from outside a handler (a job's worker). It works before Run and
// after it returns: answers go through the interaction webhook.
func (b *Bot) REST() REST { return b.rest }

// Run connects to Discord, registers the commands, and serves
// interactions until ctx is cancelled. It then stops taking new work,
// waits (at most ShutdownTimeout) for interactions in flight, and closes
// the session.
func (b *Bot) Run(ctx context.Context) error {
	defer b.cancelRoot()
	if err := b.session.Open(); err != nil {
		return fmt.Errorf("connect to discord: %w", redact(err, b.opts.Token))
	}
	defer b.session.Close()

	app, err := b.session.Application("@me")
	if err != nil {
		return fmt.Errorf("read application: %w", redact(err, b.opts.Token))
	}
	cmds, err := b.session.ApplicationCommandBulkOverwrite(app.ID, b.opts.GuildID, b.opts.Commands, discordgo.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil // asked to stop while starting
		}
		return fmt.Errorf("register commands: %w", redact(err, b.opts.Token))
	}
	scope := "global (may take up to an hour to appear)"
	if b.opts.GuildID != "" {
		scope = "server " + b.opts.GuildID
	}
	b.log.Info("commands registered", "count", len(cmds), "scope", scope, "application", app.ID)

	<-ctx.Done()
	b.log.Info("shutting down: no new interactions, waiting for those in flight", "timeout", b.opts.ShutdownTimeout)
	b.shutdown()
	if b.opts.Drain != nil {
		b.opts.Drain()
	}
	return nil
}

func (b *Bot) shutdown() {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()

	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	t := time.NewTimer(b.opts.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
		b.log.Info("all interactions finished")
	case <-t.C:
		b.log.Warn("shutdown timeout: cancelling interactions still in flight")
		b.cancelRoot()
		<-done
	}
}
