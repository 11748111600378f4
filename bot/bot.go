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
	// ShutdownTimeout bounds how long Run takes to stop once it begins to
	// (its context cancelled, or the gateway lost): the one deadline that
	// interactions in flight, Drain and closing the session share.
	ShutdownTimeout time.Duration
	// ShutdownReserve is the part of ShutdownTimeout the caller needs
	// after Drain's deadline (finishing Drain, stopping its own servers);
	// Run adds the second closing the session takes. At most half of
	// ShutdownTimeout is reserved.
	ShutdownReserve time.Duration
	// Drain, if set, runs once before Run returns, after interactions in
	// flight are done, while the bot is still connected and turning new
	// interactions away: work that outlives its interaction (jobs) stops
	// there, by the deadline it is given.
	Drain func(by time.Time)
	// RESTObserver, if set, is told of Discord's error answers, for metrics.
	RESTObserver RESTObserver
	// ConnectTimeout bounds each step of connecting (a REST request, the
	// websocket handshake, HELLO, READY); DefaultConnectTimeout if zero.
	ConnectTimeout time.Duration
	// RetryWait is the wait after a failed step, doubled after each next
	// failure up to a minute; DefaultRetryWait if zero.
	RetryWait time.Duration
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

	// link is what the gateway last said of the connection, for Health.
	link linkState
	// connector connects the session, with timeouts, and reconnects it.
	connector *connector
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
	var transport http.RoundTripper = newTransport()
	if opts.APIBase != "" {
		if transport, err = NewRebaseTransport(opts.APIBase, transport); err != nil {
			return nil, fmt.Errorf("bot: %w", err)
		}
	}
	if opts.RESTObserver != nil {
		transport = observeREST{next: transport, o: opts.RESTObserver}
	}
	s.Client = &http.Client{Transport: transport, Timeout: 60 * time.Second}
	s.Identify.Intents = discordgo.IntentsGuilds
	// discordgo logs through the standard logger; warnings include events
	// replayed before RESUMED, which Discord does by design.
	s.LogLevel = discordgo.LogError

	root, cancel := context.WithCancel(context.Background())
	b := &Bot{opts: opts, log: opts.Logger.With("component", "bot"), session: s, rest: LimitUploads(s, DefaultUploadBudget), root: root, cancelRoot: cancel}
	b.connector = newConnector(s, opts, b.log)
	s.AddHandler(b.onEvent)
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { b.linked(false) })
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		// r.Guilds is not read: discordgo's State writes it concurrently.
		// r.User is nil when READY could not be decoded.
		var name string
		if r.User != nil {
			name = r.User.Username
		}
		b.linked(true) // before the log line, which tests wait for
		b.log.Info("connected to Discord", "user", name)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		b.linked(true)
		b.log.Info("gateway session resumed")
	})
	return b, nil
}

// REST returns the connection that answers interactions, for answers
// sent from outside a handler (a job's worker). It works before Run and
// after it returns: answers go through the interaction webhook.
func (b *Bot) REST() REST { return b.rest }

// closeTime is what closing the session takes: discordgo's Close waits a
// second after its close frame (wsapi.go).
const closeTime = time.Second

// Run connects to Discord, registers the commands, and serves
// interactions until ctx is cancelled (or the gateway cannot be
// reconnected: a reset token). It then stops taking new work, gives
// interactions in flight and Drain until ShutdownTimeout less the
// reserve, and closes the session: when Drain keeps to its deadline, Run
// returns in time for the caller's own stopping to end within
// ShutdownTimeout. Each step of connecting is bounded by
// ConnectTimeout and retried; cancelling ctx stops it at once, and Run
// returns nil.
func (b *Bot) Run(ctx context.Context) error {
	defer b.cancelRoot()
	defer b.session.Close()
	ended, err := b.serve(ctx)
	b.stop(ended.Add(b.opts.ShutdownTimeout))
	return err
}

// serve connects, registers the commands and serves until ctx is
// cancelled or the gateway is lost; err is nil when ctx ended it. ended is
// when serving ended, which the shutdown deadline counts from.
func (b *Bot) serve(ctx context.Context) (ended time.Time, err error) {
	app, err := b.connect(ctx)
	if err != nil {
		if ctx.Err() != nil {
			b.log.Info("asked to stop while connecting to Discord")
			return time.Now(), nil
		}
		return time.Now(), fmt.Errorf("connect to discord: %w", err)
	}
	// The gateway is reconnected while Run serves, and no longer once it
	// returns: the session is closed after this stops.
	watchCtx, stopWatching := context.WithCancel(ctx)
	lost := make(chan error, 1)
	go func() { lost <- b.keepConnected(watchCtx) }()
	defer func() { stopWatching(); <-lost }()

	cmds, err := b.register(ctx, app.ID)
	if err != nil {
		if ctx.Err() != nil {
			return time.Now(), nil // asked to stop while starting
		}
		return time.Now(), fmt.Errorf("register commands: %w", err)
	}
	scope := "global (may take up to an hour to appear)"
	if b.opts.GuildID != "" {
		scope = "server " + b.opts.GuildID
	}
	b.log.Info("commands registered", "count", len(cmds), "scope", scope, "application", app.ID)

	select {
	case <-ctx.Done():
	case err = <-lost: // nil if ctx ended meanwhile
		lost <- nil // for the deferred wait
		if err != nil {
			b.log.Error("could not reconnect to Discord: stopping", "err", err)
			err = fmt.Errorf("reconnect to discord: %w", err)
		}
	}
	// Before the deferred wait for the watcher: the deadline counts from now.
	return time.Now(), err
}

// stop turns new interactions away, gives those in flight until stopBy
// less the reserve, then runs Drain with the same deadline. What is left
// is the reserve: the caller's, and closeTime for closing the session.
func (b *Bot) stop(stopBy time.Time) {
	reserve := min(b.opts.ShutdownReserve+closeTime, b.opts.ShutdownTimeout/2)
	by := stopBy.Add(-reserve)
	b.log.Info("shutting down: no new interactions, waiting for those in flight", "timeout", time.Until(by).Round(time.Millisecond))
	b.shutdown(by, stopBy.Add(-min(closeTime, reserve)))
	if b.opts.Drain != nil {
		b.opts.Drain(by)
	}
}

// shutdown waits for interactions in flight until by, then cancels them
// and waits for their answers until at most the hard deadline, when the
// session must begin closing.
func (b *Bot) shutdown(by, hard time.Time) {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()

	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	t := time.NewTimer(time.Until(by))
	defer t.Stop()
	select {
	case <-done:
		b.log.Info("all interactions finished")
		return
	case <-t.C:
	}
	b.log.Warn("shutdown timeout: cancelling interactions still in flight")
	b.cancelRoot()
	t.Reset(time.Until(hard))
	select {
	case <-done:
	case <-t.C:
		b.log.Warn("interactions still answering at the shutdown deadline: leaving them")
	}
}
