package commands

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"

	"dreambot/bot"
	"dreambot/ratelimit"
)

const (
	scopeMember = "you"
	scopeGuild  = "this server"
)

// limits throttles image commands per member and per server. The global
// limit that keeps the key under Stability's 150 requests per 10 s sits
// in the API client, where every request passes.
type limits struct {
	member *ratelimit.Keyed
	guild  *ratelimit.Keyed
	store  Store
	now    func() time.Time
}

func newLimits(cfg Config, store Store, now func() time.Time) *limits {
	return &limits{
		store:  store,
		member: ratelimit.NewKeyed(rate.Every(cfg.UserEvery), cfg.UserBurst),
		guild:  ratelimit.NewKeyed(rate.Every(cfg.GuildEvery), cfg.GuildBurst),
		now:    now,
	}
}

// middleware takes a token from the member's and the server's limiters
// before the handler runs, and gives them back when the handler fails (a
// mistake found, the queue full). A handler that queues a job hands the
// tokens on to it (refundFrom): the job gives them back when no image
// comes of it.
func (l *limits) middleware(next bot.Handler) bot.Handler {
	return func(ctx context.Context, r *bot.Request) (*bot.Response, error) {
		var perMember ratelimit.Limits
		if r.InGuild() {
			g, err := l.store.Guild(ctx, r.GuildID)
			if err != nil {
				return nil, fmt.Errorf("read rate settings of %s: %w", r.GuildID, err)
			}
			if g.PerUserImages > 0 {
				// A member of this server may make PerUserImages images
				// every PerUserEvery, all at once if they like.
				perMember = ratelimit.Limits{Limit: rate.Limit(float64(g.PerUserImages) / g.PerUserEvery.Seconds()), Burst: g.PerUserImages}
			}
		}
		now := l.now()
		// A member's limiter is kept per server, so each server's setting
		// applies to what is made there.
		rs := []*rate.Reservation{l.member.ReserveLimits(r.GuildID+"/"+r.UserID(), now, perMember)}
		if r.InGuild() {
			rs = append(rs, l.guild.Reserve(r.GuildID, now))
		}
		scope := scopeMember
		if len(rs) == 2 && rs[0].OK() && rs[0].DelayFrom(now) == 0 {
			scope = scopeGuild
		}
		wait, ok, undo := ratelimit.Take(now, rs...)
		if !ok {
			return nil, &RateLimitError{Wait: wait, Scope: scope}
		}
		resp, err := next(withRefund(ctx, undo), r)
		if err != nil {
			undo()
		}
		return resp, err
	}
}
