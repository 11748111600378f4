package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"dreambot/bot"
	"dreambot/budget"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/jobs"
	"dreambot/usage"
)

// maxInterruptions is how many runs of a job a crash may cut short before
// the job is given up, with a message: a request that takes the bot down
// must not do so for ever.
const maxInterruptions = 3

// A saved image that Discord would not take is offered again every
// deliveryRetry, for deliveryPatience after its request.
const (
	deliveryRetry    = 15 * time.Second
	deliveryPatience = time.Hour
)

// interactionLife is how long Discord accepts answers to an interaction.
const interactionLife = 15 * time.Minute

// progress is what a job has achieved, recorded before the step it allows:
// an image saved is delivered after a crash, not made (and paid for) again.
type progress struct {
	Saved        bool   `json:"saved,omitempty"`
	Path         string `json:"path,omitempty"`
	Seed         uint32 `json:"seed,omitempty"`
	FinishReason string `json:"finish_reason,omitempty"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	// Attempt is the attempt of the job that made the saved image: the one that paid for it.
	Attempt   int  `json:"attempt,omitempty"`
	Delivered bool `json:"delivered,omitempty"`
	// Answer is a final answer other than an image (a failure, a
	// cancellation), recorded before it is sent: a job that a crash
	// interrupts after that sends the same answer again (an edit of the
	// same message) instead of working again.
	Answer string `json:"answer,omitempty"`
}

// workState is what the handlers and the worker share about this run's
// jobs.
type workState struct {
	acks    acks
	refunds refunds
	// spending is held from a server's budget check to its enqueue.
	spending sync.Mutex

	// mu guards phase and typical.
	mu sync.Mutex
	// phase is a job's place in its life in this run: picked up by a
	// worker, waiting for its turn, generating (or delivering), cancelled
	// (by a click that came first) or done. Done jobs stay known, so that
	// a late click cannot answer in their place.
	phase map[int64]string
	// typical is how long a generation usually takes, for estimates.
	typical time.Duration
}

const (
	phasePicked     = "picked"
	phaseWaiting    = "waiting"
	phaseGenerating = "generating"
	phaseCancelled  = "cancelled"
	phaseDone       = "done"
)

// enter moves job id to phase, unless it was cancelled; it reports whether
// it did.
func (w *workState) enter(id int64, phase string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.phase == nil {
		w.phase = map[int64]string{}
	}
	if w.phase[id] == phaseCancelled {
		return false
	}
	w.phase[id] = phase
	return true
}

// maxPhases bounds what workState remembers of finished jobs.
const maxPhases = 10000

func (w *workState) finish(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.phase[id] = phaseDone
	if len(w.phase) > maxPhases {
		for id, ph := range w.phase {
			if ph == phaseDone {
				delete(w.phase, id)
			}
		}
	}
}

func (w *workState) phaseOf(id int64) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.phase[id]
}

// cancelled reports whether job id was cancelled.
func (w *workState) cancelled(id int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.phase[id] == phaseCancelled
}

// cancel marks job id cancelled if a worker has it and it has not started
// yet; it returns the phase it found ("" when no worker has the job).
func (w *workState) cancel(id int64) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.phase == nil {
		w.phase = map[int64]string{}
	}
	was := w.phase[id]
	if was == phasePicked || was == phaseWaiting {
		w.phase[id] = phaseCancelled
	}
	return was
}

func (w *workState) observe(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.typical == 0 {
		w.typical = d
		return
	}
	w.typical = (4*w.typical + d) / 5
}

func (w *workState) typicalGeneration() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.typical == 0 {
		return 10 * time.Second
	}
	return w.typical
}

// Worker makes the images of queued jobs and answers the members: it
// implements jobs.Handler.
type Worker struct {
	s    *Set
	rest bot.REST
}

// Worker returns the worker that answers through rest (the bot's session).
func (s *Set) Worker(rest bot.REST) *Worker { return &Worker{s: s, rest: rest} }

// Work takes one job from its turn to its answer. It returns nil once the
// member has their answer, and jobs.Later when the bot is stopping, so the
// job waits for the next start.
func (w *Worker) Work(ctx context.Context, j jobs.Job) (err error) {
	s := w.s
	var p imageJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		// Written by another version, say: tell the member if we can.
		var ref struct {
			Ref bot.Ref `json:"interaction"`
		}
		if json.Unmarshal(j.Payload, &ref) == nil && ref.Ref.Token != "" {
			log := s.log.With("job", j.ID, "interaction", ref.Ref)
			w.fail(ctx, j, bot.NewDeferred(w.rest, ref.Ref, log), fmt.Errorf("read job: %w", err), log)
			return nil
		}
		s.log.Error("unreadable job dropped", "job", j.ID, "err", err)
		return nil
	}
	var done progress
	if len(j.Progress) > 0 {
		if err := json.Unmarshal(j.Progress, &done); err != nil {
			s.log.Warn("unreadable job progress ignored", "job", j.ID, "err", err)
		}
	}
	log := s.log.With("job", j.ID, "interaction", p.Ref, "attempt", j.Attempt)
	ans := bot.NewDeferred(w.rest, p.Ref, log)
	s.work.enter(j.ID, phasePicked)
	defer s.work.finish(j.ID)
	defer func() {
		if v := recover(); v != nil {
			log.Error("image job panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			w.fail(ctx, j, ans, fmt.Errorf("job panicked: %v", v), log)
			err = nil
		}
	}()
	s.work.acks.wait(ctx, p.Ref.ID)

	switch {
	case done.Delivered:
		return nil
	case done.Answer != "":
		// Answered before a crash, perhaps: the same edit again.
		w.answer(ctx, j, ans, &bot.Response{Content: done.Answer}, log)
		return nil
	case j.Attempt > maxInterruptions && !done.Saved:
		log.Error("image job given up: the bot stopped while working it every time")
		w.answer(ctx, j, ans, &bot.Response{Content: "Sorry, the bot stopped several times while making this image, so I gave up on it. " +
			"Please try again; if it happens again, let the bot's operator know."}, log)
		return nil
	case done.Saved:
		s.work.enter(j.ID, phaseGenerating)
		log.Info("delivering an image saved before a restart", "path", done.Path)
		png, err := os.ReadFile(done.Path)
		if err != nil {
			log.Error("saved image unreadable", "path", done.Path, "err", err)
		}
		res := &generate.Result{Path: done.Path, PNG: png, Seed: done.Seed, FinishReason: done.FinishReason,
			Width: done.Width, Height: done.Height}
		if done.FinishReason != dreamstudio.FinishError {
			w.spent(ctx, j, p, done.Attempt, false, log) // again: the crash may have come before it was recorded
		}
		return w.deliver(ctx, j, p, res, ans, log)
	}

	for priority := false; ; priority = true {
		shown, err := w.waitTurn(ctx, j, p, ans, priority)
		if err != nil {
			return w.notStarted(ctx, j, p, ans, err, log)
		}
		var noted chan struct{}
		if shown || j.Attempt > 1 || time.Since(p.AcceptedAt) > s.cfg.QueueNoticeAfter {
			// The request goes out now, as the budget counted it; the
			// note follows.
			noted = make(chan struct{})
			go func() {
				defer close(noted)
				w.progress(context.WithoutCancel(ctx), ans, fmt.Sprintf("🎨 Generating with %s…", escapeMarkdown(p.EngineName)), false, j.ID)
			}()
		}
		res, err := w.generate(ctx, j, p)
		if noted != nil {
			<-noted // whatever comes next must not be overwritten by the note
		}
		var api *dreamstudio.Error
		if errors.As(err, &api) && api.Status == http.StatusTooManyRequests {
			wait := api.RetryAfter
			if wait <= 0 {
				wait = dreamstudio.RateLimitLockout
			}
			log.Warn("DreamStudio rate limit: pausing the queue", "for", wait)
			s.turns.Pause(wait)
			continue // first in line again once the pause is over
		}
		if err != nil && ctx.Err() != nil {
			w.progress(context.WithoutCancel(ctx), ans, restartingNote, true, j.ID)
			return jobs.Later(0)
		}
		if err != nil {
			s.work.refunds.give(j.ID, refundable(err))
			w.fail(ctx, j, ans, fmt.Errorf("imagine with %s: %w", p.Prepared.Request.Engine, err), log)
			return nil
		}
		// An ERROR finish gives nothing worth showing: the tokens come back.
		s.work.refunds.give(j.ID, res.FinishReason == dreamstudio.FinishError)
		return w.deliver(ctx, j, p, res, ans, log)
	}
}

// generate makes and saves the image, and records it before anything is
// delivered.
func (w *Worker) generate(ctx context.Context, j jobs.Job, p imageJob) (*generate.Result, error) {
	s := w.s
	gctx, cancel := context.WithTimeout(ctx, s.cfg.GenerateTimeout)
	defer cancel()
	start := time.Now()
	res, err := s.gen.Generate(gctx, p.Prepared, p.Ref.GuildID)
	if err != nil {
		if paid(err) {
			w.spent(ctx, j, p, j.Attempt, true, s.log.With("job", j.ID))
		}
		return nil, err
	}
	s.work.observe(time.Since(start))
	if res.FinishReason != dreamstudio.FinishError { // failed results are not charged
		w.spent(ctx, j, p, j.Attempt, true, s.log.With("job", j.ID))
	}
	if res.Path != "" {
		rec, _ := json.Marshal(progress{Saved: true, Path: res.Path, Seed: res.Seed, FinishReason: res.FinishReason,
			Width: res.Width, Height: res.Height, Attempt: j.Attempt})
		if err := s.queue.SetProgress(context.WithoutCancel(ctx), j.ID, rec); err != nil {
			s.log.Error("could not record a saved image", "job", j.ID, "path", res.Path, "err", err)
		}
	}
	return res, nil
}

// paid reports whether a failed generation was paid for all the same: the API answered 200, and
// the image could not be used.
func paid(err error) bool {
	return errors.As(err, new(*dreamstudio.BadImageError)) || errors.As(err, new(*dreamstudio.MemoryWaitError))
}

// spent records what the image that attempt of the job paid for cost: in the usage of the server
// (or the member's DMs), once however often a crash replays the record, and, when fresh (not a
// replay), in the balance the bot believes the account has.
func (w *Worker) spent(ctx context.Context, j jobs.Job, p imageJob, attempt int, fresh bool, log *slog.Logger) {
	s := w.s
	credits, estimate := p.Prepared.Credits()
	if fresh {
		s.credits.spend(credits)
	}
	if s.usage == nil {
		return
	}
	rec := usage.Record{Key: fmt.Sprintf("%s/%d", p.Ref.ID, attempt), Guild: spendingKey(p.Ref.GuildID, p.Ref.UserID),
		Member: p.Ref.UserID, Engine: p.Prepared.Request.Engine, Credits: credits, Estimated: estimate, At: s.now()}
	if err := s.usage.RecordUsage(context.WithoutCancel(ctx), rec); err != nil {
		log.Error("could not record what an image cost", "credits", credits, "err", err)
	}
}

// deliver answers with the finished image and records that it was.
func (w *Worker) deliver(ctx context.Context, j jobs.Job, p imageJob, res *generate.Result, ans *bot.Deferred, log *slog.Logger) error {
	s := w.s
	ctx = context.WithoutCancel(ctx) // an image made is delivered, even during shutdown
	if res.FinishReason == dreamstudio.FinishError {
		w.fail(ctx, j, ans, &GenerationError{Engine: p.Prepared.Request.Engine, Path: res.Path}, log)
		return nil
	}
	resp := imageResponse(res, p.Prepared.Request, p.engine())
	resp.Components = s.againButton(ctx, p.Ref.GuildID, p.Ref.UserID, p.Prepared.Request)
	if err := ans.Answer(ctx, resp); err != nil {
		if res.Path != "" && time.Since(p.AcceptedAt) < deliveryPatience {
			// Saved: try again shortly, without making it again.
			log.Warn("could not deliver the image: trying again", "path", res.Path, "in", deliveryRetry, "err", err)
			return jobs.Later(deliveryRetry)
		}
		log.Error("could not deliver the image", "path", res.Path, "err", err)
	}
	rec, _ := json.Marshal(progress{Delivered: true, Path: res.Path, Seed: res.Seed, FinishReason: res.FinishReason})
	if err := s.queue.SetProgress(ctx, j.ID, rec); err != nil {
		log.Warn("could not record a delivery", "err", err)
	}
	return nil
}

// fail tells the member what went wrong, in the job's own message.
func (w *Worker) fail(ctx context.Context, j jobs.Job, ans *bot.Deferred, err error, log *slog.Logger) {
	resp, memberFault := Describe(err)
	if !memberFault {
		log.Error("image job failed", "err", err)
	}
	w.answer(ctx, j, ans, &bot.Response{Content: resp.Content}, log)
}

// answer records a final answer other than an image, then sends it as an
// edit of the job's message: public, like the request it answers, so that
// sending it again after a crash changes nothing, and so that it still
// reaches the member in the channel once the interaction has expired.
func (w *Worker) answer(ctx context.Context, j jobs.Job, ans *bot.Deferred, resp *bot.Response, log *slog.Logger) {
	ctx = context.WithoutCancel(ctx)
	rec, _ := json.Marshal(progress{Answer: resp.Content})
	if err := w.s.queue.SetProgress(ctx, j.ID, rec); err != nil {
		log.Warn("could not record the answer", "err", err)
	}
	if err := ans.Answer(ctx, resp); err != nil {
		log.Error("could not tell the member", "err", err)
	}
}

// notStarted ends a job that never got its turn: cancelled, out of time,
// or held back because the bot is stopping.
func (w *Worker) notStarted(ctx context.Context, j jobs.Job, p imageJob, ans *bot.Deferred, err error, log *slog.Logger) error {
	s := w.s
	switch {
	case errors.Is(err, budget.ErrCancelled) || errors.Is(err, errCancelled) || s.work.cancelled(j.ID):
		s.work.refunds.give(j.ID, true)
		w.answer(ctx, j, ans, &bot.Response{Content: cancelledNote}, log)
		return nil
	case errors.Is(err, budget.ErrClosed) || ctx.Err() != nil:
		w.progress(context.WithoutCancel(ctx), ans, restartingNote, true, j.ID)
		return jobs.Later(0)
	default: // out of time
		s.work.refunds.give(j.ID, true)
		log.Warn("image job expired before its turn", "waited", time.Since(p.AcceptedAt).Round(time.Second))
		w.fail(ctx, j, ans, &ExpiredError{}, log)
		return nil
	}
}

// refundable reports whether the member's rate-limit tokens come back
// because no image came of the request: the API refused it, it was never
// sent, or what came back was broken (the member got nothing, whatever the
// API charged). A timeout keeps them: the API may have made the image all
// the same.
func refundable(err error) bool {
	var api *dreamstudio.Error
	var ve *dreamstudio.ValidationError
	return errors.As(err, &api) || errors.As(err, &ve) || errors.As(err, new(*dreamstudio.BadImageError)) ||
		errors.As(err, new(*dreamstudio.MemoryWaitError))
}
