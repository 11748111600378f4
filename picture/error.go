// Package picture fetches a member's picture from Discord, decodes it with limits that stop
// decompression bombs, and fits it to the sizes a model accepts. It knows nothing of Discord's
// API beyond the attachment hosts its caller allows, nor of the models beyond their sizes.
package picture

import "fmt"

// Limits the bot's defaults use; callers pass them (or others) explicitly.
const (
	// DefaultMaxBytes is the largest download: Discord's own upload limit for members without Nitro.
	DefaultMaxBytes = 10 << 20
	// DefaultMaxPixels is the most pixels a picture may declare before it is decoded.
	DefaultMaxPixels = 4096 * 4096
)

// maxSide is the longest side Decode accepts: WebP's own limit, and far beyond any model's.
const maxSide = 16384

// Error is a picture a member sent that cannot be used. Reason is a lower-case sentence
// fit to show the member as it is; Err, if any, is the cause, for logs.
type Error struct {
	Reason string
	Err    error
}

// Error returns the reason followed by the cause.
func (e *Error) Error() string {
	if e.Err == nil {
		return "picture: " + e.Reason
	}
	return fmt.Sprintf("picture: %s: %v", e.Reason, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// sizeText writes a byte count the way a member reads it: "10 MB", "512 KB", "1000 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
