package bot

import "dreambot/secret"

// redacted is an error whose text has secrets removed. Unwrap keeps the
// original, so errors.As still finds a *discordgo.RESTError.
type redacted struct {
	err error
	msg string
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// redact returns err with every secret (the bot token, an interaction
// token) removed from its text in every form an echo could take, see
// secret.Redact. discordgo quotes request URLs and Discord's answers in its
// errors, and an interaction's webhook URL carries its token, which lets
// anyone post as the bot for 15 minutes.
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := secret.Redact(err.Error(), secrets...)
	if msg == err.Error() {
		return err
	}
	return &redacted{err: err, msg: msg}
}
