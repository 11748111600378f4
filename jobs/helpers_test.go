package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"dreambot/jobs"
)

// waitFor bounds every wait for the queue to do something, so that a broken
// queue fails a test rather than hangs it.
const waitFor = 10 * time.Second

// handlerFunc adapts a function to jobs.Handler.
type handlerFunc func(ctx context.Context, j jobs.Job) error

func (f handlerFunc) Work(ctx context.Context, j jobs.Job) error { return f(ctx, j) }

// tempPath returns a database path in a fresh directory that Open creates.
func tempPath(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "data", "jobs.db")
}

// MustOpen opens a queue on opts, closing it when the test ends.
func MustOpen(tb testing.TB, opts jobs.Options) *jobs.Queue {
	tb.Helper()
	q, err := jobs.Open(context.Background(), opts)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() {
		if err := q.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return q
}

// MustStart starts q with h, stopping it when the test ends (before
// MustOpen's Close, since cleanups run last-in first-out).
func MustStart(tb testing.TB, q *jobs.Queue, h jobs.Handler) {
	tb.Helper()
	if err := q.Start(context.Background(), h); err != nil {
		tb.Fatalf("start: %v", err)
	}
	tb.Cleanup(func() { MustStop(tb, q) })
}

// MustStop stops q, giving running jobs no grace period.
func MustStop(tb testing.TB, q *jobs.Queue) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.Stop(ctx); err != nil {
		tb.Errorf("stop: %v", err)
	}
}

// MustEnqueue enqueues a job, failing the test on any error.
func MustEnqueue(tb testing.TB, q *jobs.Queue, guild, member, payload string) int64 {
	tb.Helper()
	id, err := q.Enqueue(context.Background(), guild, member, []byte(payload))
	if err != nil {
		tb.Fatalf("enqueue %s/%s: %v", guild, member, err)
	}
	return id
}

// receive returns the next value from ch, failing the test if none comes
// within waitFor.
func receive[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		tb.Fatalf("no %s within %s", what, waitFor)
		panic("unreachable")
	}
}

// sameJSON reports whether a and b encode the same value.
func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// ids returns the ids of js.
func ids(js []jobs.Job) []int64 {
	out := make([]int64, len(js))
	for i, j := range js {
		out[i] = j.ID
	}
	return out
}
