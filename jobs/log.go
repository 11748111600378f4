package jobs

import (
	"context"
	"log/slog"
)

// atLeast passes on to the embedded handler only the records at level min or
// above. River reports each routine step (a job errored, the client started,
// poll-only mode) at info level, which would drown the bot's own logs; its
// warnings and errors are worth keeping.
type atLeast struct {
	min slog.Level
	slog.Handler
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeast{min: h.min, Handler: h.Handler.WithAttrs(attrs)}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{min: h.min, Handler: h.Handler.WithGroup(name)}
}

// loggers returns the package's logger and a quieter one for River, both
// scoped by component. A nil base discards everything.
func loggers(base *slog.Logger) (own, river *slog.Logger) {
	if base == nil {
		base = slog.New(slog.DiscardHandler)
	}
	river = slog.New(atLeast{min: slog.LevelWarn, Handler: base.Handler()})
	return base.With("component", "jobs"), river.With("component", "river")
}
