package settings

import "time"

// Change is one modification of a server's settings, as the audit log
// records it.
type Change struct {
	GuildID  string
	MemberID string
	Action   string // what the moderator did, e.g. "allow"
	Detail   string // what changed, for people, e.g. "sdxl"
	At       time.Time
}
