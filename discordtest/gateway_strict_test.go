package discordtest_test

import (
	"errors"
	"testing"

	"github.com/gorilla/websocket"

	"dreambot/discordtest"
)

func TestGatewayRefusesBadIdentify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		identify map[string]any
		wantCode int
	}{
		{"wrong token", map[string]any{"token": "Bot nope", "intents": 513, "properties": map[string]string{"os": "linux"}}, 4004},
		{"no intents", nil, 4013},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer(t, discordtest.RecordOnly())
			if tt.identify == nil {
				tt.identify = map[string]any{"token": srv.Token, "properties": map[string]string{"os": "linux"}}
			}
			ws, _, err := websocket.DefaultDialer.Dial(srv.GatewayURL+"/?v=10&encoding=json", nil)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer ws.Close()
			var hello struct {
				Op int `json:"op"`
				D  struct {
					HeartbeatInterval int `json:"heartbeat_interval"`
				} `json:"d"`
			}
			if err := ws.ReadJSON(&hello); err != nil || hello.Op != 10 || hello.D.HeartbeatInterval != 41250 {
				t.Fatalf("HELLO = %+v, %v", hello, err)
			}
			if err := ws.WriteJSON(map[string]any{"op": 2, "d": tt.identify}); err != nil {
				t.Fatalf("identify: %v", err)
			}
			_, _, err = ws.ReadMessage()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != tt.wantCode {
				t.Errorf("read after IDENTIFY: %v, want close %d", err, tt.wantCode)
			}
			if p := srv.Problems(); len(p) != 1 || p[0].Code != tt.wantCode {
				t.Errorf("problems = %v, want one with code %d", p, tt.wantCode)
			}
		})
	}
}
