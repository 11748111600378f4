package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// answerTimeout bounds sending an answer, whatever happened to the
// handler's context.
const answerTimeout = 15 * time.Second

// Describer turns a handler's error into what the member sees, and tells
// whether it was the member's own doing (a mistake, a limit) rather than a
// failure an operator should look at. dreambot has exactly one
// (commands.Describe).
type Describer func(err error) (resp *Response, memberFault bool)

// Router sends each interaction to its handler and the handler's answer,
// or its error described, back to Discord.
type Router struct {
	log          *slog.Logger
	describe     Describer
	middleware   []Middleware
	commands     map[string]Handler
	autocomplete map[string]Handler
	components   map[string]Handler // by custom_id prefix, up to the first ':'
	observer     InteractionObserver
}

// NewRouter returns an empty router. describe may be nil.
func NewRouter(log *slog.Logger, describe Describer) *Router {
	if describe == nil {
		describe = func(error) (*Response, bool) {
			return &Response{Content: wentWrong, Ephemeral: true}, false
		}
	}
	return &Router{
		log: log, describe: describe,
		commands: map[string]Handler{}, autocomplete: map[string]Handler{}, components: map[string]Handler{},
	}
}

// Use adds middleware around every handler registered after it.
func (rt *Router) Use(mw ...Middleware) { rt.middleware = append(rt.middleware, mw...) }

// Command routes the slash command name to h.
func (rt *Router) Command(name string, h Handler, mw ...Middleware) {
	rt.commands[name] = rt.wrap(h, mw)
}

// Autocomplete routes autocomplete requests of command name to h.
func (rt *Router) Autocomplete(name string, h Handler, mw ...Middleware) {
	rt.autocomplete[name] = rt.wrap(h, mw)
}

// Component routes clicks on components whose custom_id is prefix, or
// starts with prefix followed by ':', to h.
func (rt *Router) Component(prefix string, h Handler, mw ...Middleware) {
	rt.components[prefix] = rt.wrap(h, mw)
}

func (rt *Router) wrap(h Handler, mw []Middleware) Handler {
	all := append(append([]Middleware{}, rt.middleware...), mw...)
	return Chain(h, all...)
}

// What the member sees when the bot cannot do better.
const (
	// wentWrong answers a failure of the bot's own, without internals.
	wentWrong = "Sorry, something went wrong on my side. Please try again in a moment."
	// couldNotRead answers an interaction whose data could not be decoded,
	// for instance after Discord changed its schema.
	couldNotRead = "Sorry, I couldn't read that request. Please try again."
)

// Handle answers one interaction through rest. It returns when the answer
// has been sent (or could not be). An interaction whose data is not what
// its type promises gets a short apology instead of a handler, and a panic
// anywhere on the way is logged and answered: nothing an interaction holds
// may end the process.
func (rt *Router) Handle(ctx context.Context, rest REST, in *discordgo.Interaction) {
	rt.handle(ctx, rest, in, in != nil && readable(in), time.Now())
}

// handle is Handle once the caller has decided whether in could be read:
// an interaction rebuilt from raw JSON after discordgo gave up on it has no
// data whatever its type. received is when the gateway event arrived: Discord's 3 s count from
// about then, and so does the time to the first response.
func (rt *Router) handle(ctx context.Context, rest REST, in *discordgo.Interaction, ok bool, received time.Time) {
	if in == nil {
		rt.log.Warn("no interaction to handle")
		return
	}
	log := rt.log.With("interaction", in.ID, "guild", in.GuildID)
	rest, obs := rt.observe(rest, in, received)
	defer obs.done() // last: after a panic's apology
	r := &Request{Interaction: in, reply: &replier{rest: rest, in: in, log: log}}
	defer rt.recoverAnswer(ctx, r, log)
	resp, err := rt.run(ctx, r, ok, log)
	var memberFault bool
	if err != nil {
		resp, memberFault = rt.describe(err)
		if !memberFault {
			log.Error("interaction failed", "command", r.Name(), "member", r.UserID(), "err", redact(err, in.Token))
		}
	}
	if obs != nil {
		obs.set(rt.outcome(r, ok, err, memberFault))
	}
	if resp == nil {
		resp = &Response{Content: "Done.", Ephemeral: true}
	}
	if resp.Later {
		if err := r.Defer(context.WithoutCancel(ctx)); err != nil {
			log.Error("could not acknowledge interaction", "command", r.Name(), "member", r.UserID(), "err", err)
		}
		return
	}
	rt.answer(ctx, r, resp, log)
}

// run finds in's handler and runs it, or says why there is none.
func (rt *Router) run(ctx context.Context, r *Request, ok bool, log *slog.Logger) (*Response, error) {
	if !ok {
		log.Warn("could not read interaction", "type", r.Type.String())
		return &Response{Content: couldNotRead, Ephemeral: true}, nil
	}
	h := rt.lookup(r)
	if h == nil {
		log.Warn("no handler for interaction", "type", r.Type.String(), "name", r.Name())
		return &Response{Content: "I don't know that command. It may have been removed; try again in a minute.", Ephemeral: true}, nil
	}
	return h(ctx, r)
}

// answer sends resp. It goes out even when ctx was cancelled (a shutdown
// that ran out of time): the member must not be left with "thinking...".
func (rt *Router) answer(ctx context.Context, r *Request, resp *Response, log *slog.Logger) {
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer cancel()
	if err := r.reply.send(sendCtx, resp); err != nil {
		log.Error("could not answer interaction", "command", r.Name(), "member", r.UserID(), "err", err)
	}
}

// recoverAnswer, deferred, turns a panic outside the handlers (theirs are
// Recover's) into one log line and an apology. The apology is fixed: the
// describer may be what panicked. The replier sends nothing if an answer
// already went out, so the interaction still gets exactly one.
func (rt *Router) recoverAnswer(ctx context.Context, r *Request, log *slog.Logger) {
	p := recover()
	if p == nil {
		return
	}
	err := redact(fmt.Errorf("%v", p), r.Token)
	log.Error("interaction panicked", "type", r.Type.String(), "panic", err, "stack", string(debug.Stack()))
	rt.answer(ctx, r, &Response{Content: wentWrong, Ephemeral: true}, log)
}

// Reject answers an interaction with an ephemeral message without running
// any handler, for instance while the bot shuts down.
func (rt *Router) Reject(ctx context.Context, rest REST, in *discordgo.Interaction, msg string) {
	rt.reject(ctx, rest, in, msg, time.Now())
}

// reject is Reject of an interaction whose gateway event arrived at received.
func (rt *Router) reject(ctx context.Context, rest REST, in *discordgo.Interaction, msg string, received time.Time) {
	if in == nil {
		return
	}
	log := rt.log.With("interaction", in.ID, "guild", in.GuildID)
	rest, obs := rt.observe(rest, in, received)
	defer obs.done()
	obs.set(OutcomeRejected)
	r := &Request{Interaction: in, reply: &replier{rest: rest, in: in, log: log}}
	defer rt.recoverAnswer(ctx, r, log)
	rt.answer(ctx, r, &Response{Content: msg, Ephemeral: true}, log)
}

func (rt *Router) lookup(r *Request) Handler {
	switch r.Type {
	case discordgo.InteractionApplicationCommand:
		return rt.commands[r.Name()]
	case discordgo.InteractionApplicationCommandAutocomplete:
		return rt.autocomplete[r.Name()]
	case discordgo.InteractionMessageComponent:
		id := r.Name()
		if i := strings.IndexByte(id, ':'); i >= 0 {
			id = id[:i]
		}
		return rt.components[id]
	}
	return nil
}
