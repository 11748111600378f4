// Package jobs keeps generation jobs durably, so that a crash or a restart
// loses none: a job is written to the database before the member is told it
// is on its way, and worked by River until it is done. It knows nothing of
// Discord or of the image API: a job's payload is opaque.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/riverqueue/river"
)

// Options configures a Queue.
type Options struct {
	// Path is the SQLite file, such as DATA_DIR/jobs.db. Its directory is
	// created if missing.
	Path string

	// MaxPerMember is how many unfinished jobs one member may have in one
	// server (or in DMs); 0 means no cap.
	MaxPerMember int

	// MaxPerGuild is how many unfinished jobs one server may have; 0 means
	// no cap.
	MaxPerGuild int

	// MaxTotal is how many unfinished jobs there may be in all; 0 means no
	// cap. It also sizes River's pool of workers a little above it, so that
	// every waiting job is fetched and handed to the handler, which is
	// expected to make it wait its turn in a fair scheduler.
	MaxTotal int

	// Logger receives the package's logs and River's warnings; nil discards
	// them.
	Logger *slog.Logger
}

// Queue is the durable queue of generation jobs. Its methods are safe for
// concurrent use, but for Start, called once, before Stop and Close.
type Queue struct {
	db     *sql.DB
	client *river.Client[*sql.Tx]
	log    *slog.Logger
	caps   Options

	// handler is set by Start before River starts the workers that read it.
	handler Handler

	// turn is held by the one Enqueue call writing the waiting jobs, so
	// that counting them against the caps and inserting them is one step.
	turn chan struct{}

	waitingMu sync.Mutex
	waiting   []*request // Enqueue calls not yet taken for writing

	// finishedMu guards finished: jobs whose handler is done with them
	// while River has yet to record it (it completes jobs in batches). The
	// caps leave them out, so a member whose image was just delivered may
	// ask for the next one at once.
	finishedMu sync.Mutex
	finished   map[int64]bool
}

// Open opens the database at opts.Path, creating it, and brings River's
// tables and this package's up to date. Jobs that a previous run left
// running, which a crash must have interrupted, become available at once, as
// do jobs put back for later (see rescue).
func Open(ctx context.Context, opts Options) (*Queue, error) {
	if opts.Path == "" {
		return nil, errors.New("open jobs database: path required")
	}
	if opts.MaxPerMember < 0 || opts.MaxPerGuild < 0 || opts.MaxTotal < 0 {
		return nil, errors.New("open jobs database: caps cannot be negative")
	}
	db, err := openDB(opts.Path)
	if err != nil {
		return nil, fmt.Errorf("open jobs database %s: %w", opts.Path, err)
	}
	log, riverLog := loggers(opts.Logger)
	q := &Queue{db: db, log: log, caps: opts, turn: make(chan struct{}, 1)}
	if err := q.init(ctx, riverLog); err != nil {
		db.Close()
		return nil, fmt.Errorf("open jobs database %s: %w", opts.Path, err)
	}
	return q, nil
}

func (q *Queue) init(ctx context.Context, riverLog *slog.Logger) error {
	if err := migrate(ctx, q.db, riverLog); err != nil {
		return err
	}
	if err := rescue(ctx, q.db, q.log); err != nil {
		return err
	}
	client, err := newClient(q, riverLog)
	if err != nil {
		return err
	}
	q.client = client
	return nil
}

// Start begins working jobs with h, concurrently. ctx's values reach h, but
// its end does not stop the queue: Stop does, so that jobs are put back in
// order rather than cut off.
func (q *Queue) Start(ctx context.Context, h Handler) error {
	if h == nil {
		return errors.New("start jobs: nil handler")
	}
	q.handler = h
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for the running Work calls to return
// until ctx is done; then it cancels their contexts and waits for them to
// return, however long that takes: a handler must return soon after its ctx
// is done, with Later to keep the job. Jobs never started stay queued for the
// next Start. Stop returns nil once every Work call has returned, even if ctx
// ran out first.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return wrapErr("stop jobs", err)
	}
	// River's Stop gave up waiting but left the stop under way; this
	// cancels the work and waits again.
	q.log.WarnContext(ctx, "jobs still running at the end of the grace period; cancelling them")
	return wrapErr("stop jobs", q.client.StopAndCancel(context.WithoutCancel(ctx)))
}

// Close stops the queue if Stop was not called, cancelling any running work,
// then closes the database.
func (q *Queue) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no grace period: Stop was the time for that
	stopErr := q.Stop(ctx)
	return errors.Join(stopErr, wrapErr("close jobs database", q.db.Close()))
}

// wrapErr wraps a non-nil err with what was being done.
func wrapErr(doing string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", doing, err)
}
