package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// REST is what replying needs of a discordgo session. *discordgo.Session
// implements it; tests substitute a recorder or point a real session at a
// fake Discord.
type REST interface {
	InteractionRespond(i *discordgo.Interaction, r *discordgo.InteractionResponse, options ...discordgo.RequestOption) error
	InteractionResponseEdit(i *discordgo.Interaction, e *discordgo.WebhookEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(i *discordgo.Interaction, options ...discordgo.RequestOption) error
	FollowupMessageCreate(i *discordgo.Interaction, wait bool, p *discordgo.WebhookParams, options ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageSendComplex(channelID string, m *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
}

// replier sends the responses of one interaction, in the order Discord
// requires: exactly one callback, then edits and follow-ups.
type replier struct {
	rest REST
	in   *discordgo.Interaction
	log  *slog.Logger

	// mu guards deferred and answered: a DeferAfter timer may fire while
	// the handler's answer is being sent.
	mu       sync.Mutex
	deferred bool
	answered bool
	// publicFallback lets a private answer go to the channel when the
	// interaction token no longer works.
	publicFallback bool
}

func (rp *replier) deferResponse(ctx context.Context) error {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.deferred || rp.answered || rp.in.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return nil
	}
	err := rp.rest.InteractionRespond(rp.in, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	}, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("defer interaction: %w", redact(err, rp.in.Token))
	}
	rp.deferred = true
	return nil
}

// send delivers resp. Whatever fails on the way, it tries the next best
// thing so that the member is never left with "is thinking..." and never
// loses the text (for instance the saved file's path): without files, then
// as a plain channel message when the interaction token no longer works.
func (rp *replier) send(ctx context.Context, resp *Response) error {
	return redact(rp.sendAll(ctx, resp), rp.in.Token)
}

func (rp *replier) sendAll(ctx context.Context, resp *Response) error {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.answered {
		return nil
	}
	rp.answered = true
	opt := discordgo.WithContext(ctx)

	if rp.in.Type == discordgo.InteractionApplicationCommandAutocomplete {
		choices := resp.Choices
		if choices == nil {
			choices = []*discordgo.ApplicationCommandOptionChoice{}
		}
		return rp.rest.InteractionRespond(rp.in, &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices},
		}, opt)
	}

	// Files Discord would refuse for their size are not sent at all.
	tooLarge := filesSize(resp.Files) > MaxUploadBytes
	if tooLarge {
		rp.log.Info("files too large for Discord: answering without them", "bytes", filesSize(resp.Files), "limit", MaxUploadBytes)
		resp = &Response{Content: noFilesContent(resp), Ephemeral: resp.Ephemeral, Components: resp.Components}
	}
	err := rp.deliver(resp, false, opt)
	if serverError(err) {
		rp.log.Warn("Discord failed to take the answer, trying once more", "err", redact(err, rp.in.Token))
		err = rp.deliver(resp, false, opt)
	}
	if err != nil && len(resp.Files) > 0 && !tokenGone(err) {
		rp.log.Warn("reply with files failed, retrying without them", "err", redact(err, rp.in.Token))
		err = rp.deliver(resp, true, opt)
	}
	if err != nil && tokenGone(err) {
		rp.log.Warn("interaction token no longer valid, posting in the channel instead", "err", redact(err, rp.in.Token))
		if resp.Ephemeral && rp.publicFallback {
			public := *resp
			public.Ephemeral = false
			resp = &public
		}
		err = rp.toChannel(resp, opt)
		if err != nil && len(resp.Files) > 0 {
			err = rp.toChannel(&Response{Content: noFilesContent(resp)}, opt)
		}
	}
	return err
}

func (rp *replier) deliver(resp *Response, withoutFiles bool, opt discordgo.RequestOption) error {
	content, files := resp.Content, discordFiles(resp.Files)
	if withoutFiles {
		content, files = noFilesContent(resp), nil
	}
	content = truncate(content, maxContent)
	var flags discordgo.MessageFlags
	if resp.Ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	components := resp.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}

	if !rp.deferred {
		return rp.rest.InteractionRespond(rp.in, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content: content, Flags: flags, Files: files, Components: components,
				AllowedMentions: noMentions(),
			},
		}, opt)
	}
	if resp.Ephemeral {
		// A deferred response is public; an ephemeral answer (a mistake
		// found after deferring) replaces it with a private follow-up.
		if err := rp.rest.InteractionResponseDelete(rp.in, opt); err != nil {
			rp.log.Warn("delete deferred response", "err", redact(err, rp.in.Token))
		}
		_, err := rp.rest.FollowupMessageCreate(rp.in, true, &discordgo.WebhookParams{
			Content: content, Flags: flags, Files: files, Components: components,
			AllowedMentions: noMentions(),
		}, opt)
		return err
	}
	_, err := rp.rest.InteractionResponseEdit(rp.in, &discordgo.WebhookEdit{
		Content: &content, Files: files, Components: &components, AllowedMentions: noMentions(),
	}, opt)
	return err
}

// toChannel posts resp as an ordinary message, mentioning the member so
// they notice it. Ephemeral answers are not posted: they were private.
func (rp *replier) toChannel(resp *Response, opt discordgo.RequestOption) error {
	if resp.Ephemeral || rp.in.ChannelID == "" {
		return errors.New("interaction token expired and the answer cannot be posted publicly")
	}
	content := resp.Content
	mentions := noMentions()
	if u := (&Request{Interaction: rp.in}).User(); u != nil && rp.in.GuildID != "" {
		content = "<@" + u.ID + "> " + content
		mentions = &discordgo.MessageAllowedMentions{Users: []string{u.ID}}
	}
	_, err := rp.rest.ChannelMessageSendComplex(rp.in.ChannelID, &discordgo.MessageSend{
		Content: truncate(content, maxContent), Files: discordFiles(resp.Files),
		Components: resp.Components, AllowedMentions: mentions,
	}, opt)
	return err
}

// maxContent is Discord's limit on a message's content, in characters.
const maxContent = 2000

func noFilesContent(resp *Response) string {
	if resp.NoFilesContent != "" {
		return resp.NoFilesContent
	}
	return resp.Content
}

func discordFiles(fs []File) []*discordgo.File {
	var out []*discordgo.File
	for _, f := range fs {
		out = append(out, &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(f.Data)})
	}
	return out
}

// noMentions keeps a prompt such as "@everyone" from pinging anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// tokenGone reports whether err means the interaction or its webhook token
// can no longer be used (15 minutes passed, or the 3 s window was missed).
func tokenGone(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return false
	}
	if re.Message != nil {
		switch re.Message.Code {
		case discordgo.ErrCodeInvalidWebhookTokenProvided, discordgo.ErrCodeUnknownWebhook,
			discordgo.ErrCodeUnknownInteraction:
			return true
		}
	}
	return re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized
}

// serverError reports whether Discord failed with a 5xx, which a second
// try may get past.
func serverError(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
