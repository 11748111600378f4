package budget_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dreambot/budget"
	"dreambot/budget/budgettest"
)

// BenchmarkTurn measures the scheduler itself, with a budget so large the window never holds
// anyone back, across 8 guilds of 4 members each.
//
// "at once" is many goroutines taking turns as they come. "queued" holds every ticket in the
// fair rings with a pause and releases them in batches, so each op is one push, one pop and
// one wakeup.
func BenchmarkTurn(b *testing.B) {
	var guilds, members [8]string
	for i := range guilds {
		guilds[i] = "g" + strconv.Itoa(i)
		members[i] = "m" + strconv.Itoa(i)
	}
	ticket := func(id int64) budget.Ticket {
		return budget.Ticket{ID: id, Guild: guilds[id%8], Member: members[id/8%4]}
	}
	ctx := context.Background()

	b.Run("at once", func(b *testing.B) {
		bud := budget.New(1<<30, time.Millisecond)
		var ids atomic.Int64
		b.SetParallelism(16)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := bud.Turn(ctx, ticket(ids.Add(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})

	b.Run("queued", func(b *testing.B) {
		const batch = 1024
		clk := budgettest.NewClock(t0)
		queued := make(chan struct{}, batch)
		bud := budget.New(1<<30, time.Millisecond, budget.WithClock(clk),
			budget.WithQueued(func() { queued <- struct{}{} }))
		b.ReportAllocs()
		var id int64
		for done := 0; done < b.N; done += batch {
			bud.Pause(time.Hour)
			k := min(batch, b.N-done)
			var wg sync.WaitGroup
			for range k {
				id++
				t := ticket(id)
				wg.Go(func() {
					if err := bud.Turn(ctx, t); err != nil {
						b.Error(err)
					}
				})
			}
			for range k {
				<-queued
			}
			clk.Advance(time.Hour)
			wg.Wait()
		}
	})
}
