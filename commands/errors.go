package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/jobs"
	"dreambot/picture"
	"dreambot/settings"
	"dreambot/usage"
)

// InputError is a member's mistake. It is shown to them privately and
// means nothing was spent.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, a ...any) error { return &InputError{Msg: fmt.Sprintf(format, a...)} }

// RateLimitError says a member must wait before imagining again.
type RateLimitError struct {
	Wait  time.Duration
	Scope string // "you" or "this server"
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited (%s) for %s", e.Scope, e.Wait)
}

// GenerationError means DreamStudio answered with Finish-Reason ERROR: what
// came back is not worth showing, but it is kept on disk at Path (if saved).
type GenerationError struct {
	Engine string
	Path   string
}

func (e *GenerationError) Error() string {
	return fmt.Sprintf("%s finished with ERROR (saved as %q)", e.Engine, e.Path)
}

// Describe is the one place that turns an error into what a member sees.
// The second result is true when the error is the member's doing (a
// mistake, a limit) rather than a failure worth an operator's attention.
// No message ever carries internals, a token or a key, nor any text an
// upstream server sent: those go to the logs, where the error itself is
// written.
func Describe(err error) (*bot.Response, bool) {
	private := func(msg string) *bot.Response { return &bot.Response{Content: msg, Ephemeral: true} }

	var in *InputError
	var ve *dreamstudio.ValidationError
	var rl *RateLimitError
	var api *dreamstudio.Error
	var se *settings.Error
	var lc *LowCreditsError
	var ge *GenerationError
	var ce *jobs.CapError
	var ee *ExpiredError
	var engineErr *settings.EngineError
	var bad *dreamstudio.BadImageError
	var badAnswer *dreamstudio.BadAnswerError
	var busy *dreamstudio.MemoryWaitError
	var over *usage.OverBudgetError
	var poor *CantAffordError
	var ceiling *settings.CeilingError
	var pic *picture.Error
	var gone *generate.PictureError
	switch {
	case errors.As(err, &gone): // first: it may wrap a *picture.Error about the bot's own file
		return private("The picture to work from can no longer be read from the bot's disk, so nothing was made or spent. " +
			"Please start again with /imagine."), false
	case errors.As(err, &pic):
		return private("I can't use that picture: " + pic.Reason + "."), true
	case errors.As(err, &bad):
		return private("DreamStudio sent back an image I can't use (broken, or larger than I accept), so there is nothing " +
			"to show and nothing was saved. Please try again."), false
	case errors.As(err, &busy):
		return private("The bot is busy receiving other large images right now, so this one was lost. Please try again in a moment."), false
	case errors.As(err, &badAnswer):
		return private("DreamStudio answered with something unexpected. Please try again in a moment, " +
			"and let the bot's operator know if it keeps happening."), false
	case errors.As(err, &ce):
		switch ce.Scope {
		case "member":
			return private(fmt.Sprintf("You already have %d images waiting, the most one member can have. Please wait for one of them to finish.", ce.Cap)), true
		case "guild":
			return private(fmt.Sprintf("This server already has %d images waiting, the most it can have. Please try again when some have finished.", ce.Cap)), true
		}
		return private(fmt.Sprintf("The bot has %d images waiting, the most it takes at once. Please try again in a few minutes.", ce.Cap)), true
	case errors.As(err, &ee):
		return private("Sorry, the queue was too long to make this image in time (Discord only lets me answer for 15 minutes). " +
			"Nothing was spent: please try again."), false
	case errors.As(err, &ge):
		msg := "DreamStudio reported an error while making this image, so there is nothing to show. Please try again."
		if ge.Path != "" {
			msg += fmt.Sprintf("\n(What it sent back is kept as `%s`.)", ge.Path)
		}
		return private(msg), false
	case errors.As(err, &lc) && lc.Notify:
		return &bot.Response{Content: fmt.Sprintf("⚠️ **Moderators:** this bot's DreamStudio account is almost out of credits "+
			"(%.2f left), so /imagine is paused. Please ask the bot's operator to top it up.", lc.Credits)}, true
	case errors.As(err, &lc):
		return private("The bot is out of DreamStudio credits for now, so it can't make images. The moderators have been told."), true
	case errors.As(err, &poor):
		// The balance itself is the operator's business: members read only that it is short.
		return private(fmt.Sprintf("The bot's DreamStudio account doesn't have enough credits left (after the images already "+
			"queued) for %s, at %s an image. A cheaper engine may still work; nothing was spent.",
			poor.Engine, dreamstudio.FormatCredits(poor.Cost, false))), true
	case errors.As(err, &ceiling):
		return private(ceiling.Message() + " Try a cheaper engine, or fewer steps or a smaller size; nothing was spent."), true
	case errors.As(err, &over):
		return private(fmt.Sprintf("%s It resets <t:%d:R>.", over.Message(), over.Resets.Unix())), true
	case errors.As(err, &engineErr):
		return private(engineErr.Message), true
	case errors.As(err, &se):
		return private(se.Message + "."), true
	case errors.As(err, &in):
		return private(in.Msg), true
	case errors.As(err, &ve):
		return private(ve.Message), true
	case errors.As(err, &rl):
		who := "You can"
		if rl.Scope == scopeGuild {
			who = "This server has made a lot of images just now. Everyone here can"
		}
		return private(fmt.Sprintf("%s imagine again in %s.", who, humanWait(rl.Wait))), true
	case errors.As(err, &api):
		return private(describeAPI(api)), memberCaused[api.Name] || api.ContentModeration() || api.Refused()
	case errors.Is(err, context.DeadlineExceeded):
		return private("DreamStudio took too long to answer. Please try again in a moment."), false
	case errors.Is(err, context.Canceled):
		return private("The bot is restarting, so this request was stopped. Please try again in a minute."), false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return private("I couldn't reach DreamStudio just now. Please try again in a few minutes."), false
	}
	return private("Sorry, something went wrong on my side. The bot's operator can find the details in its logs."), false
}

// describeAPI says what a refusal of the API means, from its status and,
// when the API documents it, its name. The upstream message is never
// shown: it is anything a server or proxy chose to send, echoes included.
func describeAPI(e *dreamstudio.Error) string {
	switch {
	case e.ContentModeration():
		return "Stability's content moderation declined this prompt, so there is no image. No credits were spent: try rewording it."
	case e.Refused():
		return "Stability refused this request: it takes prompts in English only, and declines some subjects such as public figures. " +
			"No credits were spent: try rewording it."
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return "DreamStudio refused this bot's API key. Please let the bot's operator know."
	case e.Status == http.StatusTooManyRequests:
		return "DreamStudio is getting too many requests right now. Please try again in a minute."
	case e.Status == http.StatusPaymentRequired || strings.Contains(e.Name, "balance"):
		return "The bot is out of DreamStudio credits. Please let the bot's operator know."
	case e.Status >= 500:
		return fmt.Sprintf("DreamStudio is having trouble right now (error %d). Please try again in a few minutes.", e.Status)
	case e.Name == "":
		// Not the API's JSON: a proxy's page, or garbage.
		return fmt.Sprintf("DreamStudio answered with something unexpected (error %d). Please try again in a moment, "+
			"and let the bot's operator know if it keeps happening.", e.Status)
	case e.Status == http.StatusNotFound:
		return "DreamStudio doesn't offer that engine (any more). Pick one from the list."
	case e.Status == http.StatusBadRequest:
		if msg, ok := badRequestNames[e.Name]; ok {
			return msg
		}
	}
	if e.Documented() {
		return fmt.Sprintf("DreamStudio refused the request (%s, error %d). The bot's operator can find the details in its logs.", e.Name, e.Status)
	}
	return fmt.Sprintf("DreamStudio refused the request (error %d). The bot's operator can find the details in its logs.", e.Status)
}

// memberCaused are the 400 names a member's input can cause; any other
// refusal is the bot's fault and is logged as an error for the operator.
var memberCaused = map[string]bool{
	"invalid_sdxl_v1_dimensions": true, "invalid_sdxl_v222_dimensions": true, "invalid_pixel_count": true,
	"invalid_height_or_width": true, "invalid_prompts": true, "invalid_image_dimensions": true,
}

// badRequestNames explains the 400 names the API documents.
var badRequestNames = map[string]string{
	"invalid_sdxl_v1_dimensions":   "That engine only makes images in these sizes: 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, 640x1536, 768x1344, 832x1216, 896x1152.",
	"invalid_sdxl_v222_dimensions": "That engine needs both sides of at least 128 pixels, at most one side above 512, and at most 512x896.",
	"invalid_pixel_count":          "That size has too many or too few pixels for this engine. Try 1024x1024 or 512x512.",
	"invalid_height_or_width":      "Width and height must be multiples of 64 and at least 128.",
	"invalid_prompts":              "DreamStudio refused the prompt. It may contain words its content rules don't allow; try rewording it.",
	"invalid_samples":              "This bot asked for more than one image at once, which DreamStudio refused. Please let the operator know.",
	"invalid_file_size":            "The request was too large for DreamStudio.",
	"invalid_mime_type":            "DreamStudio couldn't read the image it was sent. Please let the bot's operator know.",
	"invalid_image_dimensions":     "DreamStudio refused the image's dimensions. Try another size.",
	"invalid_mask_image":           "DreamStudio refused the mask image. Please let the bot's operator know.",
}

func humanWait(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s < 1:
		return "a second"
	case s < 90:
		return fmt.Sprintf("%d s", s)
	default:
		return fmt.Sprintf("%d min", (s+59)/60)
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
