package settings

import (
	"fmt"
	"strings"

	"dreambot/catalog"
	"dreambot/dreamstudio"
)

// Operator is what the bot's operator decided for every server.
type Operator struct {
	// DefaultEngine is used where a server chose none; "" means the first
	// of Preferred that is allowed, else the first allowed engine.
	DefaultEngine string
	// AllowedEngines, when not empty, is the only engines members may use
	// where a server made no allow-list of its own.
	AllowedEngines []string
	// Preferred are tried, in order, when nobody chose a default.
	Preferred []string
	// MaxCredits is the most one image may cost; 0 means no ceiling.
	MaxCredits float64
}

// Affords reports whether an image costing credits is within the operator's ceiling. It is the
// one home of that rule: engines over it are hidden, and requests over it are refused.
func (op Operator) Affords(credits float64) bool {
	return op.MaxCredits <= 0 || dreamstudio.CreditsWithin(credits, op.MaxCredits)
}

// CeilingError is a request that costs more than the operator's ceiling allows.
type CeilingError struct {
	Engine   string // the engine's name
	Credits  float64
	Estimate bool
	Max      float64
}

func (e *CeilingError) Error() string { return e.Message() }

// Message is the refusal as a member reads it.
func (e *CeilingError) Message() string {
	return fmt.Sprintf("%s would cost %s an image, more than this bot allows (%s).", e.Engine,
		dreamstudio.FormatCredits(e.Credits, e.Estimate), dreamstudio.FormatCredits(e.Max, false))
}

// CheckCost returns a *CeilingError when an image of engine costing credits is over the ceiling.
func (op Operator) CheckCost(engine dreamstudio.Engine, credits float64, estimate bool) error {
	if op.Affords(credits) {
		return nil
	}
	name := engine.Name
	if name == "" {
		name = engine.ID
	}
	return &CeilingError{Engine: name, Credits: credits, Estimate: estimate, Max: op.MaxCredits}
}

// EngineError is a member's engine choice that cannot be made. Message is
// safe to show them as it is, and names what they can use instead.
type EngineError struct{ Message string }

func (e *EngineError) Error() string { return e.Message }

// AllowedEngines returns the picture engines of offered (the API's list)
// that members of g may use and whose default image is within the
// operator's ceiling, in the API's order.
func AllowedEngines(g Guild, op Operator, offered []dreamstudio.Engine) []dreamstudio.Engine {
	var out []dreamstudio.Engine
	for _, e := range catalog.Pictures(offered) {
		if credits, _ := dreamstudio.Credits(e.ID); g.Allows(e.ID, op.AllowedEngines) && op.Affords(credits) {
			out = append(out, e)
		}
	}
	return out
}

// DefaultEngine returns the engine a member of g gets when they pick none:
// the server's default, the operator's, a preferred one or the first
// allowed, whichever is allowed first; false when none is.
func DefaultEngine(g Guild, op Operator, allowed []dreamstudio.Engine) (dreamstudio.Engine, bool) {
	if len(allowed) == 0 {
		return dreamstudio.Engine{}, false
	}
	configured := op.DefaultEngine
	if g.DefaultEngine != "" {
		configured = g.DefaultEngine
	}
	for _, id := range append([]string{configured}, op.Preferred...) {
		if e, ok := FindEngine(allowed, id); ok && id != "" {
			return e, true
		}
	}
	return allowed[0], true
}

// ChooseEngine is the one place that decides the engine of a request: the
// one a member asked for (an id or a name; "" for none) if the API offers
// it and g allows it, else the default. Its errors are *EngineError.
func ChooseEngine(g Guild, op Operator, offered []dreamstudio.Engine, asked string) (dreamstudio.Engine, error) {
	allowed := AllowedEngines(g, op, offered)
	if asked = strings.TrimSpace(asked); asked != "" {
		e, ok := FindEngine(offered, asked)
		if !ok {
			return e, &EngineError{fmt.Sprintf("%q isn't an engine DreamStudio offers. Pick one from the list: %s.", cut(asked, 100), EngineList(allowed))}
		}
		if _, ok := FindEngine(allowed, e.ID); !ok {
			if credits, estimate := dreamstudio.Credits(e.ID); g.Allows(e.ID, op.AllowedEngines) {
				if err := op.CheckCost(e, credits, estimate); err != nil {
					return e, &EngineError{fmt.Sprintf("%s You can use: %s.", err.(*CeilingError).Message(), EngineList(allowed))}
				}
			}
			return e, &EngineError{fmt.Sprintf("%s isn't allowed here. You can use: %s.", e.Name, EngineList(allowed))}
		}
		return e, nil
	}
	def, ok := DefaultEngine(g, op, allowed)
	if !ok {
		return def, &EngineError{"No image engine is available here right now. Please let a moderator know."}
	}
	return def, nil
}

// FindEngine matches an id exactly, or a name case-insensitively (a member
// may type the label and send it without picking a suggestion).
func FindEngine(es []dreamstudio.Engine, s string) (dreamstudio.Engine, bool) {
	for _, e := range es {
		if e.ID == s {
			return e, true
		}
	}
	for _, e := range es {
		if strings.EqualFold(e.Name, s) {
			return e, true
		}
	}
	return dreamstudio.Engine{}, false
}

// EngineList names engines for a member: "Name (`id`), ...".
func EngineList(es []dreamstudio.Engine) string {
	if len(es) == 0 {
		return "none at the moment"
	}
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("%s (`%s`, %s)", e.Name, e.ID, dreamstudio.FormatCredits(dreamstudio.Credits(e.ID))))
	}
	return cut(strings.Join(parts, ", "), 1200)
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
