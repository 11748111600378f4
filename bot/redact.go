package bot

import "strings"

// redacted is an error whose text has secrets removed. Unwrap keeps the
// original, so errors.As still finds a *discordgo.RESTError.
type redacted struct {
	err error
	msg string
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// redact returns err with every secret replaced by "[redacted]". discordgo
// quotes request URLs in its errors, and interaction webhook URLs carry
// the interaction token, which lets anyone post as the bot for 15 minutes.
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	if msg == err.Error() {
		return err
	}
	return &redacted{err: err, msg: msg}
}
