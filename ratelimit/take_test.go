package ratelimit_test

import (
	"testing"
	"time"

	"golang.org/x/time/rate"

	"dreambot/ratelimit"
)

func TestTake(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// member has burst 1, server burst 2; spend is how many tokens each has already spent.
		memberSpent, serverSpent int
		serverBurst              int
		wantOK                   bool
		wantWait                 time.Duration
	}{
		{name: "both free", wantOK: true},
		{name: "member must wait", memberSpent: 1, wantWait: 10 * time.Second},
		{name: "server must wait", serverSpent: 2, wantWait: 20 * time.Second},
		{name: "longest wait wins", memberSpent: 1, serverSpent: 2, wantWait: 20 * time.Second},
		{name: "refused reservation", serverBurst: -1, wantWait: rate.InfDuration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			members := ratelimit.NewKeyed(rate.Every(10*time.Second), 1)
			servers := ratelimit.NewKeyed(rate.Every(20*time.Second), 2)
			srvLimits := ratelimit.Limits{Burst: tt.serverBurst}
			spend(t, members, "m", tt.memberSpent)
			spend(t, servers, "s", tt.serverSpent)

			wait, ok, undo := ratelimit.Take(t0,
				members.Reserve("m", t0), servers.ReserveLimits("s", t0, srvLimits))
			if ok != tt.wantOK || wait != tt.wantWait {
				t.Fatalf("Take = (%v, %v), want (%v, %v)", wait, ok, tt.wantWait, tt.wantOK)
			}
			if ok {
				if undo == nil {
					t.Fatal("Take returned ok with a nil undo")
				}
				return
			}
			// A refusal must leave both limiters exactly as they were.
			if got, want := tokens(t, members, "m"), 1-tt.memberSpent; got != want {
				t.Errorf("member tokens after refusal = %d, want %d", got, want)
			}
			if tt.serverBurst >= 0 {
				if got, want := tokens(t, servers, "s"), 2-tt.serverSpent; got != want {
					t.Errorf("server tokens after refusal = %d, want %d", got, want)
				}
			}
		})
	}
}

func TestTakeUndoRestoresTokens(t *testing.T) {
	t.Parallel()
	members := ratelimit.NewKeyed(rate.Every(10*time.Second), 1)
	servers := ratelimit.NewKeyed(rate.Every(20*time.Second), 2)
	spend(t, servers, "s", 1) // so a second restore would show as a second token

	_, ok, undo := ratelimit.Take(t0, members.Reserve("m", t0), servers.Reserve("s", t0))
	if !ok {
		t.Fatal("first Take refused")
	}
	if _, ok, _ := ratelimit.Take(t0, members.Reserve("m", t0)); ok {
		t.Fatal("member token was not spent by the first Take")
	}
	undo()
	undo() // a second call must not restore twice
	if got := tokens(t, servers, "s"); got != 1 {
		t.Fatalf("server tokens after undo = %d, want 1", got)
	}
	if got := tokens(t, members, "m"); got != 1 {
		t.Fatalf("member tokens after undo = %d, want 1", got)
	}
}

func TestTakeNil(t *testing.T) {
	t.Parallel()
	wait, ok, undo := ratelimit.Take(t0, nil)
	if ok || wait != rate.InfDuration || undo != nil {
		t.Fatalf("Take(nil) = (%v, %v, undo set %v), want (%v, false, false)",
			wait, ok, undo != nil, rate.InfDuration)
	}
}

// spend takes n tokens from key at t0.
func spend(t *testing.T, k *ratelimit.Keyed, key string, n int) {
	t.Helper()
	for range n {
		if r := k.Reserve(key, t0); r.DelayFrom(t0) != 0 {
			t.Fatalf("spend: token %d of %q was not available", n, key)
		}
	}
}

// tokens counts the tokens key has at t0 by taking them until one would wait, then giving
// them all back.
func tokens(t *testing.T, k *ratelimit.Keyed, key string) int {
	t.Helper()
	var rs []*rate.Reservation
	defer func() {
		for _, r := range rs {
			r.CancelAt(t0)
		}
	}()
	for n := 0; n < 100; n++ {
		r := k.Reserve(key, t0)
		rs = append(rs, r)
		if !r.OK() || r.DelayFrom(t0) > 0 {
			return n
		}
	}
	t.Fatalf("tokens: %q never ran out", key)
	return 0
}
