package commands

import "time"

// Observer is told how long each job waited from its acceptance to its turn at the API (its
// first image's turn), for metrics (a *metrics.Metrics in dreambot).
type Observer interface {
	JobWaited(d time.Duration)
}

// Jobs returns how many of this run's jobs wait (picked up, waiting for their turn) and how many
// run (generating or delivering), for metrics. It reads what the workers hold: no query.
func (s *Set) Jobs() (waiting, running int) {
	w := s.work
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ph := range w.phase {
		switch ph {
		case phasePicked, phaseWaiting:
			waiting++
		case phaseGenerating:
			running++
		}
	}
	return waiting, running
}

// Credits returns the account's credits as far as the bot knows, for metrics: the last balance
// reading less what was spent since. It never asks the API; ok is false before the first reading
// succeeds, and always when balance checks are off (LowBalance 0 makes no readings).
func (s *Set) Credits() (credits float64, ok bool) {
	c := s.credits
	if c == nil {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value - c.spentSince, c.known
}
