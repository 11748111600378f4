package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dreambot/jobs"
)

// BenchmarkEnqueueToStart measures how many jobs a second go from Enqueue,
// called by several goroutines, to the start of their Work, and how long
// each takes to get there. Caps are on, high enough not to refuse, so that
// Enqueue counts as in production.
func BenchmarkEnqueueToStart(b *testing.B) {
	q := MustOpen(b, jobs.Options{Path: tempPath(b), MaxPerMember: 1 << 20, MaxPerGuild: 1 << 20, MaxTotal: 1000})

	var (
		mu      sync.Mutex
		latency []time.Duration
		started atomic.Int64
	)
	all := make(chan struct{})
	MustStart(b, q, handlerFunc(func(_ context.Context, j jobs.Job) error {
		// A job can start before its Enqueue call returns, so its
		// latency runs from the call, whose time is the payload.
		var at int64
		fmt.Sscan(string(j.Payload), &at)
		mu.Lock()
		latency = append(latency, time.Since(time.Unix(0, at)))
		mu.Unlock()
		if started.Add(1) == int64(b.N) {
			close(all)
		}
		return nil
	}))

	b.SetParallelism(4) // 4 × GOMAXPROCS goroutines
	b.ResetTimer()
	begin := time.Now()
	var member atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		m := fmt.Sprint("m", member.Add(1))
		for pb.Next() {
			_, err := q.Enqueue(context.Background(), "g", m, fmt.Appendf(nil, "%d", time.Now().UnixNano()))
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	receive(b, all, "start of every job")
	elapsed := time.Since(begin)
	b.StopTimer()

	slices.Sort(latency)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
	b.ReportMetric(float64(latency[len(latency)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latency[len(latency)*99/100].Microseconds())/1000, "p99-ms")
}
