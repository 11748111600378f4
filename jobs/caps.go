package jobs

import (
	"context"
	"database/sql"
	"fmt"
)

// CapError is Enqueue's refusal of a job that would pass a cap on unfinished
// jobs. Scope is "member", "guild" or "total": the narrowest cap reached.
type CapError struct {
	Scope string
	Cap   int
}

func (e *CapError) Error() string {
	return fmt.Sprintf("too many unfinished jobs: the %s cap is %d", e.Scope, e.Cap)
}

// owner is whose a job is: a member counts per server.
type owner struct {
	guild, member string
}

// unfinishedCounts are the unfinished jobs in all, per server and per owner.
type unfinishedCounts struct {
	total    int
	perGuild map[string]int
	perOwner map[owner]int
}

// checkCaps answers with a *CapError the requests of batch, in order, that
// would pass a cap, and returns the others. The count is made in tx, which
// goes on to insert them.
//
// Caps count the unfinished jobs in the table (available, scheduled,
// retryable, running, pending), so they hold across restarts, plus those
// accepted before in the batch. (On PostgreSQL, tx would have to lock
// river_job, or be serializable, for the caps to hold against other
// processes.)
func (q *Queue) checkCaps(ctx context.Context, tx *sql.Tx, batch []*request) ([]*request, error) {
	c := q.caps
	if c.MaxPerMember == 0 && c.MaxPerGuild == 0 && c.MaxTotal == 0 {
		return batch, nil
	}
	n, err := q.countUnfinished(ctx, tx)
	if err != nil {
		return batch, fmt.Errorf("count unfinished jobs: %w", err)
	}
	var accepted []*request
	for _, req := range batch {
		o := owner{guild: req.args.Guild, member: req.args.Member}
		if err := capReached(c, n.perOwner[o], n.perGuild[o.guild], n.total); err != nil {
			req.done <- result{err: err}
			continue
		}
		n.perOwner[o]++
		n.perGuild[o.guild]++
		n.total++
		accepted = append(accepted, req)
	}
	return accepted, nil
}

// capReached returns a *CapError for the narrowest cap of c that one more job
// would pass, given the unfinished jobs of its member, its server and all.
func capReached(c Options, ofMember, inGuild, total int) error {
	for _, s := range []struct {
		scope    string
		cap, has int
	}{
		{"member", c.MaxPerMember, ofMember},
		{"guild", c.MaxPerGuild, inGuild},
		{"total", c.MaxTotal, total},
	} {
		if s.cap > 0 && s.has >= s.cap {
			return &CapError{Scope: s.scope, Cap: s.cap}
		}
	}
	return nil
}

// markFinished leaves job id out of the caps from now on.
func (q *Queue) markFinished(id int64) {
	q.finishedMu.Lock()
	defer q.finishedMu.Unlock()
	if q.finished == nil {
		q.finished = map[int64]bool{}
	}
	q.finished[id] = true
}

// isFinished reports whether the handler is done with job id.
func (q *Queue) isFinished(id int64) bool {
	q.finishedMu.Lock()
	defer q.finishedMu.Unlock()
	return q.finished[id]
}

// countUnfinished counts the unfinished jobs in the table, but for those
// whose handler is done with them. Jobs River has recorded as finished are
// forgotten from q.finished on the way.
func (q *Queue) countUnfinished(ctx context.Context, tx *sql.Tx) (unfinishedCounts, error) {
	n := unfinishedCounts{perGuild: make(map[string]int), perOwner: make(map[owner]int)}
	q.finishedMu.Lock()
	defer q.finishedMu.Unlock()
	seen := map[int64]bool{}
	// The states listed are River's unfinished ones, which lead its fetch
	// index, so only unfinished rows are read. (A condition on kind would
	// make SQLite prefer the kind index and read every job of the day; all
	// jobs in this database are of one kind anyway.) ->> reads a key of the
	// JSON args in both SQLite and PostgreSQL.
	// There are at most MaxTotal such rows.
	rows, err := tx.QueryContext(ctx, `
		SELECT id, args ->> 'guild', args ->> 'member'
		FROM river_job
		WHERE state IN ('available', 'pending', 'retryable', 'running', 'scheduled')`)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o owner
		if err := rows.Scan(&id, &o.guild, &o.member); err != nil {
			return n, err
		}
		if q.finished[id] {
			seen[id] = true
			continue
		}
		n.perOwner[o]++
		n.perGuild[o.guild]++
		n.total++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	for id := range q.finished {
		if !seen[id] {
			delete(q.finished, id)
		}
	}
	return n, nil
}
