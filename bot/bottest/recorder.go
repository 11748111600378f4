// Package bottest records what the bot sends to Discord, for handler tests
// that need no network. End-to-end tests use package discordtest instead.
package bottest

import (
	"fmt"
	"io"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// Call is one REST call the bot made.
type Call struct {
	// Method names the bot.REST method: "respond", "edit", "delete",
	// "followup" or "channel".
	Method     string
	Type       discordgo.InteractionResponseType // for "respond"
	Content    string
	Flags      discordgo.MessageFlags
	Choices    []*discordgo.ApplicationCommandOptionChoice
	Files      []File
	Channel    string // for "channel"
	Mentions   *discordgo.MessageAllowedMentions
	Components []discordgo.MessageComponent
}

// CustomIDs returns the custom ids of the call's buttons, in order.
func (c Call) CustomIDs() []string {
	var ids []string
	for _, row := range c.Components {
		if r, ok := row.(discordgo.ActionsRow); ok {
			for _, comp := range r.Components {
				if b, ok := comp.(discordgo.Button); ok {
					ids = append(ids, b.CustomID)
				}
			}
		}
	}
	return ids
}

// File is an uploaded attachment.
type File struct {
	Name string
	Data []byte
}

// Recorder implements bot.REST by recording every call. Fail makes chosen
// calls return an error instead.
type Recorder struct {
	mu    sync.Mutex
	calls []Call
	fails map[string][]error
	sent  chan struct{}
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{fails: map[string][]error{}, sent: make(chan struct{}, 1000)}
}

// Fail makes the next calls of method return errs, one each, in order.
func (r *Recorder) Fail(method string, errs ...error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails[method] = append(r.fails[method], errs...)
}

// Calls returns the calls recorded so far, failed ones included.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Sent is signalled after every recorded call.
func (r *Recorder) Sent() <-chan struct{} { return r.sent }

func (r *Recorder) record(c Call) error {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	var err error
	if q := r.fails[c.Method]; len(q) > 0 {
		err, r.fails[c.Method] = q[0], q[1:]
	}
	r.mu.Unlock()
	select {
	case r.sent <- struct{}{}:
	default:
	}
	return err
}

func readFiles(fs []*discordgo.File) []File {
	var out []File
	for _, f := range fs {
		data, err := io.ReadAll(f.Reader)
		if err != nil {
			panic(fmt.Sprintf("bottest: reading file %s: %v", f.Name, err))
		}
		out = append(out, File{Name: f.Name, Data: data})
	}
	return out
}

// InteractionRespond records a callback.
func (r *Recorder) InteractionRespond(_ *discordgo.Interaction, resp *discordgo.InteractionResponse, _ ...discordgo.RequestOption) error {
	c := Call{Method: "respond", Type: resp.Type}
	if d := resp.Data; d != nil {
		c.Content, c.Flags, c.Choices, c.Files, c.Mentions = d.Content, d.Flags, d.Choices, readFiles(d.Files), d.AllowedMentions
		c.Components = d.Components
	}
	return r.record(c)
}

// InteractionResponseEdit records an edit of the original response.
func (r *Recorder) InteractionResponseEdit(_ *discordgo.Interaction, e *discordgo.WebhookEdit, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	c := Call{Method: "edit", Files: readFiles(e.Files), Mentions: e.AllowedMentions}
	if e.Content != nil {
		c.Content = *e.Content
	}
	if e.Components != nil {
		c.Components = *e.Components
	}
	return &discordgo.Message{Content: c.Content}, r.record(c)
}

// InteractionResponseDelete records the deletion of the original response.
func (r *Recorder) InteractionResponseDelete(_ *discordgo.Interaction, _ ...discordgo.RequestOption) error {
	return r.record(Call{Method: "delete"})
}

// FollowupMessageCreate records a follow-up message.
func (r *Recorder) FollowupMessageCreate(_ *discordgo.Interaction, _ bool, p *discordgo.WebhookParams, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	c := Call{Method: "followup", Content: p.Content, Flags: p.Flags, Files: readFiles(p.Files), Mentions: p.AllowedMentions,
		Components: p.Components}
	return &discordgo.Message{Content: c.Content}, r.record(c)
}

// ChannelMessageSendComplex records a plain channel message.
func (r *Recorder) ChannelMessageSendComplex(channelID string, m *discordgo.MessageSend, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	c := Call{Method: "channel", Channel: channelID, Content: m.Content, Files: readFiles(m.Files), Mentions: m.AllowedMentions,
		Components: m.Components}
	return &discordgo.Message{Content: c.Content}, r.record(c)
}
