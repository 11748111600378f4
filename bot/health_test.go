package bot_test

import (
	"strings"
	"testing"
	"time"

	"dreambot/bot"
	"dreambot/discordtest"
)

// TestHealthHalfOpenGateway withholds heartbeat ACKs, as a half-open connection does, and moves
// Health's clock: healthy for two heartbeat intervals (from HELLO, not Discord's usual 41.25 s),
// unhealthy after 2.5.
func TestHealthHalfOpenGateway(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(t, discordtest.WithHeartbeatInterval(10*time.Minute))
	srv.WithholdHeartbeatAcks()
	clock := discordtest.NewClock(time.Now())
	r := runBot(t, srv, bot.Options{})
	bot.SetHealthClock(r.bot, clock.Now)
	ctx := testContext(t)
	if err := r.logs.wait(ctx, "connected to Discord"); err != nil {
		t.Fatalf("never connected: %v\n%s", err, r.logs)
	}
	if err := srv.WaitGateway(ctx, func(st discordtest.GatewayStats) bool { return st.Heartbeats > 0 }); err != nil {
		t.Fatalf("no heartbeat: %v", err)
	}
	if err := r.bot.Health(ctx); err != nil {
		t.Errorf("connected: Health = %v, want nil", err)
	}
	clock.Advance(20 * time.Minute)
	if err := r.bot.Health(ctx); err != nil {
		t.Errorf("two intervals without an ACK: Health = %v, want nil", err)
	}
	clock.Advance(10 * time.Minute)
	want := "no heartbeat ACK from the Discord gateway for 30m0s (heartbeat interval 10m0s)"
	if err := r.bot.Health(ctx); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("three intervals without an ACK: Health = %v, want %s", err, want)
	}
}
