package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// unfinished are River's states of a job not yet finished.
func unfinished() []rivertype.JobState {
	return []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}
}

// Cancel cancels job id if it has not finished, and reports whether it had
// not. A job not yet running is never worked. A running one goes on until
// its Work returns: River cancels Work's ctx soon (its SQLite driver passes
// the request through the river_notification table, polled every 50ms), and
// whatever Work returns then, the job is not worked again. The caller should
// also stop the job's wait itself, at once.
func (q *Queue) Cancel(ctx context.Context, id int64) (bool, error) {
	// River's cancel returns a finished job unchanged, so ask first.
	row, err := q.client.JobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("cancel job %d: %w", id, err)
	}
	if row.FinalizedAt != nil {
		return false, nil
	}
	if _, err := q.client.JobCancel(ctx, id); err != nil {
		return false, fmt.Errorf("cancel job %d: %w", id, err)
	}
	return true, nil
}

// Pending lists the unfinished jobs of guild, or of all guilds if guild is
// "*", oldest first. A running job that was cancelled stays listed until its
// Work returns.
func (q *Queue) Pending(ctx context.Context, guild string) ([]Job, error) {
	const page = 1000
	params := river.NewJobListParams().Kinds(kind).States(unfinished()...).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(page)
	if guild != "*" {
		params = params.Where("args ->> 'guild' = @guild", river.NamedArgs{"guild": guild})
	}
	var pending []Job
	for {
		res, err := q.client.JobList(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("list pending jobs: %w", err)
		}
		for _, row := range res.Jobs {
			if q.isFinished(row.ID) {
				continue // done, though River has yet to record it
			}
			j, err := jobFromRow(row)
			if err != nil {
				return nil, fmt.Errorf("list pending jobs: %w", err)
			}
			pending = append(pending, j)
		}
		if len(res.Jobs) < page {
			break
		}
		params = params.After(res.LastCursor)
	}
	if err := q.addProgress(ctx, pending); err != nil {
		return nil, fmt.Errorf("list pending jobs: %w", err)
	}
	return pending, nil
}

func jobFromRow(row *rivertype.JobRow) (Job, error) {
	var a args
	if err := json.Unmarshal(row.EncodedArgs, &a); err != nil {
		return Job{}, fmt.Errorf("job %d: %w", row.ID, err)
	}
	return Job{ID: row.ID, Guild: a.Guild, Member: a.Member, Payload: a.Payload,
		CreatedAt: row.CreatedAt, Attempt: row.Attempt}, nil
}

// SetProgress records durably what the handler has achieved so far for job
// id, such as "image saved at path X" or "delivered", replacing what it
// recorded before. Call it before the side effect that the progress allows:
// the next attempt of the job sees it in Job.Progress. progress must be JSON.
func (q *Queue) SetProgress(ctx context.Context, id int64, progress []byte) error {
	if !json.Valid(progress) {
		return fmt.Errorf("set progress of job %d: progress is not JSON", id)
	}
	res, err := q.db.ExecContext(ctx, `
		INSERT INTO job_progress (job_id, progress, updated_at)
		SELECT id, ?, ? FROM river_job WHERE id = ?
		ON CONFLICT (job_id) DO UPDATE SET progress = excluded.progress, updated_at = excluded.updated_at`,
		string(progress), time.Now().UTC().Format(time.RFC3339Nano), id)
	if err != nil {
		return fmt.Errorf("set progress of job %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("set progress of job %d: no such job", id)
	}
	return nil
}

// progress returns what was recorded for job id, nil if nothing.
func (q *Queue) progress(ctx context.Context, id int64) (json.RawMessage, error) {
	var p string
	err := q.db.QueryRowContext(ctx, `SELECT progress FROM job_progress WHERE job_id = ?`, id).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress of job %d: %w", id, err)
	}
	return json.RawMessage(p), nil
}

// addProgress fills in the progress of jobs, which are in id order, in one
// query.
func (q *Queue) addProgress(ctx context.Context, jobs []Job) error {
	if len(jobs) == 0 {
		return nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT job_id, progress FROM job_progress WHERE job_id >= ?`, jobs[0].ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := make(map[int64]json.RawMessage)
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return err
		}
		byID[id] = json.RawMessage(p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range jobs {
		jobs[i].Progress = byID[jobs[i].ID]
	}
	return nil
}
