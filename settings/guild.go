package settings

import (
	"fmt"
	"slices"
	"time"
)

// Guild is one server's settings. The zero value (with GuildID set) means
// "nothing configured": the operator's defaults apply.
type Guild struct {
	GuildID string

	// AllowedEngines, when not empty, is the only engines members may use.
	// Empty means no server allow-list: the operator default, or else every
	// engine, applies. Sorted, without duplicates.
	AllowedEngines []string
	// BlockedEngines are always refused. Sorted, without duplicates, and
	// disjoint from AllowedEngines.
	BlockedEngines []string
	// DefaultEngine is used when a member names none; "" means not set.
	DefaultEngine string

	// PerUserImages images every PerUserEvery is what one member may make.
	// Both zero means the operator default applies.
	PerUserImages int
	PerUserEvery  time.Duration

	// DisabledFeatures are the features (see Features) the server's
	// moderators turned off, sorted.
	DisabledFeatures []string

	// DailyCredits is how many credits the server may spend a day (UTC).
	// 0 means the operator's default applies.
	DailyCredits float64

	// UpdatedBy is the member id of the last change; UpdatedAt its time, zero
	// if the settings were never changed.
	UpdatedBy string
	UpdatedAt time.Time
}

// Allows reports whether members of the server may use engineID, given the
// operator's default allow-list (empty: every engine). It does not check that
// the engine exists.
func (g Guild) Allows(engineID string, operatorDefault []string) bool {
	switch {
	case slices.Contains(g.BlockedEngines, engineID):
		return false
	case len(g.AllowedEngines) > 0:
		return slices.Contains(g.AllowedEngines, engineID)
	case len(operatorDefault) > 0:
		return slices.Contains(operatorDefault, engineID)
	default:
		return true
	}
}

// Validate reports whether g keeps the invariants that the editing methods
// maintain, so that a store can refuse a value built by hand.
func (g Guild) Validate() error {
	for _, id := range slices.Concat(g.AllowedEngines, g.BlockedEngines) {
		if err := ValidateEngineID(id); err != nil {
			return err
		}
	}
	if !slices.IsSorted(g.AllowedEngines) || len(slices.Compact(slices.Clone(g.AllowedEngines))) != len(g.AllowedEngines) ||
		!slices.IsSorted(g.BlockedEngines) || len(slices.Compact(slices.Clone(g.BlockedEngines))) != len(g.BlockedEngines) {
		return errorf(ErrInvalid, "engine lists must be sorted and without duplicates")
	}
	for _, id := range g.AllowedEngines {
		if slices.Contains(g.BlockedEngines, id) {
			return errorf(ErrInvalid, fmt.Sprintf("engine %s is both allowed and blocked", id))
		}
	}
	if g.DefaultEngine != "" && !g.Allows(g.DefaultEngine, nil) {
		return errorf(ErrNotAllowed, fmt.Sprintf("the default engine %s is not allowed on this server", g.DefaultEngine))
	}
	if err := validateRate(g.PerUserImages, g.PerUserEvery); err != nil {
		return err
	}
	if err := validateFeatures(g.DisabledFeatures); err != nil {
		return err
	}
	if g.DailyCredits != 0 {
		return validateDailyCredits(g.DailyCredits)
	}
	return nil
}
