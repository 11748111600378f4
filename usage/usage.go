// Package usage is what images cost: the record of one image's price, the
// totals of a period, the calendar those periods follow, and the rule of a
// server's daily budget. It knows nothing of Discord or of the store.
//
// Days, weeks (from Monday) and months are UTC, so every server's budget
// resets at the same moment, 00:00 UTC, wherever its members live.
package usage

import (
	"errors"
	"fmt"
	"math"
	"time"

	"dreambot/dreamstudio"
)

// Record is what one image cost.
type Record struct {
	// Key names the paid request: the interaction and the attempt of its
	// job that made the image. A key recorded twice (a crash replays the
	// record of an image already made) counts once, while an image a
	// crash made the bot pay for twice has two keys. "" (an image made
	// from the shell) always adds.
	Key string
	// Guild is the server that asked for the image: "" for direct
	// messages and the shell.
	Guild, Member, Engine string
	Credits               float64
	// Estimated means Credits is a guess from the engine's price list (the
	// v1 API does not say what a request cost).
	Estimated bool
	At        time.Time
}

// Validate reports whether r can be recorded: a price is a finite number
// of credits, never negative.
func (r Record) Validate() error {
	switch {
	case r.Engine == "":
		return errors.New("usage record: engine required")
	case math.IsNaN(r.Credits) || math.IsInf(r.Credits, 0) || r.Credits < 0:
		return fmt.Errorf("usage record: %v is not a price", r.Credits)
	}
	return nil
}

// Totals is what a server spent in a period.
type Totals struct {
	Images  int
	Credits float64
	// Estimated is true when any of the records summed was an estimate.
	Estimated bool
}

// Add returns the sum of t and u.
func (t Totals) Add(u Totals) Totals {
	return Totals{Images: t.Images + u.Images, Credits: t.Credits + u.Credits, Estimated: t.Estimated || u.Estimated}
}

// CreditsString is the credits as people read them, with "≈" in front
// when they are (partly) an estimate.
func (t Totals) CreditsString() string {
	if t.Estimated {
		return "≈" + dreamstudio.CreditAmount(t.Credits)
	}
	return dreamstudio.CreditAmount(t.Credits)
}

// Periods returns the starts, in UTC, of the day, the week (Monday) and
// the month that now falls in.
func Periods(now time.Time) (day, week, month time.Time) {
	now = now.UTC()
	y, m, d := now.Date()
	day = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	sinceMonday := (int(day.Weekday()) + 6) % 7 // Sunday is 0
	week = day.AddDate(0, 0, -sinceMonday)
	month = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return day, week, month
}

// NextReset returns when the day after now's starts: 00:00 UTC, when
// daily budgets begin again.
func NextReset(now time.Time) time.Time {
	day, _, _ := Periods(now)
	return day.AddDate(0, 0, 1)
}
