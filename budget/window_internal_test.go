package budget

import (
	"testing"
	"time"
)

// The window's refund is only reachable through a race between a grant and a context ending,
// so it is tested here directly.
func TestWindowRefund(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)
	sec := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	tests := []struct {
		name   string
		admits []int // seconds after t0
		refund int
		after  []int // admitted after the refund
		now    int
		room   bool
		free   int // when room says yes again, if room is false
	}{
		{"refund the newest", []int{0, 1, 2}, 2, nil, 2, true, 0},
		{"refund the oldest", []int{0, 1, 2}, 0, nil, 2, true, 0},
		{"refund from the middle keeps order", []int{0, 1, 2}, 1, []int{3}, 3, false, 10},
		{"refund of the oldest moves free", []int{0, 1, 2}, 0, []int{3}, 3, false, 11},
		{"refund of an expired admission gives nothing", []int{0, 11, 12, 13}, 0, nil, 13, false, 21},
		{"nothing to refund", []int{5, 6, 7}, 4, nil, 7, false, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := window{n: 3, per: 10 * time.Second}
			admit := func(secs []int) {
				for _, s := range secs {
					if !w.room(sec(s)) {
						t.Fatalf("room(t0+%ds) = false while admitting", s)
					}
					w.admit(sec(s))
				}
			}
			admit(tt.admits)
			w.refund(sec(tt.refund))
			admit(tt.after)
			if got := w.room(sec(tt.now)); got != tt.room {
				t.Fatalf("room(t0+%ds) = %v, want %v", tt.now, got, tt.room)
			}
			if !tt.room && !w.free().Equal(sec(tt.free)) {
				t.Errorf("free() = t0+%v, want t0+%ds", w.free().Sub(t0), tt.free)
			}
		})
	}
}

// The ring buffer grows on demand and keeps the admissions in order across wraps.
func TestWindowGrowsAndWraps(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)
	w := window{n: 20, per: 10 * time.Second}
	now := t0
	admitted := 0
	for range 500 {
		if w.room(now) {
			w.admit(now)
			admitted++
		}
		now = now.Add(time.Second / 4)
		if w.count > 0 && len(w.log) > w.n {
			t.Fatalf("log grew to %d entries, want at most n = %d", len(w.log), w.n)
		}
		for i := 1; i < w.count; i++ {
			if w.at(i).Before(w.at(i - 1)) {
				t.Fatalf("log out of order at %d", i)
			}
		}
	}
	// 125 s in steps of a quarter second, 20 per 10 s: the first burst plus 20 per full window.
	if want := 20 * 13; admitted != want {
		t.Errorf("admitted %d, want %d", admitted, want)
	}
}
