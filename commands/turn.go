package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/budget"
	"dreambot/jobs"
)

// restartingNote replaces a job's place in the queue while the bot stops.
const restartingNote = "⏳ The bot is restarting. Your image is still coming: it will be made as soon as the bot is back."

// errCancelled is a job cancelled before its worker reached its turn.
var errCancelled = errors.New("job cancelled")

// ExpiredError is a job that could not start in time for Discord to show
// its image: Discord takes answers for 15 minutes.
type ExpiredError struct{}

func (*ExpiredError) Error() string { return "job expired before its turn" }

// waitTurn waits for the job's turn at the API. A job that has not started
// QueueNoticeAfter after it was accepted shows its place in the queue,
// updated every QueueUpdateEvery, with a Cancel button; shown reports
// whether it did. The wait ends in time for the generation to finish
// within the interaction's life.
func (w *Worker) waitTurn(ctx context.Context, j jobs.Job, p imageJob, ans *bot.Deferred, priority bool) (shown bool, err error) {
	s := w.s
	if !s.work.enter(j.ID, phaseWaiting) {
		return false, errCancelled
	}
	deadline := p.AcceptedAt.Add(interactionLife - s.cfg.GenerateTimeout - time.Minute)
	tctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	turned := make(chan error, 1)
	go func() {
		turned <- s.turns.Turn(tctx, budget.Ticket{ID: j.ID, Guild: j.Guild, Member: j.Member, Priority: priority})
	}()
	notice := time.NewTimer(max(0, time.Until(p.AcceptedAt.Add(s.cfg.QueueNoticeAfter))))
	defer notice.Stop()
	last := ""
	for {
		select {
		case err := <-turned:
			if err == nil && !s.work.enter(j.ID, phaseGenerating) {
				err = errCancelled // the click came as the turn did; the slot is lost, not the credits
			}
			if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				err = &ExpiredError{}
			}
			if err == nil && !priority && s.observer != nil {
				s.observer.JobWaited(time.Since(p.AcceptedAt))
			}
			return shown, err
		case <-notice.C:
			st, ok := s.turns.Status(j.ID)
			if !ok { // not in line yet: look again shortly
				notice.Reset(100 * time.Millisecond)
				continue
			}
			if text := w.placeText(st, p); text != last {
				last, shown = text, true
				w.progress(ctx, ans, text, true, j.ID)
			}
			notice.Reset(s.cfg.QueueUpdateEvery)
		}
	}
}

// placeText says where a waiting job stands.
func (w *Worker) placeText(st budget.Status, p imageJob) string {
	var b strings.Builder
	eta := st.Start + w.s.work.typicalGeneration()
	fmt.Fprintf(&b, "⏳ Queued: #%d, about %s.", st.Position, humanWait(eta))
	if !st.PausedUntil.IsZero() {
		fmt.Fprintf(&b, "\nDreamStudio asked the bot to slow down: the queue resumes in about %s.", humanWait(time.Until(st.PausedUntil)))
	}
	fmt.Fprintf(&b, "\n> %s", escapeMarkdown(truncate(p.Prepared.Request.Prompt, 200)))
	return b.String()
}

// progressTimeout bounds a progress note, which shutdown waits for.
const progressTimeout = 2 * time.Second

// progress shows text in the job's message; with cancel, under a Cancel
// button. Progress notes are best effort.
func (w *Worker) progress(ctx context.Context, ans *bot.Deferred, text string, cancel bool, id int64) {
	resp := &bot.Response{Content: text}
	if cancel {
		resp.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Cancel", Style: discordgo.SecondaryButton, CustomID: cancelPrefix + ":" + strconv.FormatInt(id, 10)},
		}}}
	}
	ctx, stop := context.WithTimeout(ctx, progressTimeout)
	defer stop()
	if err := ans.Progress(ctx, resp); err != nil {
		w.s.log.Warn("could not update a queued job's message", "job", id, "err", err)
	}
}
