package dreamstudio

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
)

// TestMemoryBudgetGrants plays grants against a budget of 100 bytes. A grant that would have
// to wait is asked for with an ended context, so it fails at once instead.
func TestMemoryBudgetGrants(t *testing.T) {
	t.Parallel()
	type step struct {
		share string // opened with claim the first time it is named
		claim int64
		grow  int64
		close bool
		ok    bool // granted without waiting
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"announced sizes up to the limit", []step{
			{share: "a", claim: 60, grow: 60, ok: true},
			{share: "b", claim: 40, grow: 40, ok: true},
			{share: "c", claim: 10, grow: 10},
		}},
		{"two streams cannot both stall short of their claims", []step{
			{share: "a", claim: 60, grow: 50, ok: true},
			{share: "b", claim: 60, grow: 50},
			{share: "b", grow: 10, ok: true},
			{share: "b", grow: 40},
			{share: "a", grow: 10, ok: true},
			{share: "b", grow: 30, ok: true},
		}},
		{"a closed share makes room", []step{
			{share: "a", claim: 60, grow: 60, ok: true},
			{share: "b", claim: 60, grow: 50},
			{share: "a", close: true},
			{share: "b", grow: 50, ok: true},
		}},
		{"a waiting announced share holds nothing", []step{
			{share: "a", claim: 60, grow: 30, ok: true},
			{share: "b", claim: 80, grow: 80},
			{share: "a", grow: 30, ok: true},
		}},
	}
	ended, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newMemoryBudget(100)
			shares := make(map[string]*share)
			for i, st := range tt.steps {
				s := shares[st.share]
				if s == nil {
					s = b.open(st.claim)
					shares[st.share] = s
				}
				if st.close {
					s.close()
					continue
				}
				err := s.grow(ended, st.grow)
				if ok := err == nil; ok != st.ok {
					t.Fatalf("step %d: %s grows by %d: err = %v, want granted: %v", i, st.share, st.grow, err, st.ok)
				}
				if err != nil && !errors.Is(err, context.Canceled) {
					t.Fatalf("step %d: err = %v, want context.Canceled", i, err)
				}
			}
		})
	}
}

func TestMemoryBudgetRefusesMoreThanTheClaim(t *testing.T) {
	t.Parallel()
	s := newMemoryBudget(100).open(10)
	if err := s.grow(t.Context(), 11); err == nil || !strings.Contains(err.Error(), "bug") {
		t.Errorf("grow beyond the claim: err = %v", err)
	}
}

func TestMemoryBudgetWaitsForRoom(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := newMemoryBudget(100)
		a := b.open(100)
		if err := a.grow(t.Context(), 100); err != nil {
			t.Fatal(err)
		}
		waiter := b.open(50)
		done := make(chan error, 1)
		go func() { done <- waiter.grow(t.Context(), 50) }()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("grow returned %v while the budget was full", err)
		default:
		}
		a.close()
		if err := <-done; err != nil {
			t.Fatalf("grow after room was made: %v", err)
		}
		waiter.close()
		if b.used != 0 || len(b.shares) != 0 {
			t.Errorf("used %d by %d shares after all closed, want 0", b.used, len(b.shares))
		}
	})
}

// TestMemoryBudgetNeverDeadlocks streams many downloads, each growing in random steps to a claim
// that only one at a time can reach. Were two to stall waiting for each other, every goroutine
// of the bubble would block and synctest would fail the test.
func TestMemoryBudgetNeverDeadlocks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const limit, claim = 64, 50
		b := newMemoryBudget(limit)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(i), 7))
				s := b.open(claim)
				defer s.close()
				for held := int64(0); held < claim; {
					n := min(1+r.Int64N(12), claim-held)
					if err := s.grow(t.Context(), n); err != nil {
						t.Error(err)
						return
					}
					held += n
					b.mu.Lock()
					if b.used > limit {
						t.Errorf("%d bytes held, limit %d", b.used, limit)
					}
					b.mu.Unlock()
				}
			})
		}
		wg.Wait()
	})
}
