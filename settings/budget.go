package settings

import (
	"fmt"
	"math"
)

// MaxDailyCredits bounds a server's daily budget: far above what a server
// spends, yet small enough that a typo's extra zeros show up as a refusal.
const MaxDailyCredits = 100000

// SetDailyCredits lets the server spend v credits a day. To go back to the
// operator's default, use ResetDailyCredits.
func (g *Guild) SetDailyCredits(v float64) error {
	if err := validateDailyCredits(v); err != nil {
		return err
	}
	g.DailyCredits = v
	return nil
}

// ResetDailyCredits returns the server to the operator's default budget.
func (g *Guild) ResetDailyCredits() {
	g.DailyCredits = 0
}

func validateDailyCredits(v float64) error {
	if math.IsNaN(v) || v <= 0 || v > MaxDailyCredits {
		return errorf(ErrInvalid, fmt.Sprintf(
			"the daily budget must be more than 0 and at most %d credits (to use the bot's default, reset it)", MaxDailyCredits))
	}
	return nil
}
