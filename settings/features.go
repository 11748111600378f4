package settings

import (
	"fmt"
	"slices"
	"strings"
)

// Features a server's moderators (and the operator, for every server) can turn off to control
// cost. Their names are what moderators type.
const (
	FeatureVary    = "vary"    // the Vary buttons under an image
	FeatureUpscale = "upscale" // the Upscale buttons
	FeatureImage   = "image"   // /imagine's image option: a member's own picture as a start
	FeatureCount   = "count"   // /imagine's count option: several images at once
)

// Features lists every feature, in the order they are shown.
func Features() []string { return []string{FeatureVary, FeatureUpscale, FeatureImage, FeatureCount} }

// ValidateFeature refuses a name that is not a feature.
func ValidateFeature(name string) error {
	if !slices.Contains(Features(), name) {
		return errorf(ErrInvalid, fmt.Sprintf("%q is not a feature; the features are %s", cut(name, 40), strings.Join(Features(), ", ")))
	}
	return nil
}

// Enables reports whether the server may use feature: not turned off by its moderators nor by the
// operator (operatorOff).
func (g Guild) Enables(feature string, operatorOff []string) bool {
	return !slices.Contains(g.DisabledFeatures, feature) && !slices.Contains(operatorOff, feature)
}

// SetFeature turns feature on or off for the server.
func (g *Guild) SetFeature(feature string, on bool) error {
	if err := ValidateFeature(feature); err != nil {
		return err
	}
	g.DisabledFeatures = slices.DeleteFunc(g.DisabledFeatures, func(f string) bool { return f == feature })
	if !on {
		g.DisabledFeatures = append(g.DisabledFeatures, feature)
		slices.Sort(g.DisabledFeatures)
	}
	return nil
}

func validateFeatures(off []string) error {
	for _, f := range off {
		if err := ValidateFeature(f); err != nil {
			return err
		}
	}
	if !slices.IsSorted(off) || len(slices.Compact(slices.Clone(off))) != len(off) {
		return errorf(ErrInvalid, "disabled features must be sorted and without duplicates")
	}
	return nil
}
