package images

import (
	"strconv"
	"strings"
	"time"
)

// Name describes a generated image; Save turns it into a file name a human can find again.
// Every field is optional decoration: none of them can make the name escape the directory.
type Name struct {
	Time   time.Time // when it was generated; written in UTC
	Guild  string    // the server's ID, or "" for a direct message
	Prompt string
	Seed   uint32
}

const (
	maxPromptSlug = 40
	maxGuildSlug  = 20 // Discord snowflakes are at most 20 digits
)

// base returns the name without its random suffix and extension, e.g.
// "20261124-051903-1234567890-a-red-fox-42". Only [a-z0-9-] appear in it.
func (n Name) base() string {
	guild := slug(n.Guild, maxGuildSlug)
	if guild == "" {
		guild = "dm"
	}
	parts := []string{n.Time.UTC().Format("20060102-150405"), guild}
	if p := slug(n.Prompt, maxPromptSlug); p != "" {
		parts = append(parts, p)
	}
	parts = append(parts, strconv.FormatUint(uint64(n.Seed), 10))
	return strings.Join(parts, "-")
}

// slug keeps the ASCII letters and digits of s, lower-cased, and turns every run of anything
// else into one "-", trimmed at both ends and to at most max bytes. Whatever s holds (path
// separators, "..", NUL, emoji), the result is [a-z0-9-]* and so cannot name another directory.
func slug(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if b.Len() >= max {
			break
		}
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return strings.TrimRight(b.String()[:min(b.Len(), max)], "-")
}
