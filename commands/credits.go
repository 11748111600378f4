package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"dreambot/dreamstudio"
)

// Balance reads the account's credits (a *dreamstudio.Client in dreambot).
type Balance interface {
	Balance(ctx context.Context) (float64, error)
}

// CantAffordError is a request for an engine whose image costs more than the account has left.
type CantAffordError struct {
	Credits float64 // left, as far as the bot knows
	Cost    float64
	Engine  string // the engine's name
}

func (e *CantAffordError) Error() string {
	return fmt.Sprintf("%s costs %s; the account has %s left", e.Engine, dreamstudio.FormatCredits(e.Cost, false),
		dreamstudio.FormatCredits(e.Credits, false))
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

// coldFetchBudget bounds how long a command waits for the first balance
// reading; balanceFetchTimeout bounds one reading.
const (
	coldFetchBudget     = 3 * time.Second
	balanceFetchTimeout = 15 * time.Second
)

// credits caches the balance: one reading at a time, at most once per
// ttl, in the background once a value is known; never one per command.
type credits struct {
	api       Balance
	threshold float64 // 0: no check
	ttl       time.Duration
	now       func() time.Time
	log       *slog.Logger

	// mu guards everything below.
	mu    sync.Mutex
	value float64
	known bool
	// spentSince is what images cost since value was read.
	spentSince float64
	fetched    time.Time     // when the last reading ended, good or bad
	inflight   chan struct{} // closed when the running reading ends; nil if none
	// notified holds the servers already told during this low episode.
	notified map[string]bool
}

func newCredits(api Balance, threshold float64, ttl time.Duration, log *slog.Logger) *credits {
	return &credits{api: api, threshold: threshold, ttl: ttl, now: time.Now, log: log, notified: map[string]bool{}}
}

// check returns a *LowCreditsError when the last known balance is under the threshold, and a
// *CantAffordError when what is left after the images made since the reading and those queued
// (queued, asked only then) is less than cost: a member is not sent to a model the account can't
// pay. A threshold of 0 turns balance checks off (no readings at all: some keys can't read the
// balance). An unknown balance (the API did not answer) lets the request through: the API has the
// last word.
func (c *credits) check(ctx context.Context, guildID string, cost float64, engine string, queued func() (float64, error)) error {
	if c == nil || c.api == nil || c.threshold <= 0 {
		return nil
	}
	value, ok := c.current(ctx)
	if !ok {
		return nil
	}
	if value < c.threshold {
		c.mu.Lock()
		defer c.mu.Unlock()
		notify := guildID != "" && !c.notified[guildID]
		if notify {
			c.notified[guildID] = true
		}
		return &LowCreditsError{Credits: value, Notify: notify}
	}
	waiting := 0.0
	if queued != nil {
		var err error
		if waiting, err = queued(); err != nil {
			c.log.Warn("checking the balance without the queued images", "err", err)
		}
	}
	c.mu.Lock()
	left := c.value - c.spentSince - waiting
	c.mu.Unlock()
	if !dreamstudio.CreditsWithin(cost, left) {
		return &CantAffordError{Credits: max(left, 0), Cost: cost, Engine: engine}
	}
	return nil
}

// spend counts credits the bot spent since the last reading, so that a member is not sent to a
// model the account can no longer pay before the next reading shows it.
func (c *credits) spend(credits float64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.spentSince += credits
}

// current returns the cached balance and whether one is known. A stale
// value is returned at once while one reading refreshes it; with no value
// yet, callers wait (briefly) for the one reading in flight.
func (c *credits) current(ctx context.Context) (float64, bool) {
	c.mu.Lock()
	if c.inflight == nil && c.now().Sub(c.fetched) >= c.ttl {
		c.startLocked(ctx)
	}
	value, known, wait := c.value, c.known, c.inflight
	c.mu.Unlock()
	if known || wait == nil {
		return value, known // wait == nil: the last reading failed; retry after ttl
	}
	ctx, cancel := context.WithTimeout(ctx, coldFetchBudget)
	defer cancel()
	select {
	case <-wait:
	case <-ctx.Done():
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value, c.known
}

// startLocked starts a reading shared by every caller. It outlives the
// caller that started it, bounded by balanceFetchTimeout. c.mu is held.
func (c *credits) startLocked(ctx context.Context) {
	done := make(chan struct{})
	c.inflight = done
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), balanceFetchTimeout)
		defer cancel()
		_, _ = c.fetch(ctx) // a failure is logged there; the old value stays
		c.mu.Lock()
		c.inflight = nil
		c.mu.Unlock()
		close(done)
	}()
}

// fetch reads the balance now and caches it.
func (c *credits) fetch(ctx context.Context) (float64, error) {
	c.mu.Lock()
	before := c.spentSince // spent before the reading: in it; what is spent while it runs may not be
	c.mu.Unlock()
	v, err := c.api.Balance(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fetched = c.now()
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			c.log.Warn("could not read the DreamStudio balance", "err", err)
		}
		return 0, err
	}
	wasLow := c.known && c.value < c.threshold
	c.value, c.known, c.spentSince = v, true, c.spentSince-before
	switch {
	case c.threshold > 0 && v < c.threshold && !wasLow:
		c.log.Warn("DreamStudio balance is under the low-balance threshold: /imagine is paused", "credits", v, "threshold", c.threshold)
	case v >= c.threshold && wasLow:
		c.log.Info("DreamStudio balance is back above the threshold", "credits", v)
		clear(c.notified)
	}
	return v, nil
}
