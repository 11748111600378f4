package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Job is one unit of work as the handler sees it.
type Job struct {
	ID      int64
	Guild   string // "" for a DM or the shell
	Member  string
	Payload json.RawMessage // opaque to this package

	// Progress is what the handler last recorded with SetProgress, nil if
	// nothing: a job that has it was started before and may have done part
	// of its work.
	Progress json.RawMessage

	// CreatedAt is when the job was enqueued.
	CreatedAt time.Time

	// Attempt is 1 on the first run and one more after each crash that
	// interrupted a run. A job put back with Later keeps its number: it did
	// not fail.
	Attempt int
}

// Handler works jobs. Work returns nil when the job is finished for good,
// whatever the outcome for the member: the handler has told them. It returns
// an error made by Later to put the job back, to be worked again later without
// counting as a failure; that is what Work should return when ctx is done
// because the queue is stopping. Any other error is logged and the job is
// discarded: the handler is expected to have told the member already.
//
// Work's ctx is also cancelled when the job is cancelled while running (see
// Queue.Cancel); whatever Work returns then, the job is not worked again.
type Handler interface {
	Work(ctx context.Context, j Job) error
}

// Later returns an error that, returned by Handler.Work, puts the job back
// to be worked again after d. A negative d counts as 0. On the next Open,
// jobs put back are worked at once, whatever their d.
func Later(d time.Duration) error {
	return &laterError{after: max(d, 0)}
}

// laterError is Later's error. It stays this package's own type, rather than
// River's JobSnooze, so that handlers depend on nothing of River; the worker
// translates it.
type laterError struct {
	after time.Duration
}

func (e *laterError) Error() string {
	return fmt.Sprintf("work the job again in %s", e.after)
}
