package settings

import (
	"fmt"
	"time"
)

// Bounds of a server's rate setting. They keep a moderator's typo from
// disabling the limit in practice or locking members out for days.
const (
	MaxPerUserImages = 100
	MinPerUserEvery  = time.Second
	MaxPerUserEvery  = 24 * time.Hour
)

// Allow lets members use engineID: it joins the allow list and leaves the
// block list. Allowing on a server with no allow list creates one, so only
// the engines allowed from then on remain usable; a default engine outside it
// is cleared.
func (g *Guild) Allow(engineID string) error {
	if err := ValidateEngineID(engineID); err != nil {
		return err
	}
	g.AllowedEngines = add(g.AllowedEngines, engineID)
	g.BlockedEngines = remove(g.BlockedEngines, engineID)
	g.clearDefaultIfRefused()
	return nil
}

// Block refuses engineID: it joins the block list and leaves the allow list.
// It returns an error matching ErrLastAllowed, and changes nothing, when
// engineID is the only allowed engine: an emptied allow list would silently
// mean "every engine". A default engine that is blocked is cleared.
func (g *Guild) Block(engineID string) error {
	if err := ValidateEngineID(engineID); err != nil {
		return err
	}
	if len(g.AllowedEngines) == 1 && g.AllowedEngines[0] == engineID {
		return errorf(ErrLastAllowed, fmt.Sprintf(
			"%s is the only allowed engine: allow another engine first, or reset the engine settings", engineID))
	}
	g.BlockedEngines = add(g.BlockedEngines, engineID)
	g.AllowedEngines = remove(g.AllowedEngines, engineID)
	g.clearDefaultIfRefused()
	return nil
}

// ResetEngines clears the allow list, the block list and the default engine,
// so the operator's defaults apply again. The rate setting is kept.
func (g *Guild) ResetEngines() {
	g.AllowedEngines = nil
	g.BlockedEngines = nil
	g.DefaultEngine = ""
}

// SetDefault makes engineID the server's default engine. It must be allowed
// on the server, given the operator's default allow-list. "" clears it.
func (g *Guild) SetDefault(engineID string, operatorDefault []string) error {
	if engineID == "" {
		g.DefaultEngine = ""
		return nil
	}
	if err := ValidateEngineID(engineID); err != nil {
		return err
	}
	if !g.Allows(engineID, operatorDefault) {
		return errorf(ErrNotAllowed, fmt.Sprintf("%s is not allowed on this server: allow it first", engineID))
	}
	g.DefaultEngine = engineID
	return nil
}

// SetRate lets each member make images images every every. (0, 0) returns
// to the operator default. every is a whole number of seconds.
func (g *Guild) SetRate(images int, every time.Duration) error {
	if err := validateRate(images, every); err != nil {
		return err
	}
	g.PerUserImages, g.PerUserEvery = images, every
	return nil
}

func (g *Guild) clearDefaultIfRefused() {
	if g.DefaultEngine != "" && !g.Allows(g.DefaultEngine, nil) {
		g.DefaultEngine = ""
	}
}

func validateRate(images int, every time.Duration) error {
	switch {
	case images == 0 && every == 0:
		return nil
	case images < 1 || images > MaxPerUserImages:
		return errorf(ErrInvalid, fmt.Sprintf("the number of images must be between 1 and %d", MaxPerUserImages))
	case every < MinPerUserEvery || every > MaxPerUserEvery:
		return errorf(ErrInvalid, fmt.Sprintf("the period must be between %d and %d seconds",
			int(MinPerUserEvery/time.Second), int(MaxPerUserEvery/time.Second)))
	case every%time.Second != 0:
		return errorf(ErrInvalid, "the period must be a whole number of seconds")
	default:
		return nil
	}
}
