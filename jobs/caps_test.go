package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"dreambot/jobs"
)

func TestCaps(t *testing.T) {
	t.Parallel()
	type enqueue struct {
		guild, member string
		scope         string // "" if accepted
	}
	tests := []struct {
		name  string
		opts  jobs.Options
		steps []enqueue
	}{
		{"member", jobs.Options{MaxPerMember: 2}, []enqueue{
			{"g", "a", ""}, {"g", "a", ""}, {"g", "a", "member"},
			{"g", "b", ""}, {"h", "a", ""}, {"", "a", ""},
		}},
		{"guild", jobs.Options{MaxPerGuild: 2}, []enqueue{
			{"g", "a", ""}, {"g", "b", ""}, {"g", "c", "guild"},
			{"h", "a", ""}, {"", "a", ""}, {"", "b", ""}, {"", "c", "guild"},
		}},
		{"total", jobs.Options{MaxTotal: 3}, []enqueue{
			{"g", "a", ""}, {"h", "b", ""}, {"", "c", ""}, {"i", "d", "total"},
		}},
		{"narrowest first", jobs.Options{MaxPerMember: 1, MaxPerGuild: 1, MaxTotal: 1}, []enqueue{
			{"g", "a", ""}, {"g", "a", "member"}, {"g", "b", "guild"}, {"h", "c", "total"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.opts.Path = tempPath(t)
			q, err := jobs.Open(context.Background(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				_, err := q.Enqueue(context.Background(), s.guild, s.member, []byte(`{}`))
				if msg := checkCapErr(err, s.scope); msg != "" {
					t.Errorf("step %d (%s/%s): %s", i, s.guild, s.member, msg)
				}
			}
			if err := q.Close(); err != nil {
				t.Fatal(err)
			}

			// After a restart, the refusals still hold: counts come
			// from the table.
			q = MustOpen(t, tt.opts)
			for i, s := range tt.steps {
				if s.scope == "" {
					continue
				}
				_, err := q.Enqueue(context.Background(), s.guild, s.member, []byte(`{}`))
				if msg := checkCapErr(err, s.scope); msg != "" {
					t.Errorf("after restart, step %d (%s/%s): %s", i, s.guild, s.member, msg)
				}
			}
		})
	}
}

// checkCapErr says what is wrong with err if it is not a CapError of scope
// want ("any" for any scope, "" for no error).
func checkCapErr(err error, want string) string {
	var ce *jobs.CapError
	switch {
	case want == "" && err != nil:
		return fmt.Sprintf("got %v, want no error", err)
	case want == "":
		return ""
	case !errors.As(err, &ce):
		return fmt.Sprintf("got %v, want a *CapError", err)
	case want != "any" && ce.Scope != want:
		return fmt.Sprintf("got cap scope %q, want %q", ce.Scope, want)
	}
	return ""
}

// TestCapsUnderConcurrentEnqueue checks that concurrent calls, written
// together, take no more places than the cap allows, and that each caller
// gets the id of its own job.
func TestCapsUnderConcurrentEnqueue(t *testing.T) {
	t.Parallel()
	const callers, total = 50, 10
	q := MustOpen(t, jobs.Options{Path: tempPath(t), MaxTotal: total})
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	var mu sync.Mutex
	callerOf := make(map[int64]int) // job id → caller
	for i := range callers {
		wg.Go(func() {
			id, err := q.Enqueue(context.Background(), "g", fmt.Sprint("m", i), fmt.Appendf(nil, "%d", i))
			if err == nil {
				mu.Lock()
				callerOf[id] = i
				mu.Unlock()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			if msg := checkCapErr(err, "total"); msg != "" {
				t.Error(msg)
			}
		}
	}
	if len(callerOf) != total {
		t.Errorf("got %d jobs accepted, want %d", len(callerOf), total)
	}
	p, err := q.Pending(context.Background(), "*")
	if err != nil || len(p) != total {
		t.Fatalf("got %d pending, %v; want %d", len(p), err, total)
	}
	for _, j := range p {
		i, ok := callerOf[j.ID]
		if want := fmt.Sprint(i); !ok || string(j.Payload) != want || j.Member != "m"+want {
			t.Errorf("job %d has payload %s of %s; its caller got it for payload %s", j.ID, j.Payload, j.Member, want)
		}
	}
}

// TestCapFreedWhenDone checks that a finished job no longer counts.
func TestCapFreedWhenDone(t *testing.T) {
	t.Parallel()
	q := MustOpen(t, jobs.Options{Path: tempPath(t), MaxPerMember: 1})
	done := make(chan int64, 1)
	if err := q.Start(context.Background(), handlerFunc(func(_ context.Context, j jobs.Job) error {
		done <- j.ID
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	MustEnqueue(t, q, "g", "m", `{}`)
	receive(t, done, "run")
	MustStop(t, q) // River records the completion before Stop returns
	MustEnqueue(t, q, "g", "m", `{}`)
}
