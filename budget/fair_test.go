package budget_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"dreambot/budget"
	"dreambot/budget/budgettest"
)

func TestServersTakeTurns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		n        int
		membersA int // server A's 20 tickets are spread over this many members
	}{
		{"n=1, A has one member", 1, 1},
		{"n=1, A has four members", 1, 4},
		{"n=5, A has one member", 5, 1},
		{"n=5, A has four members", 5, 4},
		{"n=5, A has twenty members", 5, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.n, 10*time.Second)
			h.spend(tt.n, time.Second)
			for i := range int64(20) {
				h.tickets("A", "a"+strconv.Itoa(int(i)%tt.membersA), 1+i)
			}
			h.tickets("B", "b", 101, 102, 103)

			first := h.grants(6)
			for _, id := range []int64{101, 102, 103} {
				if !slices.Contains(first, id) {
					t.Errorf("next six granted %v, want B's 101, 102, 103 among them", first)
					break
				}
			}
			if rest := h.grants(17); len(rest) != 17 || h.b.Len() != 0 {
				t.Errorf("%d tickets still wait, want 0", h.b.Len())
			}
		})
	}
}

func TestMembersTakeTurns(t *testing.T) {
	t.Parallel()
	type q struct {
		member string
		ids    []int64
	}
	tests := []struct {
		name   string
		queues []q
		want   []int64
	}{
		{"one member keeps its order", []q{{"x", ids(1, 4)}}, ids(1, 4)},
		{"members alternate", []q{{"x", ids(1, 6)}, {"y", ids(11, 2)}, {"z", ids(21, 1)}},
			[]int64{1, 11, 21, 2, 12, 3, 4, 5, 6}},
		{"interleaved arrivals", []q{{"x", ids(1, 2)}, {"y", ids(11, 1)}, {"x", ids(3, 2)}, {"y", ids(12, 1)}},
			[]int64{1, 11, 2, 12, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 1, 10*time.Second)
			h.spend(1, 0)
			for _, q := range tt.queues {
				h.tickets("G", q.member, q.ids...)
			}
			if got := waitingIDs(h.b.Waiting("G")); !slices.Equal(got, tt.want) {
				t.Errorf("Waiting(G) = %v, want %v", got, tt.want)
			}
			if got := h.grants(len(tt.want)); !slices.Equal(got, tt.want) {
				t.Errorf("granted %v, want %v", got, tt.want)
			}
		})
	}
}

// A member who starts waiting behind a long queue gets a turn within one round.
func TestNewcomerJoinsTheRound(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	h.tickets("G", "x", ids(1, 10)...)
	h.tickets("H", "h", 100)
	if got, want := h.grants(3), []int64{1, 100, 2}; !slices.Equal(got, want) {
		t.Fatalf("granted %v, want %v", got, want)
	}
	h.tickets("G", "y", 50)
	h.tickets("H", "h", 101)
	// G is alone in the ring and x alone in G's; then H joins behind G, y behind x, so each
	// newcomer's turn comes right after the current holder's.
	if got, want := h.grants(4), []int64{3, 101, 50, 4}; !slices.Equal(got, want) {
		t.Fatalf("granted %v, want %v", got, want)
	}
}

// Wait calls go before priority tickets, which go before the fair turns.
func TestGrantOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	ctx := context.Background()
	h.tickets("A", "a", 1)
	h.tickets("B", "b", 2)
	h.turn(ctx, budget.Ticket{ID: 3, Guild: "B", Member: "b", Priority: true})
	h.wait(ctx)
	h.turn(ctx, budget.Ticket{ID: 4, Guild: "A", Member: "c", Priority: true})
	h.wait(ctx)
	if got, want := waitingIDs(h.b.Waiting("A")), []int64{4, 1}; !slices.Equal(got, want) {
		t.Errorf("Waiting(A) = %v, want %v", got, want)
	}
	if got, want := h.grants(6), []int64{0, 0, 3, 4, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("granted %v, want %v", got, want)
	}
}

// DMs and the shell (guild "") share one place in the ring of guilds.
func TestDirectMessagesShareAGuild(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, 10*time.Second)
	h.spend(1, 0)
	h.tickets("", "dm1", 1, 2)
	h.tickets("", "dm2", 3)
	h.tickets("G", "g", 4, 5)
	if got, want := h.grants(5), []int64{1, 4, 3, 5, 2}; !slices.Equal(got, want) {
		t.Errorf("granted %v, want %v", got, want)
	}
}

func waitingIDs(ts []budget.Ticket) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// lateClock is the harness's clock with timers that never fire, like real ones running late.
type lateClock struct{ *budgettest.Clock }

func (lateClock) AfterFunc(time.Duration, func()) func() bool { return func() bool { return true } }

// A call that arrives after a slot has freed but before the timer fired does not jump the
// queue: its arrival hands the slot to the waiter whose turn it is.
func TestLateTimerKeepsOrder(t *testing.T) {
	t.Parallel()
	clk := &lateClock{}
	h := newHarness(t, 1, 10*time.Second, budget.WithClock(clk))
	clk.Clock = h.clk
	h.spend(1, 0)
	h.tickets("G", "a", 1)
	h.clk.Advance(10 * time.Second)
	h.tickets("H", "b", 2)
	if r := h.next(); r.id != 1 || r.err != nil || r.at != 10*time.Second {
		t.Fatalf("call %d returned %v at t0+%v, want 1, nil at t0+10s", r.id, r.err, r.at)
	}
	if got := waitingIDs(h.b.Waiting("H")); !slices.Equal(got, []int64{2}) {
		t.Fatalf("Waiting(H) = %v, want [2]", got)
	}
}
