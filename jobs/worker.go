package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// worker hands River's jobs to the queue's Handler and turns its answer into
// River's terms.
type worker struct {
	river.WorkerDefaults[args]
	q *Queue
}

func (w *worker) Work(ctx context.Context, rj *river.Job[args]) error {
	progress, err := w.q.progress(ctx, rj.ID)
	if err != nil {
		return err // River retries it, counting an attempt
	}
	j := Job{
		ID:        rj.ID,
		Guild:     rj.Args.Guild,
		Member:    rj.Args.Member,
		Payload:   rj.Args.Payload,
		Progress:  progress,
		CreatedAt: rj.CreatedAt,
		Attempt:   rj.Attempt,
	}
	err = w.q.handler.Work(ctx, j)
	var later *laterError
	if !errors.As(err, &later) {
		w.q.markFinished(rj.ID)
	}
	switch {
	case err == nil:
		return nil
	case errors.As(err, &later):
		return river.JobSnooze(later.after)
	default:
		w.q.log.ErrorContext(ctx, "job failed; discarded", "job", rj.ID, "attempt", rj.Attempt, "err", err)
		return river.JobCancel(err)
	}
}

// panicHandler discards a job whose handler panicked, as a failed one, rather
// than let River retry it.
type panicHandler struct {
	log *slog.Logger
}

func (h panicHandler) HandleError(context.Context, *rivertype.JobRow, error) *river.ErrorHandlerResult {
	return nil
}

func (h panicHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, v any, trace string) *river.ErrorHandlerResult {
	h.log.ErrorContext(ctx, "job panicked; discarded", "job", job.ID, "panic", fmt.Sprint(v), "trace", trace)
	return &river.ErrorHandlerResult{SetCancelled: true}
}
