package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionObserver is told how each interaction went, for metrics (a *metrics.Metrics in
// dreambot). kind is "command", "autocomplete", "component" or "modal"; command is the name the
// router routed it by (a registered command, or a component's custom_id prefix), "unknown" for
// any other; outcome is one of the Outcome constants. ack is the time from the gateway delivering
// the interaction to Discord's answer to its first response (for autocomplete, the choices), 0
// when none was sent; acked is whether Discord took it. A first response Discord refused (10062
// once its 3 s are over) or never answered counts too, with acked false: those are the slow ones.
type InteractionObserver interface {
	Interaction(kind, command, outcome string, ack time.Duration, acked bool)
}

// Outcomes of an interaction, as an InteractionObserver is told them.
const (
	OutcomeOK         = "ok"
	OutcomeRefused    = "refused" // the member's own doing: a mistake, a limit
	OutcomeFailed     = "failed"
	OutcomeUnreadable = "unreadable"
	OutcomeUnrouted   = "unrouted"
	OutcomeRejected   = "rejected" // turned away while shutting down
	OutcomePanicked   = "panicked"
)

// Observe makes rt tell o how each interaction went. Without it nothing is measured.
func (rt *Router) Observe(o InteractionObserver) { rt.observer = o }

// observation is what is measured of one interaction: the first response Discord took, through
// the REST it wraps, and the outcome the router decided.
type observation struct {
	REST
	rt    *Router
	in    *discordgo.Interaction
	start time.Time

	// mu guards ack, acked and outcome: a DeferAfter timer may defer while the handler answers.
	mu      sync.Mutex
	ack     time.Duration
	acked   bool
	outcome string
}

// observe returns the REST to answer in through, which times the first response from received
// (when the gateway event arrived), and the observation to finish when the interaction is done;
// rest itself and nil when nothing observes.
func (rt *Router) observe(rest REST, in *discordgo.Interaction, received time.Time) (REST, *observation) {
	if rt.observer == nil {
		return rest, nil
	}
	o := &observation{REST: rest, rt: rt, in: in, start: received, outcome: OutcomePanicked}
	return o, o
}

// InteractionRespond sends a callback and times Discord's answer, taken or refused: until one is
// taken, the latest try is the one that counts, so a refused first answer that a retry got through
// is timed by the retry.
func (o *observation) InteractionRespond(i *discordgo.Interaction, r *discordgo.InteractionResponse, options ...discordgo.RequestOption) error {
	err := o.REST.InteractionRespond(i, r, options...)
	o.mu.Lock()
	if !o.acked {
		o.ack, o.acked = max(time.Since(o.start), time.Nanosecond), err == nil
	}
	o.mu.Unlock()
	return err
}

// set records the outcome; nil-safe, like done.
func (o *observation) set(outcome string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	o.outcome = outcome
	o.mu.Unlock()
}

// done tells the observer, once the answer went out (or could not).
func (o *observation) done() {
	if o == nil {
		return
	}
	o.mu.Lock()
	ack, acked, outcome := o.ack, o.acked, o.outcome
	o.mu.Unlock()
	r := &Request{Interaction: o.in}
	o.rt.observer.Interaction(kindOf(o.in.Type), o.rt.routeName(r), outcome, ack, acked)
}

// outcome is how r went: whether it could be read and routed, then its handler's error and
// whether the describer put that on the member.
func (rt *Router) outcome(r *Request, ok bool, err error, memberFault bool) string {
	switch {
	case !ok:
		return OutcomeUnreadable
	case rt.lookup(r) == nil:
		return OutcomeUnrouted
	case err == nil:
		return OutcomeOK
	case memberFault:
		return OutcomeRefused
	}
	return OutcomeFailed
}

func kindOf(t discordgo.InteractionType) string {
	switch t {
	case discordgo.InteractionApplicationCommand:
		return "command"
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete"
	case discordgo.InteractionMessageComponent:
		return "component"
	case discordgo.InteractionModalSubmit:
		return "modal"
	}
	return "other"
}

// routeName is the name r is routed by: the command's, or the component's custom_id prefix;
// "unknown" when no handler takes it, so that a forged name never becomes a label.
func (rt *Router) routeName(r *Request) string {
	if !readable(r.Interaction) || rt.lookup(r) == nil {
		return "unknown"
	}
	name := r.Name()
	if r.Type == discordgo.InteractionMessageComponent {
		name, _, _ = strings.Cut(name, ":")
	}
	return name
}

// RESTObserver is told of every error answer of Discord's REST API, for metrics: route is the
// request's method and path template ("PATCH /webhooks/{id}/{token}/messages/@original"),
// status 0 when no answer came.
type RESTObserver interface {
	DiscordError(route string, status int)
}

// observeREST is an http.RoundTripper that tells o of Discord's error answers.
type observeREST struct {
	next http.RoundTripper
	o    RESTObserver
}

func (t observeREST) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		t.o.DiscordError(RouteOf(req.Method, req.URL.Path), 0)
	case err == nil && resp.StatusCode >= 400:
		t.o.DiscordError(RouteOf(req.Method, req.URL.Path), resp.StatusCode)
	}
	return resp, err
}

// routeWords are the words of the paths the bot calls; any other segment of a path is an id
// (all digits) or a token, which are left out of routes.
var routeWords = map[string]bool{
	"interactions": true, "callback": true, "webhooks": true, "messages": true, "@original": true,
	"channels": true, "applications": true, "@me": true, "commands": true, "guilds": true,
	"gateway": true, "bot": true, "users": true, "oauth2": true,
}

// maxRouteSegments bounds a route: the bot's longest has 6 segments.
const maxRouteSegments = 8

// RouteOf is the template of a Discord REST path, as the API's documentation writes it, without
// ids and tokens: "POST /interactions/{id}/{token}/callback". The API's version prefix is left
// out.
func RouteOf(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) >= 2 && segs[0] == "api" && strings.HasPrefix(segs[1], "v") {
		segs = segs[2:]
	}
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte(' ')
	for i, s := range segs {
		if i == maxRouteSegments {
			b.WriteString("/...")
			break
		}
		b.WriteByte('/')
		switch {
		case routeWords[s]:
			b.WriteString(s)
		case s != "" && strings.Trim(s, "0123456789") == "":
			b.WriteString("{id}")
		default:
			b.WriteString("{token}")
		}
	}
	return b.String()
}
