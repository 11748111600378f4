package discordtest_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"dreambot/discordtest"
)

// TestWithholdHello checks that a withheld connection is accepted and counted but hears
// nothing, even after an IDENTIFY, and that restore brings HELLO back for new connections.
func TestWithholdHello(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t)
	restore := srv.WithholdHello()
	url := srv.GatewayURL + "/?v=10&encoding=json"
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": srv.Token, "intents": 1, "properties": map[string]string{}}}); err != nil {
		t.Fatalf("identify: %v", err)
	}
	// Nothing can prove "never": a read that ends by its deadline, not with a message, is
	// what a bot waiting for HELLO sees.
	_ = ws.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	var ne net.Error
	if _, msg, err := ws.ReadMessage(); !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read on a withheld connection = %q, %v; want a timeout", msg, err)
	}
	if st := srv.GatewayStats(); st.Connected != 1 || st.Identified != 0 {
		t.Errorf("stats %+v, want 1 connection and no IDENTIFY answered", st)
	}

	restore()
	ws2, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial after restore: %v", err)
	}
	defer ws2.Close()
	var hello struct {
		Op int `json:"op"`
	}
	if err := ws2.ReadJSON(&hello); err != nil || hello.Op != 10 {
		t.Errorf("first payload after restore = op %d, %v; want HELLO (op 10)", hello.Op, err)
	}
}
