// Package bot is dreambot's Discord plumbing: it receives interactions from
// a discordgo session, routes them to handlers, runs middleware around them
// and turns what a handler returns into Discord responses. It knows nothing
// of image generation; package commands provides the handlers.
package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// Handler answers one interaction. It returns what the member should see;
// errors are turned into messages in one place (Options.Describe).
type Handler func(ctx context.Context, r *Request) (*Response, error)

// Middleware wraps a handler with cross-cutting work.
type Middleware func(next Handler) Handler

// Chain applies middleware so that the first one listed runs outermost.
func Chain(h Handler, mw ...Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// File is an attachment of a response.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Response is what a handler wants the member to see.
type Response struct {
	Content   string
	Ephemeral bool
	Files     []File
	// Components are buttons and other message components.
	Components []discordgo.MessageComponent
	// Choices answers an autocomplete interaction.
	Choices []*discordgo.ApplicationCommandOptionChoice
	// NoFilesContent replaces Content when the files cannot be uploaded
	// (too large, token expired, network): the member still learns what
	// happened, e.g. where the image was saved.
	NoFilesContent string
	// Later means the answer comes from elsewhere (a job, through a
	// Deferred): the router only makes sure the interaction is
	// acknowledged, with a deferred response, and sends nothing else.
	Later bool
}

// Request is one interaction being handled.
type Request struct {
	*discordgo.Interaction
	reply *replier
}

// Defer acknowledges the interaction now with a deferred response ("is
// thinking..."), if nothing has been sent yet. Handlers call it before slow
// work; the DeferAfter middleware calls it when a handler forgets.
func (r *Request) Defer(ctx context.Context) error {
	if r.reply == nil {
		return nil
	}
	return r.reply.deferResponse(ctx)
}

// UserID returns the id of the member or user who caused the interaction.
func (r *Request) UserID() string {
	if u := r.User(); u != nil {
		return u.ID
	}
	return ""
}

// User returns the member's user in a server, or the user in a DM.
func (r *Request) User() *discordgo.User {
	if r.Member != nil && r.Member.User != nil {
		return r.Member.User
	}
	return r.Interaction.User
}

// InGuild reports whether the interaction happened in a server.
func (r *Request) InGuild() bool { return r.GuildID != "" }

// Name returns the command's name, or the custom id of a component; "" when
// the data is missing or not of the kind the type promises (discordgo leaves
// Data nil when it cannot decode it, and its ApplicationCommandData and
// MessageComponentData panic then).
func (r *Request) Name() string {
	switch r.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d, _ := r.Data.(discordgo.ApplicationCommandInteractionData)
		return d.Name
	case discordgo.InteractionMessageComponent:
		d, _ := r.Data.(discordgo.MessageComponentInteractionData)
		return d.CustomID
	}
	return ""
}

// readable reports whether in's data is of the kind its type promises, so
// that handlers may call ApplicationCommandData and the like. Types that
// carry no data the router reads are readable.
func readable(in *discordgo.Interaction) bool {
	var ok bool
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		_, ok = in.Data.(discordgo.ApplicationCommandInteractionData)
	case discordgo.InteractionMessageComponent:
		_, ok = in.Data.(discordgo.MessageComponentInteractionData)
	case discordgo.InteractionModalSubmit:
		_, ok = in.Data.(discordgo.ModalSubmitInteractionData)
	default:
		ok = true
	}
	return ok
}
