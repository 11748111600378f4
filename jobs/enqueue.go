package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/riverqueue/river"
)

// maxBatch bounds how many Enqueue calls one write serves.
const maxBatch = 500

// request is one Enqueue call waiting for a write.
type request struct {
	args args
	done chan result // buffered: the writer never waits for the caller
}

type result struct {
	id  int64
	err error
}

// Enqueue stores a job of member in guild ("" for a DM or the shell) and
// returns its id once it is durable. payload must be JSON; it is handed back
// as it is, up to insignificant white space. Enqueue refuses with *CapError a
// job that would pass a cap of Options (see checkCaps).
//
// Concurrent calls are written together, group commit: whichever caller
// takes the turn counts, checks and inserts all the jobs waiting, in one
// transaction and one sync to disk, while the others wait for their answer.
// If ctx ends before its job is taken for writing, Enqueue returns ctx's
// error and the job is not stored; once taken, Enqueue waits for the write.
func (q *Queue) Enqueue(ctx context.Context, guild, member string, payload []byte) (int64, error) {
	if !json.Valid(payload) {
		return 0, errors.New("enqueue job: payload is not JSON")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	req := &request{
		args: args{Guild: guild, Member: member, Payload: slices.Clone(payload)},
		done: make(chan result, 1),
	}
	q.waitingMu.Lock()
	q.waiting = append(q.waiting, req)
	q.waitingMu.Unlock()
	for {
		select {
		case res := <-req.done:
			return res.id, res.err
		case q.turn <- struct{}{}:
			q.writeWaiting(context.WithoutCancel(ctx))
			<-q.turn
		case <-ctx.Done():
			if q.withdraw(req) {
				return 0, ctx.Err()
			}
			res := <-req.done
			return res.id, res.err
		}
	}
}

// withdraw removes req from the waiting list, reporting whether it was still
// there.
func (q *Queue) withdraw(req *request) bool {
	q.waitingMu.Lock()
	defer q.waitingMu.Unlock()
	i := slices.Index(q.waiting, req)
	if i < 0 {
		return false
	}
	q.waiting = slices.Delete(q.waiting, i, i+1)
	return true
}

// writeWaiting writes a batch of the waiting requests and answers each. The
// caller holds the turn. Its ctx has no cancellation: the requests are other
// callers' too, and the write takes milliseconds.
func (q *Queue) writeWaiting(ctx context.Context) {
	q.waitingMu.Lock()
	n := min(len(q.waiting), maxBatch)
	batch := slices.Clone(q.waiting[:n])
	q.waiting = slices.Delete(q.waiting, 0, n)
	q.waitingMu.Unlock()
	if len(batch) == 0 {
		return
	}

	accepted, ids, err := q.insert(ctx, batch)
	if err != nil {
		answerAll(accepted, result{err: fmt.Errorf("enqueue job: %w", err)})
		return
	}
	for i, req := range accepted {
		req.done <- result{id: ids[i]}
	}
}

// insert inserts the jobs of batch that pass no cap, in one transaction, and
// returns them with their ids in order; it has answered the others with a
// *CapError. With SQLite the transaction begins IMMEDIATE (see dsn), holding
// the write lock from the count to the commit, so the caps hold even against
// another process. River's insert notifies this process's producer through
// the same transaction (see newClient).
func (q *Queue) insert(ctx context.Context, batch []*request) (accepted []*request, ids []int64, err error) {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return batch, nil, err
	}
	defer tx.Rollback()
	accepted, err = q.checkCaps(ctx, tx, batch)
	if err != nil || len(accepted) == 0 {
		return accepted, nil, err
	}
	params := make([]river.InsertManyParams, len(accepted))
	for i, req := range accepted {
		params[i] = river.InsertManyParams{Args: req.args}
	}
	res, err := q.client.InsertManyTx(ctx, tx, params)
	if err != nil {
		return accepted, nil, err
	}
	if len(res) != len(accepted) {
		return accepted, nil, fmt.Errorf("river inserted %d jobs of %d", len(res), len(accepted))
	}
	if err := tx.Commit(); err != nil {
		return accepted, nil, err
	}
	// The rows are numbered in the order given, but RETURNING lists them
	// in no set order.
	ids = make([]int64, len(res))
	for i, r := range res {
		ids[i] = r.Job.ID
	}
	slices.Sort(ids)
	return accepted, ids, nil
}

func answerAll(reqs []*request, res result) {
	for _, req := range reqs {
		req.done <- res
	}
}
