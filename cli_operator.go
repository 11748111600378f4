package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/settings"
)

// forOperator words err for the operator at a shell, as commands.Describe words it for a
// member on Discord: what to check or do, naming the settings involved, then the error itself
// (API errors are already free of the key). limit names the timeout of the call that failed,
// such as "GENERATE_TIMEOUT (2m)", or is "" when no setting sets it. Errors it has nothing to
// add to are returned as they are.
func forOperator(err error, cfg config.Config, limit string) error {
	var api *dreamstudio.Error
	var ceiling *settings.CeilingError
	var engine *settings.EngineError
	var ne net.Error
	var advice string
	switch {
	case errors.As(err, &api):
		advice = apiAdvice(api, cfg)
	case errors.As(err, &engine):
		return fmt.Errorf("%w\n(ALLOWED_ENGINES and MAX_CREDITS_PER_IMAGE decide which engines are allowed; "+
			"'dreambot engines' lists those your key can use)", err)
	case errors.As(err, &ceiling):
		return fmt.Errorf("%s would cost %s an image, over MAX_CREDITS_PER_IMAGE (%s): pick a cheaper engine, fewer steps "+
			"or a smaller size, or raise MAX_CREDITS_PER_IMAGE", ceiling.Engine,
			dreamstudio.FormatCredits(ceiling.Credits, ceiling.Estimate), dreamstudio.FormatCredits(ceiling.Max, false))
	case errors.Is(err, context.DeadlineExceeded) && limit != "":
		advice = "no answer from Stability within " + limit + ": try again, or raise it if this keeps happening"
	case errors.Is(err, context.DeadlineExceeded):
		advice = fmt.Sprintf("no answer from API_HOST (%s) in time: try again in a few minutes", cfg.APIHost)
	case errors.Is(err, context.Canceled):
		advice = "interrupted"
	case errors.As(err, &ne):
		advice = fmt.Sprintf("could not reach API_HOST (%s): check the network and API_HOST", cfg.APIHost)
	}
	if advice == "" {
		return err
	}
	return fmt.Errorf("%s\n(%w)", advice, err)
}

// apiAdvice says what an operator can do about a refusal of the API, or "" when the error says
// it all (a 400 names the field, for instance).
func apiAdvice(e *dreamstudio.Error, cfg config.Config) string {
	switch {
	case e.ContentModeration():
		return "Stability's content moderation declined this prompt: reword it (nothing was charged)"
	case e.Refused():
		return "Stability declined this prompt (English only; no public figures): reword it (nothing was charged)"
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return fmt.Sprintf("Stability refused the API key (%d): check DREAMSTUDIO_API_KEY", e.Status)
	case e.Status == http.StatusTooManyRequests:
		wait := cmp.Or(e.RetryAfter, dreamstudio.RateLimitLockout)
		return fmt.Sprintf("Stability's rate limit was reached: wait %s before trying again "+
			"(a running bot sharing this key counts too)", shortDuration(wait))
	case e.Status == http.StatusPaymentRequired || strings.Contains(e.Name, "balance"):
		return "the Stability account is out of credits: top it up at https://platform.stability.ai"
	case e.Status >= 500:
		return fmt.Sprintf("Stability is failing (%d): try again in a few minutes", e.Status)
	case e.Name == "": // first: a wrong API_HOST answers 404 pages too
		return fmt.Sprintf("API_HOST (%s) answered %d with something other than Stability's API: check API_HOST", cfg.APIHost, e.Status)
	case e.Status == http.StatusNotFound:
		return fmt.Sprintf("API_HOST (%s) has no such engine: 'dreambot engines' lists those your key can use", cfg.APIHost)
	}
	return ""
}

// shortDuration writes d as "2m", "1m30s" or "45s": time.Duration's form without its zero units.
func shortDuration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
