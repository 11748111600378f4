package settings

import (
	"errors"
	"slices"

	"dreambot/dreamstudio"
)

// ValidateEngineID reports whether id looks like an engine id of the API
// ("stable-diffusion-xl-1024-v1-0"), by dreamstudio's rule (the ids are path
// segments of its URLs). It does not check that the engine exists; the
// caller knows the catalogue.
func ValidateEngineID(id string) error {
	if err := dreamstudio.ValidateEngineID(id); err != nil {
		var ve *dreamstudio.ValidationError
		if errors.As(err, &ve) {
			return errorf(ErrInvalid, ve.Message)
		}
		return errorf(ErrInvalid, "that is not an engine id")
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
