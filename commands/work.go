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
	"slices"
	"strings"
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
	// Images are the images made and saved so far, in order (a job may make several).
	Images []made `json:"images,omitempty"`
	// Saved and the fields after it are how one saved image was recorded before jobs made
	// several; they are still read (see madeSoFar).
	Saved        bool   `json:"saved,omitempty"`
	Path         string `json:"path,omitempty"`
	Seed         uint32 `json:"seed,omitempty"`
	FinishReason string `json:"finish_reason,omitempty"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	Attempt      int    `json:"attempt,omitempty"`
	// Partial, when set, is why the job stopped before making all its images: the ones made are
	// delivered with it, and no more are made (nor paid for).
	Partial   string `json:"partial,omitempty"`
	Delivered bool   `json:"delivered,omitempty"`
	// Answer is a final answer other than an image (a failure, a
	// cancellation), recorded before it is sent: a job that a crash
	// interrupts after that sends the same answer again (an edit of the
	// same message) instead of working again.
	Answer string `json:"answer,omitempty"`
}

// made is one image a job made and saved.
type made struct {
	Path         string `json:"path"`
	Seed         uint32 `json:"seed,omitempty"`
	FinishReason string `json:"finish_reason,omitempty"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	// Attempt is the attempt of the job that made the image: the one that paid for it.
	Attempt int `json:"attempt,omitempty"`
	// legacy marks an image recorded the way single images were: its usage record has the key
	// of that time.
	legacy bool
}

// madeSoFar returns the images saved so far, whichever way they were recorded.
func (pr progress) madeSoFar() []made {
	if len(pr.Images) == 0 && pr.Saved {
		return []made{{Path: pr.Path, Seed: pr.Seed, FinishReason: pr.FinishReason, Width: pr.Width, Height: pr.Height,
			Attempt: pr.Attempt, legacy: true}}
	}
	return pr.Images
}

// workState is what the handlers and the worker share about this run's
// jobs.
type workState struct {
	acks    acks
	refunds refunds
	// spending is held from a server's budget check to its enqueue.
	spending sync.Mutex
	// fitting holds the one member's picture being decoded and fitted.
	fitting chan struct{}

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
			err = nil
			if paths := w.savedPaths(ctx, j); len(paths) > 0 {
				// Paid for and saved: the member learns where, at least.
				w.answer(ctx, j, ans, &bot.Response{Content: truncate("Sorry, something went wrong while showing your images. "+
					"They are saved on the bot's disk:\n"+strings.Join(paths, "\n"), 2000)}, log)
				return
			}
			w.fail(ctx, j, ans, fmt.Errorf("job panicked: %v", v), log)
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
	case j.Attempt > maxInterruptions && len(done.madeSoFar()) == 0:
		log.Error("image job given up: the bot stopped while working it every time")
		w.answer(ctx, j, ans, &bot.Response{Content: "Sorry, the bot stopped several times while making this image, so I gave up on it. " +
			"Please try again; if it happens again, let the bot's operator know."}, log)
		return nil
	}
	images := done.madeSoFar()
	for i, m := range images {
		if m.FinishReason != dreamstudio.FinishError {
			w.spent(ctx, j, p, m, i, false, log) // again: the crash may have come before it was recorded
		}
	}
	if len(images) > 0 {
		s.work.enter(j.ID, phaseGenerating)
		log.Info("resuming a job with images saved before a restart", "images", len(images))
	}
	partial := done.Partial
	if partial == "" && len(images) > 0 && len(images) < p.count() && j.Attempt > maxInterruptions {
		partial = w.stopAt(ctx, j, images, p, fmt.Sprintf("⚠️ Only %d of %d images could be made: the bot stopped while making the next one, several times.",
			len(images), p.count()), log)
	}
	for partial == "" && len(images) < p.count() {
		var err error
		images, err = w.makeOne(ctx, j, p, ans, images, log)
		switch {
		case errors.Is(err, errStopping):
			return jobs.Later(0) // what was saved is in the progress record
		case err != nil && len(images) == 0:
			return w.failed(ctx, j, p, ans, err, log)
		case err != nil:
			// Some images exist: they are shown, with what became of the rest, and no more are made.
			log.Warn("an image of several could not be made", "made", len(images), "err", err)
			partial = w.stopAt(ctx, j, images, p, partialNote(err, len(images), p.count()), log)
		}
	}
	// An ERROR finish gives nothing worth showing: the tokens come back when nothing else came.
	s.work.refunds.give(j.ID, !slices.ContainsFunc(images, func(m made) bool { return m.FinishReason != dreamstudio.FinishError }))
	return w.deliver(ctx, j, p, images, partial, ans, log)
}

// stopAt records that the job stops with images and why, before they are delivered: a delivery
// retried or replayed after a crash makes no more.
func (w *Worker) stopAt(ctx context.Context, j jobs.Job, images []made, p imageJob, note string, log *slog.Logger) string {
	rec, _ := json.Marshal(progress{Images: images, Partial: note})
	if err := w.s.queue.SetProgress(context.WithoutCancel(ctx), j.ID, rec); err != nil {
		log.Error("could not record where the job stopped", "err", err)
	}
	return note
}

// partialNote says why a job made only some of its images.
func partialNote(err error, madeN, count int) string {
	switch {
	case errors.Is(err, budget.ErrCancelled) || errors.Is(err, errCancelled):
		return fmt.Sprintf("✖️ Cancelled after %d of %d images; the rest were not made nor paid for.", madeN, count)
	case errors.As(err, new(*ExpiredError)):
		return fmt.Sprintf("⚠️ Only %d of %d images could be made in time; the rest were not paid for.", madeN, count)
	}
	resp, _ := Describe(err)
	return fmt.Sprintf("⚠️ Only %d of %d images could be made: %s", madeN, count, resp.Content)
}

// savedPaths reads back the paths of the images the job saved, for a last answer.
func (w *Worker) savedPaths(ctx context.Context, j jobs.Job) []string {
	pending, err := w.s.queue.Pending(context.WithoutCancel(ctx), j.Guild)
	if err != nil {
		return nil
	}
	for _, pj := range pending {
		var pr progress
		if pj.ID == j.ID && json.Unmarshal(pj.Progress, &pr) == nil {
			var paths []string
			for _, m := range pr.madeSoFar() {
				paths = append(paths, "`"+m.Path+"`")
			}
			return paths
		}
	}
	return nil
}

// errStopping is a job interrupted because the bot is stopping: it resumes at the next start.
var errStopping = errors.New("the bot is stopping")

// makeOne waits for the job's turn, makes its next image, saves it and records it (before
// anything else), and returns the images with it. Its errors are errStopping, or what the member
// is told: a refusal, a failure, a cancellation, an expiry.
func (w *Worker) makeOne(ctx context.Context, j jobs.Job, p imageJob, ans *bot.Deferred, images []made, log *slog.Logger) ([]made, error) {
	s := w.s
	i := len(images)
	for priority := i > 0; ; priority = true {
		shown, err := w.waitTurn(ctx, j, p, ans, priority)
		if err != nil {
			if errors.Is(err, budget.ErrClosed) || ctx.Err() != nil {
				w.progress(context.WithoutCancel(ctx), ans, restartingNote, true, j.ID)
				return images, errStopping
			}
			return images, err
		}
		var noted chan struct{}
		if shown || i > 0 || j.Attempt > 1 || time.Since(p.AcceptedAt) > s.cfg.QueueNoticeAfter {
			// The request goes out now, as the budget counted it; the
			// note follows.
			noted = make(chan struct{})
			note := fmt.Sprintf("🎨 Generating with %s…", escapeMarkdown(p.EngineName))
			if p.count() > 1 {
				note = fmt.Sprintf("🎨 Generating image %d of %d with %s…", i+1, p.count(), escapeMarkdown(p.EngineName))
			}
			go func() {
				defer close(noted)
				w.progress(context.WithoutCancel(ctx), ans, note, false, j.ID)
			}()
		}
		res, err := w.generate(ctx, j, p, i)
		if err == nil && res.Path != "" {
			images = append(images, made{Path: res.Path, Seed: res.Seed, FinishReason: res.FinishReason,
				Width: res.Width, Height: res.Height, Attempt: j.Attempt})
			rec, _ := json.Marshal(progress{Images: images})
			if err := s.queue.SetProgress(context.WithoutCancel(ctx), j.ID, rec); err != nil {
				log.Error("could not record a saved image", "path", res.Path, "err", err)
			}
		}
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
			return images, errStopping
		}
		if err != nil {
			return images, fmt.Errorf("imagine with %s: %w", p.EngineName, err)
		}
		if res.Path == "" {
			// Not on the disk: shown now, as it is, since a crash would lose it anyway.
			return images, &unsavedError{res: res}
		}
		return images, nil
	}
}

// failed ends a job that made no image.
func (w *Worker) failed(ctx context.Context, j jobs.Job, p imageJob, ans *bot.Deferred, err error, log *slog.Logger) error {
	var unsaved *unsavedError
	switch {
	case errors.As(err, &unsaved):
		w.s.work.refunds.give(j.ID, false)
		return w.deliverUnsaved(ctx, j, p, unsaved.res, ans, log)
	case errors.Is(err, budget.ErrCancelled) || errors.Is(err, errCancelled) || w.s.work.cancelled(j.ID) || errors.As(err, new(*ExpiredError)):
		return w.notStarted(ctx, j, p, ans, err, log)
	}
	w.s.work.refunds.give(j.ID, refundable(err))
	w.fail(ctx, j, ans, err, log)
	return nil
}

// unsavedError carries an image made but not saved on the disk.
type unsavedError struct{ res *generate.Result }

func (e *unsavedError) Error() string { return "image not saved: " + e.res.SaveErr.Error() }

// generate makes and saves the job's image number i (from 0). Images after the first of a job
// that asked for a seed take the following seeds, so that they differ.
func (w *Worker) generate(ctx context.Context, j jobs.Job, p imageJob, i int) (*generate.Result, error) {
	s := w.s
	gctx, cancel := context.WithTimeout(ctx, s.cfg.GenerateTimeout)
	defer cancel()
	prepared := p.Prepared
	if i > 0 && prepared.Request.Seed != 0 {
		var err error
		if prepared, err = generate.Prepare(prepared.Request.Nth(i)); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	res, err := s.gen.Generate(gctx, prepared, p.Ref.GuildID)
	if err != nil {
		if paid(err) {
			w.spent(ctx, j, p, made{Attempt: j.Attempt}, i, true, s.log.With("job", j.ID))
		}
		return nil, err
	}
	s.work.observe(time.Since(start))
	if res.FinishReason != dreamstudio.FinishError { // failed results are not charged
		w.spent(ctx, j, p, made{Attempt: j.Attempt}, i, true, s.log.With("job", j.ID))
	}
	return res, nil
}

// paid reports whether a failed generation was paid for all the same: the API answered 200, and
// the image could not be used.
func paid(err error) bool {
	return errors.As(err, new(*dreamstudio.BadImageError)) || errors.As(err, new(*dreamstudio.MemoryWaitError))
}

// spent records what the image number i of the job, paid for by m's attempt, cost: in the usage of
// the server (or the member's DMs), once however often a crash replays the record, and, when fresh
// (not a replay), in the balance the bot believes the account has.
func (w *Worker) spent(ctx context.Context, j jobs.Job, p imageJob, m made, i int, fresh bool, log *slog.Logger) {
	s := w.s
	credits, estimate := p.Prepared.Credits()
	if fresh {
		s.credits.spend(credits)
	}
	if s.usage == nil {
		return
	}
	key := fmt.Sprintf("%s/%d/%d", p.Ref.ID, m.Attempt, i)
	if m.legacy {
		key = fmt.Sprintf("%s/%d", p.Ref.ID, m.Attempt) // as single images were recorded
	}
	rec := usage.Record{Key: key, Guild: spendingKey(p.Ref.GuildID, p.Ref.UserID),
		Member: p.Ref.UserID, Engine: p.Prepared.Request.Model(), Credits: credits, Estimated: estimate, At: s.now()}
	if err := s.usage.RecordUsage(context.WithoutCancel(ctx), rec); err != nil {
		log.Error("could not record what an image cost", "credits", credits, "err", err)
	}
}

// deliver answers with the finished images, read back from the disk, and a note when not all
// could be made, then records that it did.
func (w *Worker) deliver(ctx context.Context, j jobs.Job, p imageJob, images []made, note string, ans *bot.Deferred, log *slog.Logger) error {
	s := w.s
	ctx = context.WithoutCancel(ctx) // an image made is delivered, even during shutdown
	var results []*generate.Result
	for _, m := range images {
		if m.FinishReason == dreamstudio.FinishError {
			continue // nothing worth showing
		}
		png, err := os.ReadFile(m.Path)
		if err != nil {
			log.Error("saved image unreadable", "path", m.Path, "err", err)
		}
		results = append(results, &generate.Result{Path: m.Path, PNG: png, Seed: m.Seed, FinishReason: m.FinishReason,
			Width: m.Width, Height: m.Height})
	}
	if len(results) == 0 {
		w.fail(ctx, j, ans, &GenerationError{Engine: p.EngineName, Path: images[0].Path}, log)
		return nil
	}
	resp := imagesResponse(results, p)
	if note != "" {
		resp.Content = truncate(resp.Content+"\n"+note, 2000)
	}
	resp.Components = s.resultButtons(ctx, p, results)
	if err := ans.Answer(ctx, resp); err != nil {
		if time.Since(p.AcceptedAt) < deliveryPatience {
			// Saved: try again shortly, without making it again.
			log.Warn("could not deliver the image: trying again", "images", len(results), "in", deliveryRetry, "err", err)
			return jobs.Later(deliveryRetry)
		}
		log.Error("could not deliver the image", "images", len(results), "err", err)
	}
	rec, _ := json.Marshal(progress{Delivered: true, Images: images})
	if err := s.queue.SetProgress(ctx, j.ID, rec); err != nil {
		log.Warn("could not record a delivery", "err", err)
	}
	return nil
}

// deliverUnsaved shows an image that could not be saved on the disk, from memory: once, since
// nothing could bring it back after a crash.
func (w *Worker) deliverUnsaved(ctx context.Context, j jobs.Job, p imageJob, res *generate.Result, ans *bot.Deferred, log *slog.Logger) error {
	ctx = context.WithoutCancel(ctx)
	resp := imagesResponse([]*generate.Result{res}, p)
	if err := ans.Answer(ctx, resp); err != nil {
		log.Error("could not deliver the image", "err", err)
	}
	rec, _ := json.Marshal(progress{Delivered: true})
	if err := w.s.queue.SetProgress(ctx, j.ID, rec); err != nil {
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
