package metrics

import (
	"slices"
	"sync"
)

// other stands for any value past a label's bound; none for an empty one.
const (
	other = "other"
	none  = "none"
)

// The values a fixed label takes; anything else is "other".
var (
	interactionTypes = []string{"command", "autocomplete", "component", "modal"}
	// outcomes: answered; refused as the member's own doing (a mistake, a limit); failed on the
	// bot's side; unreadable data; no handler for it; turned away while shutting down; a panic.
	outcomes      = []string{"ok", "refused", "failed", "unreadable", "unrouted", "rejected", "panicked"}
	finishReasons = []string{"SUCCESS", "CONTENT_FILTERED", "ERROR"}
)

// How many distinct values each open label keeps before the rest become "other". Each is well
// above what the bot produces (2 commands and 4 component prefixes, a few dozen engines and
// models, a dozen routes, the API's 21 documented error names), so "other" only shows a bug.
const (
	maxCommands = 32
	maxModels   = 64
	maxRoutes   = 64
	maxAPINames = 48
	maxLabelLen = 100
)

func oneOf(v string, allowed []string) string {
	if slices.Contains(allowed, v) {
		return v
	}
	return other
}

// labelSet bounds an open label: values of plain printable ASCII, at most n distinct of them.
type labelSet struct {
	n int

	mu   sync.Mutex
	seen map[string]bool
}

func newLabelSet(n int) *labelSet { return &labelSet{n: n, seen: map[string]bool{}} }

// bound returns v, or "none" for "", or "other" when v is not fit for a label or the set is full.
func (s *labelSet) bound(v string) string {
	if v == "" {
		return none
	}
	if !plain(v) {
		return other
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[v] {
		return v
	}
	if len(s.seen) >= s.n {
		return other
	}
	s.seen[v] = true
	return v
}

// plain reports whether v is short printable ASCII without quotes or backslashes.
func plain(v string) bool {
	if len(v) > maxLabelLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
