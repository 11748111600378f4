package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// Recover turns a panic in a handler into an error, so one bad interaction
// never takes the bot down.
func Recover(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) (resp *Response, err error) {
			defer func() {
				if p := recover(); p != nil {
					log.Error("handler panicked", "command", r.Name(), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					err = fmt.Errorf("handler panicked: %v", p)
				}
			}()
			return next(ctx, r)
		}
	}
}

// Log records every interaction with its server, member, command, latency
// and outcome.
func Log(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) (*Response, error) {
			start := time.Now()
			resp, err := next(ctx, r)
			attrs := []any{
				"command", r.Name(), "type", r.Type.String(), "guild", r.GuildID,
				"member", r.UserID(), "latency", time.Since(start).Round(time.Millisecond),
			}
			if err != nil {
				log.Info("interaction failed", append(attrs, "err", redact(err, r.Token))...)
			} else {
				log.Debug("interaction handled", attrs...)
			}
			return resp, err
		}
	}
}

// DeferAfter acknowledges an interaction with a deferred response when its
// handler has not answered within d, keeping well inside Discord's 3 s
// window even when a handler is slower than it expected.
func DeferAfter(d time.Duration, log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) (*Response, error) {
			t := time.AfterFunc(d, func() {
				if err := r.Defer(ctx); err != nil {
					log.Warn("deferring slow interaction", "command", r.Name(), "err", err)
				}
			})
			defer t.Stop()
			return next(ctx, r)
		}
	}
}

// Timeout bounds how long a handler may run.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) (*Response, error) {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, r)
		}
	}
}
