package dreamstudio

import "strings"

// family groups engines that share size rules. The rules exist only in the API's prose, keyed
// by engine; an engine id not listed here gets only the generic rules.
type family int

const (
	familyGeneric  family = iota
	familySDXL            // SDXL v0.9 and v1.0: exactly nine sizes
	familySDXLBeta        // SDXL beta v2.2.2: small sizes, one side above 512 at most
	family512             // 512 engines: 262,144..1,048,576 pixels
	family768             // 768 engines: 589,824..1,048,576 pixels
	familySD16            // SD 1.6: 320..1536 per side
)

func familyOf(engineID string) family {
	switch {
	case engineID == "stable-diffusion-xl-1024-v1-0", engineID == "stable-diffusion-xl-1024-v0-9":
		return familySDXL
	case engineID == "stable-diffusion-xl-beta-v2-2-2":
		return familySDXLBeta
	case engineID == "stable-diffusion-v1-6":
		return familySD16
	case strings.HasPrefix(engineID, "stable-diffusion-768-"):
		return family768
	case strings.HasPrefix(engineID, "stable-diffusion-512-"),
		engineID == "stable-diffusion-v1-5", engineID == "stable-diffusion-v1":
		return family512
	}
	return familyGeneric
}

// pixelRange is the inclusive range of width*height an engine of family f accepts, or ok false
// when its rule is not about pixel counts.
func (f family) pixelRange() (lo, hi int, ok bool) {
	switch f {
	case family512:
		return 262_144, 1_048_576, true
	case family768:
		return 589_824, 1_048_576, true
	}
	return 0, 0, false
}
