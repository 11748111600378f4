package usage

import (
	"fmt"
	"time"

	"dreambot/dreamstudio"
)

// OverBudgetError refuses an image that would take a server (or a member's
// DMs) past its daily budget. Nothing has been spent on it.
type OverBudgetError struct {
	// DMs is set for the daily budget of a member's direct messages.
	DMs    bool
	Budget float64
	// Spent is what the server spent today plus what its queued images
	// will cost.
	Spent float64
	// Cost is what the refused image would have cost.
	Cost float64
	// Resets is when the budget begins again.
	Resets time.Time
}

func (e *OverBudgetError) Error() string {
	return fmt.Sprintf("daily budget of %s credits used up: %s spent or queued, %s more asked",
		dreamstudio.CreditAmount(e.Budget), dreamstudio.CreditAmount(e.Spent), dreamstudio.CreditAmount(e.Cost))
}

// Message is the refusal as a member reads it. When the budget resets is
// left to the caller, which knows how to show a time.
func (e *OverBudgetError) Message() string {
	whose := "This server's"
	if e.DMs {
		whose = "Your"
	}
	return fmt.Sprintf("%s daily budget of %s is used up (%s spent or queued today; this image costs %s).", whose,
		dreamstudio.FormatCredits(e.Budget, false), dreamstudio.CreditAmount(e.Spent), dreamstudio.FormatCredits(e.Cost, false))
}

// CheckBudget returns an *OverBudgetError when spending cost more, on top of
// spent, would pass budget. A budget of 0 or less is no budget.
func CheckBudget(budget, spent, cost float64, now time.Time) error {
	if budget <= 0 || dreamstudio.CreditsWithin(spent+cost, budget) {
		return nil
	}
	return &OverBudgetError{Budget: budget, Spent: spent, Cost: cost, Resets: NextReset(now)}
}
