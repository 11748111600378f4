package usage

import (
	"fmt"
	"time"

	"dreambot/dreamstudio"
)

// epsilon absorbs the error of summing prices such as 0.1 and 0.2, so that
// spending exactly the budget is allowed however it adds up.
const epsilon = 1e-9

// OverBudgetError refuses an image that would take a server past its daily
// budget. Nothing has been spent on it.
type OverBudgetError struct {
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
	return fmt.Sprintf("This server's daily budget of %s credits is used up (%s spent or queued today; this image costs %s).",
		dreamstudio.CreditAmount(e.Budget), dreamstudio.CreditAmount(e.Spent), dreamstudio.CreditAmount(e.Cost))
}

// CheckBudget returns an *OverBudgetError when spending cost more, on top of
// spent, would pass budget. A budget of 0 or less is no budget.
func CheckBudget(budget, spent, cost float64, now time.Time) error {
	if budget <= 0 || spent+cost <= budget+epsilon {
		return nil
	}
	return &OverBudgetError{Budget: budget, Spent: spent, Cost: cost, Resets: NextReset(now)}
}
