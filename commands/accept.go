package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"dreambot/bot"
	"dreambot/budget"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/jobs"
)

// Queue keeps image jobs durably (a *jobs.Queue in dreambot).
type Queue interface {
	Enqueue(ctx context.Context, guild, member string, payload []byte) (int64, error)
	Cancel(ctx context.Context, id int64) (bool, error)
	Pending(ctx context.Context, guild string) ([]jobs.Job, error)
	SetProgress(ctx context.Context, id int64, progress []byte) error
}

// Turns hands out the API key's request budget to jobs, fairly (a
// *budget.Budget in dreambot).
type Turns interface {
	Turn(ctx context.Context, t budget.Ticket) error
	Cancel(id int64) bool
	Pause(d time.Duration)
	Status(id int64) (budget.Status, bool)
	Len() int
}

// imageJob is what a job keeps of an accepted request: everything needed
// to make the image and answer the member, in this run of the bot or the
// next. Its JSON form is stored, so its tags are stable.
type imageJob struct {
	Ref        bot.Ref           `json:"interaction"`
	Prepared   generate.Prepared `json:"request"`
	EngineName string            `json:"engine_name"`
	AcceptedAt time.Time         `json:"accepted_at"`
	// Count is how many images to make (one request each); 0 means 1.
	Count int `json:"count,omitempty"`
	// From links to the message a Vary or an Upscale came from.
	From string `json:"from,omitempty"`
	// Credits is what one image costs, as Prepared.Credits said at accept: stored so that the
	// budget and balance checks can sum the queue without reading every request back in full.
	Credits *float64 `json:"credits,omitempty"`
}

func (j imageJob) engine() dreamstudio.Engine {
	return dreamstudio.Engine{ID: j.Prepared.Request.Engine, Name: j.EngineName}
}

// accept turns a checked request into a job: it is stored before the
// member sees "is thinking...", and answered by the worker.
func (s *Set) accept(ctx context.Context, r *bot.Request, req generate.Request, engine dreamstudio.Engine, opts jobOptions) (_ *bot.Response, err error) {
	prepared, err := generate.Prepare(req)
	if err != nil {
		return nil, err
	}
	cost, estimate := prepared.Credits()
	if err := s.cfg.operator().CheckCost(engine, cost, estimate); err != nil {
		return nil, err
	}
	count := max(opts.count, 1)
	if count > 1 {
		// Every image counts against the limits, taken at once: the middleware's one token goes
		// back first, so that count up to the burst can pass.
		if first := refundFrom(ctx); first != nil {
			first()
		}
		undo, err := s.limits.take(ctx, r, count)
		if err != nil {
			return nil, err
		}
		ctx = withRefund(ctx, undo)
		defer func() {
			if err != nil {
				undo()
			}
		}()
	}
	payload, err := json.Marshal(imageJob{Ref: bot.RefOf(r), Prepared: prepared, EngineName: engine.Name, AcceptedAt: s.now(), Credits: &cost,
		Count: count, From: opts.from})
	if err != nil {
		return nil, fmt.Errorf("encode job: %w", err)
	}
	// The worker may pick the job up at once: it waits for the
	// acknowledgement before it touches the deferred message.
	acked := s.work.acks.expect(r.ID)
	defer acked()
	id, err := s.enqueueWithin(ctx, r, engine, cost*float64(count), payload)
	if err != nil {
		return nil, err
	}
	s.work.refunds.put(id, refundFrom(ctx))
	if err := r.Defer(ctx); err != nil {
		s.log.Warn("could not acknowledge the interaction", "command", r.Name(), "job", id, "err", err)
	}
	return &bot.Response{Later: true}, nil
}

// enqueueWithin queues a job for an image of engine costing cost, if the account can pay it and
// the daily budget of the server (or of the member's DMs) takes it, both counting the images
// already queued. The checks and the enqueue hold one lock, so two requests can't both take the
// last credits.
func (s *Set) enqueueWithin(ctx context.Context, r *bot.Request, engine dreamstudio.Engine, cost float64, payload []byte) (int64, error) {
	s.work.spending.Lock()
	defer s.work.spending.Unlock()
	// The queue is read once, when a check first needs it, for both.
	var byKey map[string]float64
	queue := func() (map[string]float64, error) {
		if byKey != nil {
			return byKey, nil
		}
		var err error
		byKey, err = s.queuedCredits(ctx, "*")
		return byKey, err
	}
	all := func() (float64, error) {
		m, err := queue()
		return sumCredits(m), err
	}
	mine := func() (float64, error) {
		m, err := queue()
		return m[queueKey(r)], err
	}
	if err := s.credits.check(ctx, r.GuildID, cost, engine.Name, all); err != nil {
		return 0, err
	}
	if err := s.checkBudget(ctx, r.GuildID, cost, mine, queueKey(r)); err != nil {
		return 0, err
	}
	id, err := s.queue.Enqueue(ctx, queueKey(r), r.UserID(), payload)
	if err != nil {
		return 0, fmt.Errorf("queue image: %w", err)
	}
	return id, nil
}

// pendingCredits is what the images queued for key (a server, a member's DMs, or "*" for all)
// will cost: spent, for budgets and the balance, once accepted. Images already made are in the
// usage records instead.
func (s *Set) pendingCredits(ctx context.Context, key string) (float64, error) {
	m, err := s.queuedCredits(ctx, key)
	return sumCredits(m), err
}

// queuedCredits is pendingCredits for each queue key (a server, or a member's DMs).
func (s *Set) queuedCredits(ctx context.Context, key string) (map[string]float64, error) {
	pending, err := s.queue.Pending(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("list queued images: %w", err)
	}
	byKey := map[string]float64{}
	for _, j := range pending {
		var done progress
		if len(j.Progress) > 0 && json.Unmarshal(j.Progress, &done) == nil && (done.Delivered || done.Answer != "") {
			continue
		}
		credits, count, ok := jobCost(j.Payload)
		if !ok {
			continue // a job that can't be read will not be made
		}
		byKey[j.Guild] += credits * float64(count-len(done.madeSoFar()))
	}
	return byKey, nil
}

func sumCredits(m map[string]float64) float64 {
	var sum float64
	for _, v := range m {
		sum += v
	}
	return sum
}

// jobCost reads what one image of a stored job costs and how many it makes: from the price stored
// at accept, or, for a job stored before prices were, by reading its request back in full.
func jobCost(payload []byte) (credits float64, count int, ok bool) {
	var head struct {
		Credits *float64 `json:"credits"`
		Count   int      `json:"count"`
	}
	if json.Unmarshal(payload, &head) == nil && head.Credits != nil {
		return *head.Credits, max(head.Count, 1), true
	}
	var p imageJob
	if err := json.Unmarshal(payload, &p); err != nil {
		return 0, 0, false
	}
	credits, _ = p.Prepared.Credits()
	return credits, p.count(), true
}

// queueKey is whose queue a request joins: its server's, or for a DM the
// member's own (DMs are not one server to share a cap or take turns as).
func queueKey(r *bot.Request) string { return spendingKey(r.GuildID, r.UserID()) }

// spendingKey is who a request is queued and counted for: its server, or the member's DMs.
func spendingKey(guildID, userID string) string {
	if guildID != "" {
		return guildID
	}
	return "dm:" + userID
}

// acks lets a worker wait until the handler that queued its job has
// acknowledged the interaction: editing a response that does not exist
// yet would fail.
type acks struct {
	mu      sync.Mutex
	pending map[string]chan struct{}
}

// expect registers interaction id as being acknowledged; the returned
// func says it is.
func (a *acks) expect(id string) (done func()) {
	ch := make(chan struct{})
	a.mu.Lock()
	if a.pending == nil {
		a.pending = map[string]chan struct{}{}
	}
	a.pending[id] = ch
	a.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			a.mu.Lock()
			delete(a.pending, id)
			a.mu.Unlock()
			close(ch)
		})
	}
}

// wait returns once interaction id is acknowledged (at once for an
// interaction of an earlier run), or ctx ends.
func (a *acks) wait(ctx context.Context, id string) {
	a.mu.Lock()
	ch := a.pending[id]
	a.mu.Unlock()
	if ch == nil {
		return
	}
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// refunds keeps, for each job of this run, how to give its member's and
// server's rate-limit tokens back when no image comes of it. After a
// restart the limiters start full, so there is nothing to give back.
type refunds struct {
	mu   sync.Mutex
	undo map[int64]func()
}

func (f *refunds) put(id int64, undo func()) {
	if undo == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.undo == nil {
		f.undo = map[int64]func(){}
	}
	f.undo[id] = undo
}

// give gives job id's tokens back (refund true) or forgets them.
func (f *refunds) give(id int64, refund bool) {
	f.mu.Lock()
	undo := f.undo[id]
	delete(f.undo, id)
	f.mu.Unlock()
	if refund && undo != nil {
		undo()
	}
}

type refundKey struct{}

// withRefund hands the rate-limit middleware's undo to the handler, which
// passes it on to the job it queues.
func withRefund(ctx context.Context, undo func()) context.Context {
	return context.WithValue(ctx, refundKey{}, undo)
}

func refundFrom(ctx context.Context) func() {
	undo, _ := ctx.Value(refundKey{}).(func())
	return undo
}
