package bot

import (
	"context"
	"log/slog"

	"github.com/bwmarrin/discordgo"
)

// Ref is what answering an interaction later needs, possibly in a later run of the bot: a job
// keeps it with its request. Token is a secret for its 15 minutes of life; Ref's log form leaves
// it out.
type Ref struct {
	ID        string `json:"id"`
	AppID     string `json:"app_id"`
	Token     string `json:"token"`
	ChannelID string `json:"channel_id"`
	GuildID   string `json:"guild_id,omitempty"`
	UserID    string `json:"user_id"`
}

// RefOf returns the reference to r's interaction.
func RefOf(r *Request) Ref {
	return Ref{ID: r.ID, AppID: r.AppID, Token: r.Token, ChannelID: r.ChannelID, GuildID: r.GuildID, UserID: r.UserID()}
}

// LogValue keeps the token out of the logs.
func (ref Ref) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", ref.ID), slog.String("guild", ref.GuildID), slog.String("member", ref.UserID))
}

// interaction rebuilds the parts of the interaction that answering uses.
func (ref Ref) interaction() *discordgo.Interaction {
	in := &discordgo.Interaction{
		ID: ref.ID, AppID: ref.AppID, Token: ref.Token, Type: discordgo.InteractionApplicationCommand,
		ChannelID: ref.ChannelID, GuildID: ref.GuildID,
	}
	u := &discordgo.User{ID: ref.UserID}
	if ref.GuildID != "" {
		in.Member = &discordgo.Member{User: u}
	} else {
		in.User = u
	}
	return in
}

// Deferred answers an interaction that was acknowledged with a deferred response ("is
// thinking..."), from outside its handler: a job's worker.
type Deferred struct {
	rest REST
	in   *discordgo.Interaction
	log  *slog.Logger
}

// NewDeferred returns the answerer of ref's interaction. log may be nil.
func NewDeferred(rest REST, ref Ref, log *slog.Logger) *Deferred {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Deferred{rest: rest, in: ref.interaction(), log: log.With("interaction", ref.ID, "guild", ref.GuildID)}
}

// Progress replaces the deferred message with resp (a place in the queue, "Generating..."). It
// has no fallbacks: a progress note that cannot be shown is not worth a channel message.
func (d *Deferred) Progress(ctx context.Context, resp *Response) error {
	content := truncate(resp.Content, maxContent)
	components := resp.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	_, err := d.rest.InteractionResponseEdit(d.in, &discordgo.WebhookEdit{
		Content: &content, Components: &components, AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx))
	return redact(err, d.in.Token)
}

// Answer sends the final answer, with the fallbacks a handler's answer has: once more after a
// 5xx, without the files when they are refused, and as a channel message that mentions the
// member once the interaction token no longer works (15 minutes after the interaction). A job's
// member must hear what became of it, so even a private answer goes to the channel then.
// Sending the same answer twice edits the same message, so a job retried after a crash does not
// post twice while the token lives.
func (d *Deferred) Answer(ctx context.Context, resp *Response) error {
	rp := &replier{rest: d.rest, in: d.in, log: d.log, deferred: true, publicFallback: true}
	return rp.send(ctx, resp)
}

// Answerer returns the answerer of another interaction (a job's), through
// the same connection as r's answer.
func (r *Request) Answerer(ref Ref) *Deferred {
	var log *slog.Logger
	var rest REST
	if r.reply != nil {
		rest, log = r.reply.rest, r.reply.log
	}
	return NewDeferred(rest, ref, log)
}
