package jobs_test

import (
	"context"
	"slices"
	"testing"

	"dreambot/jobs"
)

func TestPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	a := MustEnqueue(t, q, "g1", "m1", `{"n":1}`)
	b := MustEnqueue(t, q, "g2", "m1", `{"n":2}`)
	c := MustEnqueue(t, q, "g1", "m2", `{"n":3}`)
	d := MustEnqueue(t, q, "", "m3", `{"n":4}`)
	if err := q.SetProgress(ctx, c, []byte(`"saved"`)); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		guild string
		want  []int64
	}{
		{"*", []int64{a, b, c, d}},
		{"g1", []int64{a, c}},
		{"g2", []int64{b}},
		{"", []int64{d}},
		{"nowhere", []int64{}},
	}
	for _, tt := range tests {
		got, err := q.Pending(ctx, tt.guild)
		if err != nil {
			t.Fatalf("pending %q: %v", tt.guild, err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("pending %q: got %v, want %v", tt.guild, ids(got), tt.want)
		}
	}

	all, err := q.Pending(ctx, "*")
	if err != nil {
		t.Fatal(err)
	}
	third := all[2]
	if third.Guild != "g1" || third.Member != "m2" || !sameJSON(third.Payload, []byte(`{"n":3}`)) ||
		!sameJSON(third.Progress, []byte(`"saved"`)) || third.Attempt != 0 || third.CreatedAt.IsZero() {
		t.Errorf("got %+v, want job %d of g1/m2 with its payload and progress, not attempted", third, c)
	}
	if all[0].Progress != nil {
		t.Errorf("got progress %s for job %d, want none", all[0].Progress, a)
	}
}

func TestCancelBeforeRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := MustOpen(t, jobs.Options{Path: tempPath(t), MaxPerMember: 1})
	cancelled := MustEnqueue(t, q, "g", "m", `{}`)

	tests := []struct {
		name string
		id   int64
		want bool
	}{
		{"waiting", cancelled, true},
		{"already cancelled", cancelled, false},
		{"unknown", cancelled + 100, false},
	}
	for _, tt := range tests {
		got, err := q.Cancel(ctx, tt.id)
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}

	// The cancelled job frees its place and is never worked: the next
	// one, fetched after it by id, is the first run.
	next := MustEnqueue(t, q, "g", "m", `{}`)
	runs := make(chan int64, 2)
	MustStart(t, q, handlerFunc(func(_ context.Context, j jobs.Job) error {
		runs <- j.ID
		return nil
	}))
	if id := receive(t, runs, "run"); id != next {
		t.Errorf("got a run of job %d, want only job %d", id, next)
	}
	MustStop(t, q)
	select {
	case id := <-runs:
		t.Errorf("got another run, of job %d", id)
	default:
	}
	if got, err := q.Cancel(ctx, next); err != nil || got {
		t.Errorf("finished job: got %v, %v; want false", got, err)
	}
}

// TestCancelRunning checks that cancelling a running job cancels its Work's
// context, and that the job is not worked again although Work returns Later.
func TestCancelRunning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	started := make(chan int64, 2)
	stopped := make(chan error, 1)
	MustStart(t, q, handlerFunc(func(ctx context.Context, j jobs.Job) error {
		started <- j.ID
		<-ctx.Done()
		stopped <- ctx.Err()
		return jobs.Later(0)
	}))
	id := MustEnqueue(t, q, "g", "m", `{}`)
	receive(t, started, "start")
	if got, err := q.Cancel(ctx, id); err != nil || !got {
		t.Fatalf("got %v, %v; want true", got, err)
	}
	receive(t, stopped, "end of the cancelled job's context")
	MustStop(t, q)
	if p, err := q.Pending(ctx, "*"); err != nil || len(p) != 0 {
		t.Errorf("got pending %v, %v; want none", ids(p), err)
	}
	select {
	case id := <-started:
		t.Errorf("job %d worked again", id)
	default:
	}
}
