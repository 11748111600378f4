package bot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Defaults of Options.ConnectTimeout and Options.RetryWait, and the longest wait between
// two attempts.
const (
	DefaultConnectTimeout = 30 * time.Second
	DefaultRetryWait      = time.Second
	maxRetryWait          = time.Minute
)

// connector connects a discordgo session to Discord and keeps it connected. discordgo's Open
// takes no context and sets no timeouts: a gateway that accepts the websocket and never says
// HELLO holds it, and the session's lock, for ever. The connector sees each step of Open
// through hooks on the HTTP transport and the websocket dialer (see attempt.go), gives each
// step a timeout, and ends an attempt by closing its connections. It reconnects in place of
// discordgo, so that reconnecting is bounded, logged and stopped by the run context too.
type connector struct {
	log       *slog.Logger
	token     string
	base      *url.URL // where REST requests go instead of https://discord.com; nil: there
	timeout   time.Duration
	retryWait time.Duration
	lost      chan struct{} // a Disconnect was seen: reconnect

	// mu guards cur, the attempt to open the gateway under way, if any, and heartbeat, the
	// interval the gateway's last HELLO asked for (zero before one was read).
	mu        sync.Mutex
	cur       *attempt
	heartbeat time.Duration
}

// newConnector prepares s: its HTTP transport and websocket dialer report to the connector,
// and discordgo's own reconnecting is turned off.
func newConnector(s *discordgo.Session, opts Options, log *slog.Logger) *connector {
	c := &connector{
		log: log, token: opts.Token, timeout: opts.ConnectTimeout, retryWait: opts.RetryWait,
		lost: make(chan struct{}, 1),
	}
	if opts.APIBase != "" {
		c.base, _ = url.Parse(opts.APIBase) // New checked it
	}
	if c.timeout <= 0 {
		c.timeout = DefaultConnectTimeout
	}
	if c.retryWait <= 0 {
		c.retryWait = DefaultRetryWait
	}
	s.Client.Transport = gatewayTransport{c: c, next: s.Client.Transport}
	// No HandshakeTimeout: the step timer of the attempt under way bounds the handshake.
	s.Dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, NetDialContext: c.dial}
	s.ShouldReconnectOnError = false
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		select {
		case c.lost <- struct{}{}:
		default: // a reconnect is already due
		}
	})
	return c
}

// connect reads the application (which checks the token before anything else) and opens the
// gateway, retrying each step until it succeeds, fails for good, or ctx ends.
func (b *Bot) connect(ctx context.Context) (*discordgo.Application, error) {
	var app *discordgo.Application
	endpoint := discordgo.EndpointOAuth2Application("@me")
	err := b.connector.call(ctx, "the application", http.MethodGet, endpoint, func(opts ...discordgo.RequestOption) error {
		// Session.Application takes no RequestOption, hence no context.
		body, err := b.session.RequestWithBucketID(http.MethodGet, endpoint, nil, discordgo.EndpointOAuth2Application(""), opts...)
		if err != nil {
			return err
		}
		return discordgo.Unmarshal(body, &app)
	})
	if err != nil {
		return nil, err
	}
	if err := b.connector.retry(ctx, "the gateway", b.openGateway); err != nil {
		return nil, err
	}
	return app, nil
}

// register puts the bot's commands in place of those registered before, retrying until
// Discord takes them, refuses them for good, or ctx ends.
func (b *Bot) register(ctx context.Context, appID string) ([]*discordgo.ApplicationCommand, error) {
	var cmds []*discordgo.ApplicationCommand
	endpoint := discordgo.EndpointApplicationGlobalCommands(appID)
	if b.opts.GuildID != "" {
		endpoint = discordgo.EndpointApplicationGuildCommands(appID, b.opts.GuildID)
	}
	err := b.connector.call(ctx, "command registration", http.MethodPut, endpoint, func(opts ...discordgo.RequestOption) (err error) {
		cmds, err = b.session.ApplicationCommandBulkOverwrite(appID, b.opts.GuildID, b.opts.Commands, opts...)
		return err
	})
	return cmds, err
}

// openGateway opens the session's gateway connection, or resumes its session.
func (b *Bot) openGateway(ctx context.Context) error {
	err := b.connector.open(ctx, b.session.Open)
	if errors.Is(err, discordgo.ErrWSAlreadyOpen) {
		// A second Disconnect for one loss, noticed after the reconnect: the session is open
		// (Open returns only after READY), so the link is up whatever the stale signal said.
		b.linked(true)
		return nil
	}
	return err
}

// keepConnected reconnects whenever the gateway connection is lost, until ctx ends (nil) or
// reconnecting fails in a way retrying cannot mend, such as a token that was reset.
func (b *Bot) keepConnected(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.connector.lost:
		}
		if ctx.Err() != nil {
			return nil
		}
		// Also told by a Disconnect handler, which runs in a goroutine of its own: saying it
		// here makes Health right by the time the reconnect starts.
		b.linked(false)
		b.log.Warn("lost the connection to the Discord gateway: reconnecting")
		if err := b.connector.retry(ctx, "the gateway", b.openGateway); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// call makes one REST request of the start-up, method on endpoint (for the logs), and retries
// it as retry does. opts bind the request to a context ending after the connect timeout, and
// turn off discordgo's own wait on a 429, a time.Sleep that no context ends: retry waits
// instead.
func (c *connector) call(ctx context.Context, step, method, endpoint string, request func(opts ...discordgo.RequestOption) error) error {
	what := "an answer to " + method + " " + endpoint
	if u, err := url.Parse(endpoint); err == nil {
		what = "an answer to " + method + " " + c.where(u)
	}
	return c.retry(ctx, step, func(ctx context.Context) error {
		stepCtx, cancel := context.WithTimeout(ctx, c.timeout)
		defer cancel()
		c.log.Info("waiting for Discord", "for", what, "timeout", c.timeout)
		err := request(discordgo.WithContext(stepCtx), discordgo.WithRetryOnRatelimit(false))
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return c.explain(err)
	})
}

// retry runs try until it succeeds, fails for good (see permanent), or ctx ends, waiting
// RetryWait after the first failure and twice as long after each next one, up to a minute;
// after a 429, at least as long as Discord asks.
func (c *connector) retry(ctx context.Context, what string, try func(context.Context) error) error {
	wait := c.retryWait
	for n := 1; ; n++ {
		err := try(ctx)
		if err == nil || ctx.Err() != nil || isPermanent(err) {
			return err
		}
		pause := wait
		var rl *rateLimitError
		if errors.As(err, &rl) {
			pause = max(wait, rl.retryAfter)
			c.log.Warn("rate limited by Discord: waiting", "step", what, "attempt", n, "for", "the rate limit of "+rl.where+" to reset", "retry_in", pause)
		} else {
			c.log.Warn("could not reach Discord: retrying", "step", what, "attempt", n, "retry_in", pause, "err", err)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, maxRetryWait)
	}
}
