package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dreambot/jobs"
)

func TestEnqueueWorkDone(t *testing.T) {
	t.Parallel()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	got := make(chan jobs.Job, 1)
	MustStart(t, q, handlerFunc(func(_ context.Context, j jobs.Job) error {
		got <- j
		return nil
	}))

	before := time.Now()
	payload := `{"prompt": "a red fox", "seed": 7}`
	id := MustEnqueue(t, q, "g1", "m1", payload)
	j := receive(t, got, "job")

	if j.ID != id || j.Guild != "g1" || j.Member != "m1" || j.Attempt != 1 || j.Progress != nil {
		t.Errorf("got job %+v, want id %d of g1/m1, attempt 1, no progress", j, id)
	}
	if !sameJSON(j.Payload, []byte(payload)) {
		t.Errorf("got payload %s, want %s", j.Payload, payload)
	}
	if d := j.CreatedAt.Sub(before); d < -time.Second || d > waitFor {
		t.Errorf("got CreatedAt %v, want about %v", j.CreatedAt, before)
	}
	MustStop(t, q) // waits for River to record the job complete
	if p, err := q.Pending(context.Background(), "*"); err != nil || len(p) != 0 {
		t.Errorf("after work: got pending %v, %v; want none", p, err)
	}
}

func TestEnqueueRefusesNonJSON(t *testing.T) {
	t.Parallel()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	if _, err := q.Enqueue(context.Background(), "g", "m", []byte("not json")); err == nil {
		t.Error("got nil error, want one")
	}
}

// TestLaterWorksAgain checks that Later puts a job back without counting an
// attempt, and that progress recorded on one run is seen by the next.
func TestLaterWorksAgain(t *testing.T) {
	t.Parallel()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	got := make(chan jobs.Job, 2)
	MustStart(t, q, handlerFunc(func(ctx context.Context, j jobs.Job) error {
		got <- j
		if j.Progress == nil {
			if err := q.SetProgress(ctx, j.ID, []byte(`{"saved":"a.png"}`)); err != nil {
				return err
			}
			return jobs.Later(0)
		}
		return nil
	}))

	id := MustEnqueue(t, q, "g", "m", `{}`)
	first := receive(t, got, "first run")
	second := receive(t, got, "second run")
	if first.ID != id || second.ID != id {
		t.Fatalf("got runs of jobs %d and %d, want %d twice", first.ID, second.ID, id)
	}
	if second.Attempt != 1 {
		t.Errorf("second run: got attempt %d, want 1 (Later does not count)", second.Attempt)
	}
	if !sameJSON(second.Progress, []byte(`{"saved":"a.png"}`)) {
		t.Errorf("second run: got progress %s, want the first run's", second.Progress)
	}
}

func TestFailureDiscards(t *testing.T) {
	tests := []struct {
		name string
		work func() error
	}{
		{"error", func() error { return errors.New("engine refused") }},
		{"panic", func() error { panic("handler bug") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := MustOpen(t, jobs.Options{Path: tempPath(t)})
			runs := make(chan int64, 2)
			MustStart(t, q, handlerFunc(func(_ context.Context, j jobs.Job) error {
				runs <- j.ID
				return tt.work()
			}))
			failed := MustEnqueue(t, q, "g", "m", `1`)
			receive(t, runs, "failing run")
			// A job enqueued after the failure is worked after the
			// failed one would be retried, since fetch goes by id.
			next := MustEnqueue(t, q, "g", "m", `2`)
			if id := receive(t, runs, "next run"); id != next {
				t.Errorf("got a run of job %d, want job %d (job %d discarded)", id, next, failed)
			}
			MustStop(t, q)
			if p, err := q.Pending(context.Background(), "*"); err != nil || len(p) != 0 {
				t.Errorf("got pending %v, %v; want none", ids(p), err)
			}
		})
	}
}

func TestSetProgressErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := MustOpen(t, jobs.Options{Path: tempPath(t)})
	id := MustEnqueue(t, q, "g", "m", `{}`)
	tests := []struct {
		name     string
		id       int64
		progress string
	}{
		{"unknown job", id + 100, `{}`},
		{"not JSON", id, `saved`},
	}
	for _, tt := range tests {
		if err := q.SetProgress(ctx, tt.id, []byte(tt.progress)); err == nil {
			t.Errorf("%s: got nil error, want one", tt.name)
		}
	}
	if err := q.SetProgress(ctx, id, []byte(`{"step":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := q.SetProgress(ctx, id, []byte(`{"step":2}`)); err != nil {
		t.Fatal(err)
	}
	p, err := q.Pending(ctx, "*")
	if err != nil || len(p) != 1 || !sameJSON(p[0].Progress, []byte(`{"step":2}`)) {
		t.Errorf("got pending %+v, %v; want job %d with the last progress", p, err, id)
	}
}
