package bot

import (
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestExplainGatewayCloseCodes covers the gateway's refusals, which the fake cannot send on
// their own: it checks the token over REST first, and answers 401 there.
func TestExplainGatewayCloseCodes(t *testing.T) {
	t.Parallel()
	c := &connector{}
	tests := []struct {
		code      int
		permanent bool
		want      string
	}{
		{4004, true, "the gateway at 127.0.0.1:1 closed the connection: 4004 Authentication failed: check DISCORD_TOKEN"},
		{4014, true, "the gateway at 127.0.0.1:1 closed the connection: 4014 Disallowed intent(s)"},
		{4000, false, "the gateway at 127.0.0.1:1 closed the connection: 4000 Unknown error"},
	}
	for _, tt := range tests {
		text := map[int]string{4004: "Authentication failed.", 4014: "Disallowed intent(s).", 4000: "Unknown error."}[tt.code]
		err := c.explainGateway(&websocket.CloseError{Code: tt.code, Text: text}, "127.0.0.1:1")
		if !strings.HasPrefix(err.Error(), tt.want) || isPermanent(err) != tt.permanent {
			t.Errorf("close %d: got %q (permanent %v), want %q (permanent %v)", tt.code, err, isPermanent(err), tt.want, tt.permanent)
		}
	}
}
