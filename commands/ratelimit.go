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
		undo, err := l.take(ctx, r, 1)
		if err != nil {
			return nil, err
		}
		resp, err := next(withRefund(ctx, undo), r)
		if err != nil {
			undo()
		}
		return resp, err
	}
}

// take takes n images from the member's and the server's limits at once, or none: a
// *RateLimitError says how long to wait. undo gives them back.
func (l *limits) take(ctx context.Context, r *bot.Request, n int) (undo func(), err error) {
	var perMember ratelimit.Limits
	if r.InGuild() {
		g, err := l.store.Guild(ctx, r.GuildID)
		if err != nil {
			return nil, fmt.Errorf("read rate settings of %s: %w", r.GuildID, err)
		}
		if g.PerUserImages > 0 {
			perMember = ratelimit.Limits{Limit: rate.Limit(float64(g.PerUserImages) / g.PerUserEvery.Seconds()), Burst: g.PerUserImages}
		}
	}
	now := l.now()
	rs := []*rate.Reservation{l.member.ReserveLimitsN(r.GuildID+"/"+r.UserID(), now, perMember, n)}
	if r.InGuild() {
		rs = append(rs, l.guild.ReserveLimitsN(r.GuildID, now, ratelimit.Limits{}, n))
	}
	scope := scopeMember
	if len(rs) == 2 && rs[0].OK() && rs[0].DelayFrom(now) == 0 {
		scope = scopeGuild
	}
	wait, ok, undo := ratelimit.Take(now, rs...)
	switch {
	case !ok && wait == rate.InfDuration && n > 1:
		return nil, inputErrorf("That's more images at once than your limit here allows. Try a smaller `count`.")
	case !ok:
		return nil, &RateLimitError{Wait: wait, Scope: scope}
	}
	return undo, nil
}
