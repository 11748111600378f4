package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
)

// rescue makes the jobs a previous run left unfinished workable at once, and
// is the one place that writes River's table directly.
//
// It is right only because one process uses the file, which the exclusive
// lock ensures (see dsn): a job still "running" when it opens is one that a
// crash or a kill interrupted, and nothing else would move it before River's
// rescuer, which runs on the leader only after RescueStuckJobsAfter. Such a job becomes available with its
// attempt number kept, so its next run sees one more; if it has had its
// max_attempts runs it is discarded instead, so that a job that kills the
// process cannot do so for ever; if its cancellation was asked for, it is
// cancelled (both as River's own rescuer decides). Jobs put back for later
// (scheduled, retryable, or available in the future) become due now: the
// shutdown that put them back is over. On PostgreSQL with several processes
// sharing the table this must not run, since another process's running jobs
// are alive: there, River's rescuer does the first part.
//
// Times are written in River's SQLite format ("YYYY-MM-DD HH:MM:SS.SSS" UTC,
// what datetime('now', 'subsec') returns), which its queries compare as text.
func rescue(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rescue jobs: %w", err)
	}
	defer tx.Rollback()

	steps := []struct {
		what  string
		level slog.Level
		sql   string
	}{
		{"cancelled", slog.LevelWarn, `UPDATE river_job
			SET state = 'cancelled', finalized_at = datetime('now', 'subsec')
			WHERE state = 'running' AND metadata ->> 'cancel_attempted_at' IS NOT NULL`},
		{"discarded after their last attempt", slog.LevelWarn, `UPDATE river_job
			SET state = 'discarded', finalized_at = datetime('now', 'subsec')
			WHERE state = 'running' AND attempt >= max_attempts`},
		{"interrupted, to run again", slog.LevelWarn, `UPDATE river_job
			SET state = 'available'
			WHERE state = 'running'`},
		{"put back, due now", slog.LevelInfo, `UPDATE river_job
			SET state = 'available', scheduled_at = min(scheduled_at, datetime('now', 'subsec'))
			WHERE state IN ('scheduled', 'retryable')
				OR (state = 'available' AND scheduled_at > datetime('now', 'subsec'))`},
	}
	for _, s := range steps {
		res, err := tx.ExecContext(ctx, s.sql)
		if err != nil {
			return fmt.Errorf("rescue jobs %s: %w", s.what, err)
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			log.Log(ctx, s.level, "jobs left unfinished by the previous run", "count", n, "now", s.what)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rescue jobs: %w", err)
	}
	return nil
}
