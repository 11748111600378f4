package discordtest

import "time"

// Option configures a Server.
type Option func(*config)

type config struct {
	heartbeat   time.Duration
	recordOnly  bool
	uploadLimit int64
	ackDeadline time.Duration
	tokenTTL    time.Duration
}

func defaultConfig() config {
	return config{
		heartbeat:   41250 * time.Millisecond,
		uploadLimit: 10 << 20,
		ackDeadline: 3 * time.Second,
		tokenTTL:    15 * time.Minute,
	}
}

// WithHeartbeatInterval sets the heartbeat_interval sent in HELLO (Discord sends 41.25 s).
// discordgo sends its first heartbeat right after connecting, so tests rarely need a shorter one.
func WithHeartbeatInterval(d time.Duration) Option {
	return func(c *config) { c.heartbeat = d }
}

// RecordOnly makes the server record problems (see Server.Problems) without failing the test:
// for tests that send bad requests on purpose. The HTTP answers stay the same.
func RecordOnly() Option {
	return func(c *config) { c.recordOnly = true }
}

// WithUploadLimit sets the largest request body with files that the server accepts before
// answering 413 (Discord's default for bots is 10 MiB).
func WithUploadLimit(bytes int64) Option {
	return func(c *config) { c.uploadLimit = bytes }
}

// WithAckDeadline sets how long after delivering an interaction (or injecting it, if no
// gateway connection received it) the server accepts its first callback: Discord allows 3 s.
// A late first callback is answered 404 10062 and fails the test.
func WithAckDeadline(d time.Duration) Option {
	return func(c *config) { c.ackDeadline = d }
}
