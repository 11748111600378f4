package bot

import (
	"context"
	"log/slog"
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
}

// NewRouter returns an empty router. describe may be nil.
func NewRouter(log *slog.Logger, describe Describer) *Router {
	if describe == nil {
		describe = func(error) (*Response, bool) {
			return &Response{Content: "Sorry, something went wrong on my side. Please try again in a moment.", Ephemeral: true}, false
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

// Handle answers one interaction through rest. It returns when the answer
// has been sent (or could not be).
func (rt *Router) Handle(ctx context.Context, rest REST, in *discordgo.Interaction) {
	log := rt.log.With("interaction", in.ID, "guild", in.GuildID)
	r := &Request{Interaction: in, reply: &replier{rest: rest, in: in, log: log}}
	h := rt.lookup(r)
	var resp *Response
	var err error
	if h == nil {
		log.Warn("no handler for interaction", "type", in.Type.String(), "name", r.Name())
		resp = &Response{Content: "I don't know that command. It may have been removed; try again in a minute.", Ephemeral: true}
	} else {
		resp, err = h(ctx, r)
	}
	if err != nil {
		var memberFault bool
		resp, memberFault = rt.describe(err)
		if !memberFault {
			log.Error("interaction failed", "command", r.Name(), "member", r.UserID(), "err", redact(err, in.Token))
		}
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
	// The answer goes out even when ctx was cancelled (a shutdown that ran
	// out of time): the member must not be left with "thinking...".
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer cancel()
	if err := r.reply.send(sendCtx, resp); err != nil {
		log.Error("could not answer interaction", "command", r.Name(), "member", r.UserID(), "err", err)
	}
}

// Reject answers an interaction with an ephemeral message without running
// any handler, for instance while the bot shuts down.
func (rt *Router) Reject(ctx context.Context, rest REST, in *discordgo.Interaction, msg string) {
	rp := &replier{rest: rest, in: in, log: rt.log}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer cancel()
	if err := rp.send(sendCtx, &Response{Content: msg, Ephemeral: true}); err != nil {
		rt.log.Warn("could not reject interaction", "interaction", in.ID, "err", err)
	}
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
