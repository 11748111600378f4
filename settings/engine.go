package settings

import (
	"fmt"
	"slices"
	"strings"
)

// MaxEngineIDLen bounds an engine id; the API's ids are far shorter, and the
// bound keeps a typo or an abuse from filling the database.
const MaxEngineIDLen = 64

// ValidateEngineID reports whether id looks like an engine id of the API
// ("stable-diffusion-xl-1024-v1-0"): letters, digits, '-', '_' and '.'. It
// does not check that the engine exists; the caller knows the catalogue.
func ValidateEngineID(id string) error {
	if id == "" {
		return errorf(ErrInvalid, "an engine id is required")
	}
	if len(id) > MaxEngineIDLen {
		return errorf(ErrInvalid, fmt.Sprintf("an engine id has at most %d characters", MaxEngineIDLen))
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)
		if !ok {
			return errorf(ErrInvalid, fmt.Sprintf("%q is not an engine id: use letters, digits, '-', '_' or '.'", id))
		}
	}
	return nil
}

// add returns ids with id added, sorted and without duplicates.
func add(ids []string, id string) []string {
	ids = append(slices.Clone(ids), id)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// remove returns ids without id, or nil when nothing is left, so that an
// emptied list compares equal to a never-set one.
func remove(ids []string, id string) []string {
	out := slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == id })
	if len(out) == 0 {
		return nil
	}
	return out
}
