package discordtest_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"dreambot/discordtest"
)

// TestGatewayFaults checks each fault from a raw websocket client: what the client reads after
// HELLO and one payload.
func TestGatewayFaults(t *testing.T) {
	t.Parallel()
	identify := map[string]any{"op": 2, "d": map[string]any{"token": "", "intents": 1, "properties": map[string]string{}}}
	tests := []struct {
		name      string
		fault     func(*discordtest.Server)
		send      map[string]any
		wantClose int // 0: the read must time out instead
	}{
		{"refused session", func(srv *discordtest.Server) { srv.RefuseNextSessions(1, 4004) }, identify, 4004},
		{"withheld READY", func(srv *discordtest.Server) { srv.WithholdReady() }, identify, 0},
		{"withheld heartbeat ACK", func(srv *discordtest.Server) { srv.WithholdHeartbeatAcks() }, map[string]any{"op": 1, "d": nil}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t)
			tt.fault(srv)
			ws, _, err := websocket.DefaultDialer.Dial(srv.GatewayURL+"/?v=10&encoding=json", nil)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer ws.Close()
			var hello struct{ Op int }
			if err := ws.ReadJSON(&hello); err != nil || hello.Op != 10 {
				t.Fatalf("first payload = op %d, %v; want HELLO", hello.Op, err)
			}
			if d, ok := tt.send["d"].(map[string]any); ok {
				d["token"] = srv.Token
			}
			if err := ws.WriteJSON(tt.send); err != nil {
				t.Fatal(err)
			}
			// Nothing proves "never": a read ending by its deadline is what a bot sees.
			_ = ws.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			_, msg, err := ws.ReadMessage()
			var ce *websocket.CloseError
			var ne net.Error
			switch {
			case tt.wantClose != 0 && (!errors.As(err, &ce) || ce.Code != tt.wantClose):
				t.Errorf("read = %q, %v; want close %d", msg, err, tt.wantClose)
			case tt.wantClose == 0 && (!errors.As(err, &ne) || !ne.Timeout()):
				t.Errorf("read = %q, %v; want nothing", msg, err)
			}
			if st := srv.GatewayStats(); st.Identified != 0 {
				t.Errorf("stats %+v, want no IDENTIFY answered", st)
			}
		})
	}
}
