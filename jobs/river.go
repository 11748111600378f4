package jobs

import (
	"database/sql"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// River settings; see newClient for why each.
const (
	kind              = "generation" // River's name for these jobs; renaming strands queued ones
	maxAttempts       = 10
	fetchCooldown     = 10 * time.Millisecond
	fetchPollInterval = 25 * time.Millisecond
	rescueStuckAfter  = 24 * time.Hour
	finishedRetention = 24 * time.Hour
	workerSlack       = 16
)

// args is a job's row in River: who asked, and the handler's payload.
type args struct {
	Guild   string          `json:"guild"`
	Member  string          `json:"member"`
	Payload json.RawMessage `json:"payload"`
}

func (args) Kind() string { return kind }

// newClient configures River for q. It is the one place that does.
//
//   - One queue. MaxWorkers is MaxTotal plus some room (for jobs queued under
//     a larger cap before a restart), so that every unfinished job is fetched
//     at once and waits in the handler's scheduler, not in the table; with no
//     cap, River's maximum.
//   - JobTimeout -1, none: a job may wait a quarter of an hour in the
//     handler's scheduler before its generation even starts, and the
//     handler bounds its own calls. River's default of a minute would cancel
//     waiting jobs.
//   - RescueStuckJobsAfter a day: River's rescuer would run a job again while
//     it still runs in this process if it ran longer than this (default an
//     hour, too close to a long wait). One process uses the file, and Open
//     rescues what a crash left (see rescue).
//   - MaxAttempts 10: attempts count only runs interrupted by a crash (a
//     handler's error ends the job with River's JobCancel, Later snoozes,
//     which does not count), so this is how many times a job may take the
//     process down before rescue discards it.
//   - FetchPollInterval 25ms, FetchCooldown 10ms, for a job to start within
//     tens of milliseconds of its Enqueue. River's SQLite driver emulates
//     LISTEN/NOTIFY (SupportsListener is true): an insert's notification is
//     a row of river_notification, which the driver's listener polls every
//     50ms (notificationPollIntervalDefault, not configurable). For the same
//     reason Client.Insert does not wake the producer directly
//     (notifyProducerWithoutListenerJobFetch returns early); Enqueue's
//     InsertManyTx writes the notification in its transaction. So the
//     listener's 50ms, or the fetch poll if sooner, bounds the wait: with
//     25ms, a job waited 15ms at the median and 35ms at most. An idle poll
//     is an UPDATE that changes no row, without a sync to disk: about 2% of
//     a core more than River's default of 1s. The cooldown spaces fetches
//     under load; each takes every waiting job.
//   - Finished jobs (and their progress) are kept a day, so the table stays
//     small. River's own info logs are dropped (see loggers).
func newClient(q *Queue, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &worker{q: q}); err != nil {
		return nil, err
	}
	maxWorkers := river.QueueNumWorkersMax
	if q.caps.MaxTotal > 0 {
		maxWorkers = min(q.caps.MaxTotal+workerSlack, river.QueueNumWorkersMax)
	}
	return river.NewClient(riversqlite.New(q.db), &river.Config{
		CancelledJobRetentionPeriod: finishedRetention,
		CompletedJobRetentionPeriod: finishedRetention,
		DiscardedJobRetentionPeriod: finishedRetention,
		ErrorHandler:                panicHandler{log: q.log},
		FetchCooldown:               fetchCooldown,
		FetchPollInterval:           fetchPollInterval,
		JobTimeout:                  -1,
		Logger:                      log,
		MaxAttempts:                 maxAttempts,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: maxWorkers}},
		RescueStuckJobsAfter:        rescueStuckAfter,
		Workers:                     workers,
	})
}
