package bot

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot/bottest"
)

// ackObserver keeps the last first-response time it was told.
type ackObserver struct {
	ack   time.Duration
	acked bool
}

func (o *ackObserver) Interaction(_, _, _ string, ack time.Duration, acked bool) {
	o.ack, o.acked = ack, acked
}

// TestAckCountsFromTheGatewayEvent: the time to the first response counts from when the gateway
// event arrived, not from when the router got the interaction, and a first response Discord
// refused as too late (10062) is timed as failed.
func TestAckCountsFromTheGatewayEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fail      error
		wantAcked bool
	}{
		{"taken", nil, true},
		{"refused as too late", &discordgo.RESTError{
			Response: &http.Response{StatusCode: 404},
			Message:  &discordgo.APIErrorMessage{Code: discordgo.ErrCodeUnknownInteraction, Message: "Unknown interaction"},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rt := NewRouter(slog.New(slog.DiscardHandler), nil)
			rt.Command("imagine", func(context.Context, *Request) (*Response, error) { return &Response{Content: "hi"}, nil })
			var o ackObserver
			rt.Observe(&o)
			rec := bottest.NewRecorder()
			if tt.fail != nil {
				rec.Fail("respond", tt.fail)
			}
			in := &discordgo.Interaction{ID: "11", Token: "T", Type: discordgo.InteractionApplicationCommand,
				Data: discordgo.ApplicationCommandInteractionData{Name: "imagine"}}
			received := time.Now().Add(-4 * time.Second) // the event waited in discordgo
			rt.handle(context.Background(), rec, in, true, received)
			if o.ack < 4*time.Second || o.acked != tt.wantAcked {
				t.Errorf("ack %v acked %v, want at least 4s and %v", o.ack, o.acked, tt.wantAcked)
			}
		})
	}
}
