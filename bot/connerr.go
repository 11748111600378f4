package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// maxErrorBody is the most of an error answer's body an error quotes.
const maxErrorBody = 512

// waitError is a connection step that took longer than the connect timeout.
type waitError struct {
	what   string // as "waiting for" would end
	waited time.Duration
}

func (e *waitError) Error() string {
	return fmt.Sprintf("gave up after waiting %s for %s", e.waited, e.what)
}

// Timeout reports true, as net.Error does for its timeouts.
func (e *waitError) Timeout() bool { return true }

// rateLimitError is a 429 answer: retry waits retryAfter before trying again.
type rateLimitError struct {
	where      string // the URL as sent
	retryAfter time.Duration
}

func (e *rateLimitError) Error() string {
	return fmt.Sprintf("%s: Discord answered 429 Too Many Requests: retry after %s", e.where, e.retryAfter)
}

// permanentError is a failure that trying again cannot mend: retry returns it at once.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// checkToken is what to do about a token Discord refused.
const checkToken = "check DISCORD_TOKEN (the token on the Bot page of the application in Discord's Developer Portal)"

// explain rewrites the error of a REST request to Discord: it names the URL actually used
// (DISCORD_API_BASE's host, not discord.com), says how long a timeout waited, and, for a 401,
// what to check; a 429 says how long to wait. Errors that a retry cannot mend (4xx other than 408 and 429) are permanent.
func (c *connector) explain(err error) error {
	if err == nil {
		return nil
	}
	var rest *discordgo.RESTError
	var uerr *url.Error
	var rl *discordgo.RateLimitError
	switch {
	case errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil:
		where := rl.URL
		if u, perr := url.Parse(rl.URL); perr == nil {
			where = c.where(u)
		}
		err = &rateLimitError{where: where, retryAfter: rl.RetryAfter}
	case errors.As(err, &rest) && rest.Request != nil && rest.Response != nil:
		where := rest.Request.Method + " " + c.where(rest.Request.URL)
		status := rest.Response.StatusCode
		if status == http.StatusUnauthorized {
			return permanentError{fmt.Errorf("%s: Discord answered %s: %s", where, rest.Response.Status, checkToken)}
		}
		msg := strings.TrimSpace(string(rest.ResponseBody))
		if len(msg) > maxErrorBody { // a proxy's whole page would flood the log
			msg = strings.ToValidUTF8(msg[:maxErrorBody], "") + "…"
		}
		if rest.Message != nil && rest.Message.Message != "" {
			msg = fmt.Sprintf("%s (code %d)", rest.Message.Message, rest.Message.Code)
		}
		err = fmt.Errorf("%s: Discord answered %s: %s", where, rest.Response.Status, msg)
		if status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests {
			err = permanentError{err}
		}
	case errors.As(err, &uerr):
		u, perr := url.Parse(uerr.URL)
		where := strings.ToUpper(uerr.Op) + " " + uerr.URL
		if perr == nil {
			where = strings.ToUpper(uerr.Op) + " " + c.where(u)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			err = &waitError{what: "an answer to " + where, waited: c.timeout}
		} else {
			err = fmt.Errorf("%s: %w", where, uerr.Err)
		}
	}
	return redact(err, c.token)
}

// explainGateway words an error of discordgo's Open: a refused token is permanent and says
// what to check, as are the close codes Discord documents as final.
func (c *connector) explainGateway(err error, gateway string) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		if gateway == "" { // GET /gateway failed, or something before the dial
			return c.explain(err)
		}
		return redact(fmt.Errorf("the gateway at %s: %w", gateway, err), c.token)
	}
	err = fmt.Errorf("the gateway at %s closed the connection: %d %s", gateway, ce.Code, strings.TrimSuffix(ce.Text, "."))
	switch {
	case ce.Code == 4004: // authentication failed
		return permanentError{fmt.Errorf("%w: %s", err, checkToken)}
	case ce.Code >= 4010 && ce.Code <= 4014: // shard, sharding, API version, intents
		return permanentError{err}
	}
	return err
}

// where returns u as the request was sent: with DISCORD_API_BASE's scheme, host and path.
func (c *connector) where(u *url.URL) string {
	if c.base == nil {
		return u.String()
	}
	return rebaseURL(c.base, u).String()
}
