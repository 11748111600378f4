package jobs_test

import (
	"context"
	"testing"
	"time"

	"dreambot/jobs"
)

// TestStopKeepsJobs checks that a job whose handler honours Stop's
// cancellation stays queued and is worked at once after a restart, however
// far Later put it back.
func TestStopKeepsJobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := jobs.Options{Path: tempPath(t)}
	q, err := jobs.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan int64, 1)
	if err := q.Start(ctx, handlerFunc(func(ctx context.Context, j jobs.Job) error {
		started <- j.ID
		<-ctx.Done()
		return jobs.Later(time.Hour)
	})); err != nil {
		t.Fatal(err)
	}
	id := MustEnqueue(t, q, "g", "m", `{}`)
	receive(t, started, "start")
	MustStop(t, q)
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}

	q = MustOpen(t, opts)
	if p, err := q.Pending(ctx, "*"); err != nil || len(p) != 1 || p[0].ID != id {
		t.Fatalf("after stop: got pending %v, %v; want job %d", ids(p), err, id)
	}
	got := make(chan jobs.Job, 1)
	MustStart(t, q, handlerFunc(func(_ context.Context, j jobs.Job) error {
		got <- j
		return nil
	}))
	if j := receive(t, got, "run after restart"); j.ID != id || j.Attempt != 1 {
		t.Errorf("got job %d attempt %d, want job %d attempt 1", j.ID, j.Attempt, id)
	}
}

// TestStopWaits checks that Stop lets a running job finish while its ctx
// lasts, and that the job is then done.
func TestStopWaits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	started := make(chan int64, 1)
	release := make(chan struct{})
	if err := q.Start(ctx, handlerFunc(func(ctx context.Context, j jobs.Job) error {
		started <- j.ID
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return jobs.Later(0)
		}
	})); err != nil {
		t.Fatal(err)
	}
	MustEnqueue(t, q, "g", "m", `{}`)
	receive(t, started, "start")
	stopped := make(chan error, 1)
	go func() { stopped <- q.Stop(ctx) }()
	close(release)
	if err := receive(t, stopped, "end of Stop"); err != nil {
		t.Fatal(err)
	}
	if p, err := q.Pending(ctx, "*"); err != nil || len(p) != 0 {
		t.Errorf("got pending %v, %v; want none", ids(p), err)
	}
}
