package bot

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"
)

// interactionCreate is the gateway event that carries an interaction.
const interactionCreate = "INTERACTION_CREATE"

// onEvent receives every gateway event with its raw JSON and answers
// interactions. It takes *discordgo.Event rather than
// *discordgo.InteractionCreate because discordgo dispatches an
// INTERACTION_CREATE it could not decode anyway, only logging the error
// (Session.onEvent in wsapi.go): with Data nil when "data" did not fit, and
// without even an id or a token when a top-level field did not. The raw
// JSON still has what answering needs.
func (b *Bot) onEvent(_ *discordgo.Session, e *discordgo.Event) {
	if e.Type != interactionCreate {
		return
	}
	b.dispatch(b.rest, e)
}

// dispatch answers the interaction of one INTERACTION_CREATE through rest,
// or turns it away while the bot shuts down. Nothing in e may end the
// process: the router recovers and answers; the recover here is for what
// happens before it.
func (b *Bot) dispatch(rest REST, e *discordgo.Event) {
	// The time to the first response counts from here, before anything is decoded again.
	received := time.Now()
	in := &discordgo.Interaction{}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("gateway event panicked", "event", e.Type, "type", in.Type.String(), "interaction", in.ID,
				"panic", redact(fmt.Errorf("%v", p), in.Token), "stack", string(debug.Stack()))
		}
	}()
	in, ok := interactionOf(e)
	if !answerable(in) {
		b.log.Warn("interaction without a usable id or token: it cannot be answered", "type", in.Type.String())
		return
	}

	b.mu.Lock()
	closing := b.closing
	if !closing {
		b.inflight.Add(1)
	}
	b.mu.Unlock()
	if closing {
		b.opts.Router.reject(b.root, rest, in, "I'm restarting right now. Please try again in a minute.", received)
		return
	}
	defer b.inflight.Done()
	b.opts.Router.handle(b.root, rest, in, ok, received)
}

// answerable reports whether in has an id and a token that can go into the
// URL of an answer: a snowflake and a token of URL-safe characters, so that
// a forged one cannot aim the answer at another route.
func answerable(in *discordgo.Interaction) bool {
	if in.ID == "" || in.Token == "" || len(in.ID) > 20 || len(in.Token) > 500 {
		return false
	}
	for _, r := range in.ID {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range in.Token {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// interactionOf returns the interaction e carries and whether its data can
// be read. When discordgo gave up before the interaction's own fields, they
// are read again from the raw JSON, as far as they go: a field of an
// unexpected type stays empty, and the data is left out.
func interactionOf(e *discordgo.Event) (*discordgo.Interaction, bool) {
	if ic, ok := e.Struct.(*discordgo.InteractionCreate); ok && ic.Interaction != nil && ic.ID != "" {
		return ic.Interaction, readable(ic.Interaction)
	}
	var head struct {
		ID        string                    `json:"id"`
		AppID     string                    `json:"application_id"`
		Type      discordgo.InteractionType `json:"type"`
		Token     string                    `json:"token"`
		GuildID   string                    `json:"guild_id"`
		ChannelID string                    `json:"channel_id"`
	}
	// An error is expected (discordgo had one); Unmarshal still fills every
	// field whose value fits.
	_ = json.Unmarshal(e.RawData, &head)
	return &discordgo.Interaction{
		ID: head.ID, AppID: head.AppID, Type: head.Type, Token: head.Token,
		GuildID: head.GuildID, ChannelID: head.ChannelID,
	}, false
}
