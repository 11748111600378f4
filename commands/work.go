package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"dreambot/bot"
	"dreambot/budget"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/jobs"
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
	Delivered    bool   `json:"delivered,omitempty"`
}

// workState is what the handlers and the worker share about this run's
// jobs.
type workState struct {
	acks    acks
	refunds refunds

	// mu guards phase and typical.
	mu sync.Mutex
	// phase is a job's place in its life in this run: waiting for its
	// turn, generating, or cancelled (by a click that came first).
	phase map[int64]string
	// typical is how long a generation usually takes, for estimates.
	typical time.Duration
}

const (
	phaseWaiting    = "waiting"
	phaseGenerating = "generating"
	phaseCancelled  = "cancelled"
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

func (w *workState) forget(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.phase, id)
}

// cancel marks job id cancelled unless it is generating already.
func (w *workState) cancel(id int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.phase == nil {
		w.phase = map[int64]string{}
	}
	if w.phase[id] == phaseGenerating {
		return false
	}
	w.phase[id] = phaseCancelled
	return true
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
func (w *Worker) Work(ctx context.Context, j jobs.Job) error {
	s := w.s
	var p imageJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
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
	defer s.work.forget(j.ID)
	s.work.acks.wait(ctx, p.Ref.ID)

	switch {
	case done.Delivered:
		return nil
	case done.Saved:
		log.Info("delivering an image saved before a restart", "path", done.Path)
		png, err := os.ReadFile(done.Path)
		if err != nil {
			log.Error("saved image unreadable", "path", done.Path, "err", err)
		}
		res := &generate.Result{Path: done.Path, PNG: png, Seed: done.Seed, FinishReason: done.FinishReason, Request: p.Request}
		return w.deliver(ctx, j, p, res, ans, log)
	}

	for priority := false; ; priority = true {
		shown, err := w.waitTurn(ctx, j, p, ans, priority)
		if err != nil {
			return w.notStarted(ctx, j, p, ans, err, log)
		}
		if shown {
			w.progress(ctx, ans, fmt.Sprintf("🎨 Generating with %s…", escapeMarkdown(p.EngineName)), false, j.ID)
		}
		res, err := w.generate(ctx, j, p)
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
			w.fail(ctx, ans, fmt.Errorf("imagine with %s: %w", p.Request.Engine, err), log)
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
	req := p.Request
	req.Guild, req.Member = j.Guild, j.Member
	gctx, cancel := context.WithTimeout(ctx, s.cfg.GenerateTimeout)
	defer cancel()
	start := time.Now()
	res, err := s.gen.Generate(gctx, req)
	if err != nil {
		return nil, err
	}
	s.work.observe(time.Since(start))
	if res.Path != "" {
		rec, _ := json.Marshal(progress{Saved: true, Path: res.Path, Seed: res.Seed, FinishReason: res.FinishReason})
		if err := s.queue.SetProgress(context.WithoutCancel(ctx), j.ID, rec); err != nil {
			s.log.Error("could not record a saved image", "job", j.ID, "path", res.Path, "err", err)
		}
	}
	return res, nil
}

// deliver answers with the finished image and records that it was.
func (w *Worker) deliver(ctx context.Context, j jobs.Job, p imageJob, res *generate.Result, ans *bot.Deferred, log *slog.Logger) error {
	s := w.s
	ctx = context.WithoutCancel(ctx) // an image made is delivered, even during shutdown
	if res.FinishReason == dreamstudio.FinishError {
		w.fail(ctx, ans, &GenerationError{Engine: p.Request.Engine, Path: res.Path}, log)
	} else {
		resp := imageResponse(res, p.engine())
		resp.Components = s.againButton(ctx, p.Ref.GuildID, p.Ref.UserID, p.Request)
		if err := ans.Answer(ctx, resp); err != nil {
			log.Error("could not deliver the image", "path", res.Path, "err", err)
		}
	}
	rec, _ := json.Marshal(progress{Delivered: true, Path: res.Path, Seed: res.Seed, FinishReason: res.FinishReason})
	if err := s.queue.SetProgress(ctx, j.ID, rec); err != nil {
		log.Warn("could not record a delivery", "err", err)
	}
	return nil
}

// fail tells the member what went wrong: privately while the interaction
// lives, in the channel after that (see bot.Deferred.Answer).
func (w *Worker) fail(ctx context.Context, ans *bot.Deferred, err error, log *slog.Logger) {
	resp, memberFault := Describe(err)
	if !memberFault {
		log.Error("image job failed", "err", err)
	}
	if err := ans.Answer(context.WithoutCancel(ctx), resp); err != nil {
		log.Error("could not tell the member", "err", err)
	}
}

// notStarted ends a job that never got its turn: cancelled, out of time,
// or held back because the bot is stopping.
func (w *Worker) notStarted(ctx context.Context, j jobs.Job, p imageJob, ans *bot.Deferred, err error, log *slog.Logger) error {
	s := w.s
	switch {
	case errors.Is(err, budget.ErrClosed) || ctx.Err() != nil:
		w.progress(context.WithoutCancel(ctx), ans, restartingNote, true, j.ID)
		return jobs.Later(0)
	case errors.Is(err, budget.ErrCancelled) || errors.Is(err, errCancelled):
		s.work.refunds.give(j.ID, true)
		if err := ans.Answer(context.WithoutCancel(ctx), &bot.Response{Content: cancelledNote}); err != nil {
			log.Warn("could not show the cancellation", "err", err)
		}
		return nil
	default: // out of time
		s.work.refunds.give(j.ID, true)
		log.Warn("image job expired before its turn", "waited", time.Since(p.AcceptedAt).Round(time.Second))
		w.fail(ctx, ans, &ExpiredError{}, log)
		return nil
	}
}

// refundable reports whether err means the API made nothing it could
// charge for: it refused the request, or the request was never sent. A
// timeout keeps the tokens: the API may have made the image all the same.
func refundable(err error) bool {
	var api *dreamstudio.Error
	var ve *dreamstudio.ValidationError
	return errors.As(err, &api) || errors.As(err, &ve)
}
