package discordtest

import (
	"context"
	"encoding/json"
	"time"
)

// Interaction is an injected interaction: a handle to wait for what the bot did with it.
type Interaction struct {
	srv       *Server
	id, token string
	typ       int
	guildID   string
	channelID string
	messageID string // the message a component is on
	payload   json.RawMessage
	// injectedAt is fake-clock time, for the 15-minute token life; injectedReal is real
	// time, for the 3-second rule when the interaction never went through the gateway.
	injectedAt   time.Time
	injectedReal time.Time

	// The fields below are guarded by srv.mu.
	// deliveredAt is the real time INTERACTION_CREATE was written to the bot's connection.
	deliveredAt time.Time
	responses   []Response
	original    *Message
	followups   []*Message
}

// Response is an accepted interaction callback.
type Response struct {
	// Type is the callback type: 4 message, 5 deferred message, 6 deferred update,
	// 7 update, 8 autocomplete result, 9 modal.
	Type int
	Data ResponseData
	// JSON is the callback body (or its payload_json part).
	JSON  json.RawMessage
	Files []File
	// At is the real time it arrived; Latency is At minus the delivery of the interaction
	// (or its injection, if no gateway connection received it).
	At      time.Time
	Latency time.Duration
}

// ResponseData holds the common fields of a callback's "data".
type ResponseData struct {
	Content    string            `json:"content"`
	Flags      int64             `json:"flags"`
	Embeds     []json.RawMessage `json:"embeds"`
	Components []json.RawMessage `json:"components"`
	Choices    []Choice          `json:"choices"`
	CustomID   string            `json:"custom_id"`
	Title      string            `json:"title"`
}

// Choice is an autocomplete choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Inject delivers an INTERACTION_CREATE to the bot with a fresh id and token, or queues it
// for the next RESUME while the bot is disconnected. An interaction the fake cannot build
// (such as a command that is not registered) fails the test; the returned handle then
// never sees a response.
func (s *Server) Inject(sp *InteractionSpec) *Interaction {
	s.mu.Lock()
	it := &Interaction{
		srv: s, id: s.ids.next(), token: "aW50ZXJhY3Rpb246" + randomToken(96),
		typ: sp.typ, injectedAt: s.clock.Now(), injectedReal: time.Now(),
	}
	p, err := s.payload(sp, it)
	if err != nil {
		s.mu.Unlock()
		s.report(Problem{Route: "inject", Message: err.Error()})
		return it
	}
	it.payload, _ = json.Marshal(p) // Built from JSON-safe values.
	s.interactions[it.id] = it
	s.byToken[it.token] = it
	s.dispatchLocked("INTERACTION_CREATE", it.payload, it)
	s.mu.Unlock()
	s.changed.broadcast()
	return it
}

// ID returns the interaction's id.
func (it *Interaction) ID() string { return it.id }

// Token returns the interaction's token.
func (it *Interaction) Token() string { return it.token }

// ChannelID returns the channel the interaction happened in.
func (it *Interaction) ChannelID() string { return it.channelID }

// Payload returns the INTERACTION_CREATE data sent to the bot.
func (it *Interaction) Payload() json.RawMessage { return it.payload }

// Responses returns the callbacks accepted so far (at most one, unless the bot erred).
func (it *Interaction) Responses() []Response {
	it.srv.mu.Lock()
	defer it.srv.mu.Unlock()
	return append([]Response(nil), it.responses...)
}

// AckLatency returns the real time between the delivery of the interaction (or its
// injection, if no gateway connection received it) and its first accepted callback, and
// whether there was one.
func (it *Interaction) AckLatency() (time.Duration, bool) {
	it.srv.mu.Lock()
	defer it.srv.mu.Unlock()
	if len(it.responses) == 0 {
		return 0, false
	}
	return it.responses[0].Latency, true
}

// WaitDelivered waits until INTERACTION_CREATE was written to the bot's connection.
func (it *Interaction) WaitDelivered(ctx context.Context) error {
	return it.srv.waitFor(ctx, func() bool {
		it.srv.mu.Lock()
		defer it.srv.mu.Unlock()
		return !it.deliveredAt.IsZero()
	})
}

// WaitResponse waits for the first accepted callback.
func (it *Interaction) WaitResponse(ctx context.Context) (Response, error) {
	var r Response
	err := it.srv.waitFor(ctx, func() bool {
		it.srv.mu.Lock()
		defer it.srv.mu.Unlock()
		if len(it.responses) > 0 {
			r = it.responses[0]
			return true
		}
		return false
	})
	return r, err
}

// Original returns a copy of the original response message, or nil if there is none yet.
func (it *Interaction) Original() *Message {
	it.srv.mu.Lock()
	defer it.srv.mu.Unlock()
	if it.original == nil {
		return nil
	}
	return it.original.clone()
}

// WaitOriginal waits until the original response message satisfies match (nil matches any)
// and returns a copy of it. match sees every version, including the placeholder of a deferral.
func (it *Interaction) WaitOriginal(ctx context.Context, match func(*Message) bool) (*Message, error) {
	var m *Message
	err := it.srv.waitFor(ctx, func() bool {
		m = it.Original()
		return m != nil && (match == nil || match(m))
	})
	return m, err
}

// Followups returns copies of the follow-up messages, oldest first.
func (it *Interaction) Followups() []*Message {
	it.srv.mu.Lock()
	defer it.srv.mu.Unlock()
	out := make([]*Message, 0, len(it.followups))
	for _, m := range it.followups {
		out = append(out, m.clone())
	}
	return out
}

// WaitFollowup waits for a follow-up message that satisfies match (nil matches any).
func (it *Interaction) WaitFollowup(ctx context.Context, match func(*Message) bool) (*Message, error) {
	var found *Message
	err := it.srv.waitFor(ctx, func() bool {
		for _, m := range it.Followups() {
			if match == nil || match(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found, err
}
