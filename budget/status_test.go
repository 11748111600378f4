package budget_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"dreambot/budget"
)

// Status.Position and Status.Start predict the turns exactly, when nobody else arrives.
func TestStatusMatchesGrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		gap  time.Duration // between the admissions that fill the window
	}{
		{"n=1", 1, 0},
		{"n=3, slots free one at a time", 3, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.n, 10*time.Second)
			h.spend(tt.n, tt.gap)
			ctx := context.Background()
			h.tickets("A", "a1", 1, 2, 3)
			h.tickets("A", "a2", 4)
			h.tickets("B", "b1", 5, 6)
			h.turn(ctx, budget.Ticket{ID: 7, Guild: "A", Member: "a1", Priority: true})
			h.tickets("", "d", 8)
			h.wait(ctx) // goes first, and takes a slot
			h.tickets("B", "b2", 9, 10)
			h.turn(ctx, budget.Ticket{ID: 11, Guild: "B", Member: "b1", Priority: true})
			if !h.b.Cancel(2) {
				t.Fatal("Cancel(2) = false, want true")
			}
			if r := h.next(); r.id != 2 || r.err != budget.ErrCancelled {
				t.Fatalf("cancelled call returned %d, %v, want 2, ErrCancelled", r.id, r.err)
			}

			now := h.clk.Now().Sub(t0)
			waiting := []int64{1, 3, 4, 5, 6, 7, 8, 9, 10, 11}
			byPos := make([]int64, len(waiting))
			start := map[int64]time.Duration{}
			for _, id := range waiting {
				st, ok := h.b.Status(id)
				if !ok || st.Position < 1 || st.Position > len(waiting) || byPos[st.Position-1] != 0 {
					t.Fatalf("Status(%d) = %+v, %v, want a free position in 1..%d", id, st, ok, len(waiting))
				}
				if !st.PausedUntil.IsZero() {
					t.Errorf("Status(%d).PausedUntil = %v, want zero: no pause", id, st.PausedUntil)
				}
				byPos[st.Position-1] = id
				start[id] = st.Start
			}
			for _, g := range []string{"A", "B", ""} {
				var want []int64
				for _, id := range byPos {
					if guildOf(id) == g {
						want = append(want, id)
					}
				}
				if got := waitingIDs(h.b.Waiting(g)); !slices.Equal(got, want) {
					t.Errorf("Waiting(%q) = %v, want %v", g, got, want)
				}
			}

			rs := h.grantResults(len(waiting) + 1)
			if rs[0].id != 0 {
				t.Errorf("first grant went to %d, want the Wait call", rs[0].id)
			}
			var granted []int64
			for _, r := range rs[1:] {
				granted = append(granted, r.id)
				if want := now + start[r.id]; r.at != want {
					t.Errorf("ticket %d granted at t0+%v, want t0+%v as its Start %v said", r.id, r.at, want, start[r.id])
				}
			}
			if !slices.Equal(granted, byPos) {
				t.Errorf("granted %v, want the order of positions %v", granted, byPos)
			}
		})
	}
}

func guildOf(id int64) string {
	switch id {
	case 1, 2, 3, 4, 7:
		return "A"
	case 8:
		return ""
	default:
		return "B"
	}
}

func TestStatusStart(t *testing.T) {
	t.Parallel()
	const per = 10 * time.Second
	tests := []struct {
		name    string
		n       int
		spend   int           // admissions taken before the tickets come
		gap     time.Duration // between those admissions
		waits   int           // Wait calls queued after the tickets
		pause   time.Duration // Pause(pause) before the tickets come, if > 0
		tickets int
		want    []time.Duration // Start of each ticket, in order of arrival (one member, so FIFO)
	}{
		{name: "slots free a second apart", n: 2, spend: 2, gap: time.Second, tickets: 5,
			want: []time.Duration{9 * time.Second, 10 * time.Second, 19 * time.Second, 20 * time.Second, 29 * time.Second}},
		{name: "bunched slots", n: 2, spend: 2, tickets: 3,
			want: []time.Duration{10 * time.Second, 10 * time.Second, 20 * time.Second}},
		{name: "wait calls take slots first", n: 2, spend: 2, gap: time.Second, waits: 1, tickets: 2,
			want: []time.Duration{10 * time.Second, 19 * time.Second}},
		{name: "pause beyond the window", n: 1, spend: 1, pause: 25 * time.Second, tickets: 2,
			want: []time.Duration{25 * time.Second, 35 * time.Second}},
		{name: "window beyond the pause", n: 1, spend: 1, pause: 5 * time.Second, tickets: 2,
			want: []time.Duration{10 * time.Second, 20 * time.Second}},
		{name: "pause with room", n: 5, pause: 7 * time.Second, tickets: 2,
			want: []time.Duration{7 * time.Second, 7 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.n, per)
			h.spend(tt.spend, tt.gap)
			var paused time.Time
			if tt.pause > 0 {
				h.b.Pause(tt.pause)
				paused = h.clk.Now().Add(tt.pause)
			}
			h.tickets("G", "m", ids(1, tt.tickets)...)
			for range tt.waits {
				h.wait(context.Background())
			}
			for i, want := range tt.want {
				st, ok := h.b.Status(int64(i + 1))
				if !ok {
					t.Fatalf("Status(%d) not ok, want waiting", i+1)
				}
				if st.Position != i+1 || st.Start != want || !st.PausedUntil.Equal(paused) {
					t.Errorf("Status(%d) = %+v; want position %d, start %v, paused until %v",
						i+1, st, i+1, want, paused)
				}
			}
		})
	}
}

func TestStatusOfUnknownTicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 1, time.Second)
	h.tickets("G", "m", 1) // granted at once
	if r := h.next(); r.err != nil {
		t.Fatalf("Turn = %v, want nil", r.err)
	}
	for _, id := range []int64{1, 2} {
		if st, ok := h.b.Status(id); ok {
			t.Errorf("Status(%d) = %+v, true; want not ok", id, st)
		}
	}
}
