package dreamstudio_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// TestImageMemoryIsBounded sends ten oversized answers at once, chunked so that the client
// learns their size only as they arrive, to a client whose downloads may hold 64 MiB in all.
// Without the budget each would hold up to the 50 MiB limit: ten of them took a bot to 748 MB.
// Each must fail with a clear error, and the heap must stay under what the collector lets a
// live budget grow to: with GOGC=100 it runs once garbage (here, the blocks of refused answers)
// matches the live heap, so the bound is 2 x 64 MiB, plus 32 MiB of slack. The heap is read
// with runtime.ReadMemStats as the fake writes, every 16 writes of at most 64 KiB; no clock.
func TestImageMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 500 MiB")
	}
	// Not parallel: it measures the whole process's heap. Parallel tests of the package wait
	// until the sequential ones are done.
	const (
		calls  = 10
		budget = 64 << 20
		slack  = 32 << 20
		answer = 60 << 20 // each above dreamstudio.MaxImageBytes
	)
	gogc := debug.SetGCPercent(100)
	debug.SetGCPercent(gogc)
	if gogc < 0 {
		t.Skip("the collector is off (GOGC=off): garbage is never freed")
	}
	bound := budget + budget*int64(gogc)/100 + slack
	var (
		mu      sync.Mutex
		peak    uint64
		samples int
		writes  atomic.Int64
	)
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		defer mu.Unlock()
		peak = max(peak, ms.HeapAlloc)
		samples++
	}
	s, _ := newFake(t)
	s.AddImageFault(dreamstudiotest.ImageFault{
		Damage: dreamstudiotest.Oversized, Chunked: true, Size: answer, Times: calls,
		OnWrite: func(int64) {
			if writes.Add(1)%16 == 0 {
				sample()
			}
		},
	})
	c := newClient(t, s, dreamstudio.WithMaxImageBytesInFlight(budget))

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() { _, errs[i] = c.TextToImage(t.Context(), sdxl, goodRequest()) })
	}
	wg.Wait()
	sample()

	for i, err := range errs {
		var bad *dreamstudio.BadImageError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), "larger than the limit") {
			t.Errorf("call %d: err = %v, want a *BadImageError about the limit", i, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	grew := int64(peak) - int64(base.HeapAlloc)
	t.Logf("heap peak %.1f MiB above the %.1f MiB baseline (%d samples); bound %d MiB",
		float64(grew)/(1<<20), float64(base.HeapAlloc)/(1<<20), samples, bound>>20)
	if samples < calls {
		t.Errorf("only %d samples of the heap", samples)
	}
	if grew > bound {
		t.Errorf("heap grew by %.1f MiB, more than the %d MiB bound for a %d MiB budget",
			float64(grew)/(1<<20), bound>>20, budget>>20)
	}
}

// TestImageBudgetWaitHonoursDeadline: while one download holds most of the budget, another
// whose Content-Length does not fit in the rest waits for its share until its deadline, then
// gives up without reading; once the first is refused, the budget is whole again.
func TestImageBudgetWaitHonoursDeadline(t *testing.T) {
	t.Parallel()
	s, _ := newFake(t)
	c := newClient(t, s, dreamstudio.WithMaxImageBytesInFlight(dreamstudio.MaxImageBytes))
	holding, release := make(chan struct{}), make(chan struct{})
	var hold, unhold sync.Once
	t.Cleanup(func() { unhold.Do(func() { close(release) }) })
	s.AddImageFault(dreamstudiotest.ImageFault{
		Damage: dreamstudiotest.Oversized, Chunked: true, Size: 60 << 20,
		// The fake stops writing at 40 MiB, so the client holds most of its budget.
		OnWrite: func(n int64) {
			if n >= 40<<20 {
				hold.Do(func() { close(holding); <-release })
			}
		},
	})
	// 45 MiB, announced: more than is left while the first holds more than 5 MiB.
	s.AddImageFault(dreamstudiotest.ImageFault{Damage: dreamstudiotest.Oversized, Size: 45 << 20})
	first := make(chan error, 1)
	go func() {
		_, err := c.TextToImage(t.Context(), sdxl, goodRequest())
		first <- err
	}()
	<-holding

	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err := c.TextToImage(ctx, sdxl, goodRequest())
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "wait for image memory") {
		t.Errorf("second download: err = %v, want a deadline while waiting for image memory", err)
	}

	unhold.Do(func() { close(release) })
	if err := <-first; !strings.Contains(fmt.Sprint(err), "larger than the limit") {
		t.Errorf("first download: err = %v, want it refused for its size", err)
	}
	if _, err := c.TextToImage(t.Context(), sdxl, goodRequest()); err != nil {
		t.Errorf("after the first download ended: %v", err)
	}
}
