package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Balance reads the account's credits (a *dreamstudio.Client in dreambot).
type Balance interface {
	Balance(ctx context.Context) (float64, error)
}

// LowCreditsError means the account is under the operator's low-balance
// threshold, so /imagine refuses instead of failing at the API. Notify is
// set on the first refusal in a server while the balance is low: that one
// is addressed to the server's moderators, in public.
type LowCreditsError struct {
	Credits float64
	Notify  bool
}

func (e *LowCreditsError) Error() string { return fmt.Sprintf("low balance: %.2f credits", e.Credits) }

// coldFetchBudget bounds the first balance read, which a command waits for.
const coldFetchBudget = 3 * time.Second

// credits caches the balance: it is read at most once per ttl (in the
// background once a value is known), never on every command.
type credits struct {
	api       Balance
	threshold float64 // 0: no check
	ttl       time.Duration
	now       func() time.Time
	log       *slog.Logger

	// mu guards everything below.
	mu         sync.Mutex
	value      float64
	known      bool
	fetched    time.Time
	refreshing bool
	// notified holds the servers already told during this low episode.
	notified map[string]bool
}

func newCredits(api Balance, threshold float64, ttl time.Duration, log *slog.Logger) *credits {
	return &credits{api: api, threshold: threshold, ttl: ttl, now: time.Now, log: log, notified: map[string]bool{}}
}

// check returns a *LowCreditsError when the last known balance is under
// the threshold. An unknown balance (the API did not answer) lets the
// request through: the API has the last word.
func (c *credits) check(ctx context.Context, guildID string) error {
	if c == nil || c.api == nil || c.threshold <= 0 {
		return nil
	}
	value, ok := c.current(ctx)
	if !ok || value >= c.threshold {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	notify := guildID != "" && !c.notified[guildID]
	if notify {
		c.notified[guildID] = true
	}
	return &LowCreditsError{Credits: value, Notify: notify}
}

// current returns the cached balance, fetching it when none is known and
// refreshing it in the background when it is older than ttl.
func (c *credits) current(ctx context.Context) (float64, bool) {
	c.mu.Lock()
	known, stale := c.known, c.now().Sub(c.fetched) >= c.ttl
	value := c.value
	startRefresh := known && stale && !c.refreshing
	if startRefresh {
		c.refreshing = true
	}
	c.mu.Unlock()
	switch {
	case !known && !stale:
		return 0, false // the last attempt failed; try again after ttl
	case !known:
		ctx, cancel := context.WithTimeout(ctx, coldFetchBudget)
		defer cancel()
		v, err := c.fetch(ctx)
		return v, err == nil
	case startRefresh:
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
			defer cancel()
			_, _ = c.fetch(ctx) // a failure is logged there, and the old value stays
			c.mu.Lock()
			c.refreshing = false
			c.mu.Unlock()
		}()
	}
	return value, true
}

// fetch reads the balance now and caches it.
func (c *credits) fetch(ctx context.Context) (float64, error) {
	v, err := c.api.Balance(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			c.log.Warn("could not read the DreamStudio balance", "err", err)
		}
		c.fetched = c.now() // don't hammer a failing API; retry after ttl
		return 0, err
	}
	wasLow := c.known && c.value < c.threshold
	c.value, c.known, c.fetched = v, true, c.now()
	switch {
	case c.threshold > 0 && v < c.threshold && !wasLow:
		c.log.Warn("DreamStudio balance is under the low-balance threshold: /imagine is paused", "credits", v, "threshold", c.threshold)
	case v >= c.threshold && wasLow:
		c.log.Info("DreamStudio balance is back above the threshold", "credits", v)
		clear(c.notified)
	}
	return v, nil
}
