package dreamstudio

import (
	"fmt"
	"strings"
)

// MaxEngineIDLength bounds an engine id. The API's ids are about 30 characters; the bound
// keeps a typo or an abuse out of URLs, messages and databases.
const MaxEngineIDLength = 64

// ValidateEngineID reports, as a *ValidationError with Field FieldEngine, why id cannot be an
// engine id, or returns nil. An engine id is a path segment of the generation URL, so only
// ids that look like the API's ("stable-diffusion-xl-1024-v1-0") are accepted: 1 to 64
// letters, digits, '-', '_' and '.', and neither "." nor "..", which a URL resolves as a
// path step (an engine ".." would send a generation to /v1/text-to-image). It does not
// check that the engine exists.
func ValidateEngineID(id string) error {
	bad := func(message string) error { return &ValidationError{Field: FieldEngine, Message: message} }
	switch {
	case strings.TrimSpace(id) == "":
		return bad("choose an engine")
	case len(id) > MaxEngineIDLength:
		return bad(fmt.Sprintf("an engine id has at most %d characters", MaxEngineIDLength))
	case id == "." || id == "..":
		return bad(fmt.Sprintf("%q is not an engine id", id))
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)) {
			return bad(fmt.Sprintf("%q is not an engine id: use letters, digits, '-', '_' or '.'", id))
		}
	}
	return nil
}
