package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dreambot/bot"
	"dreambot/jobs"
)

const cancelPrefix = "cancel"

// cancelledNote replaces a cancelled job's message.
const cancelledNote = "✖️ Cancelled. Nothing was spent."

// cancel drops a waiting job, for its member or a moderator: nothing is
// spent and the member's rate-limit tokens come back.
func (s *Set) cancel(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	_, idText, _ := strings.Cut(r.MessageComponentData().CustomID, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, inputErrorf("That button doesn't work any more.")
	}
	j, p, err := s.pendingJob(ctx, queueKey(r), id)
	if err != nil {
		return nil, err
	}
	if j == nil || p.Ref.GuildID != r.GuildID {
		return nil, inputErrorf("That image isn't waiting any more: it was made, cancelled or has failed.")
	}
	moderator := r.Member != nil && r.Member.Permissions&moderatorPermissions != 0
	if j.Member != r.UserID() && !moderator {
		return nil, inputErrorf("Only the member who asked for this image, or a moderator, can cancel it.")
	}
	switch s.work.cancel(id) {
	case phasePicked, phaseWaiting:
		// A worker has it and answers, giving the tokens back.
		s.turns.Cancel(id)
		return &bot.Response{Content: "Cancelled. Nothing was spent.", Ephemeral: true}, nil
	case phaseGenerating:
		return nil, inputErrorf("Too late: that image is being made right now.")
	case phaseCancelled, phaseDone:
		return nil, inputErrorf("That image isn't waiting any more: it was made, cancelled or has failed.")
	}
	// No worker has it yet: make sure none ever will, then answer in its
	// place. (A worker that has just taken it answers instead.)
	cancelled, err := s.queue.Cancel(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("cancel job %d: %w", id, err)
	}
	if !cancelled {
		return nil, inputErrorf("That image isn't waiting any more: it was made, cancelled or has failed.")
	}
	if s.work.cancel(id) != "" {
		// A worker took it meanwhile: marked cancelled, it answers.
		return &bot.Response{Content: "Cancelled. Nothing was spent.", Ephemeral: true}, nil
	}
	s.work.refunds.give(id, true)
	if err := r.Answerer(p.Ref).Answer(ctx, &bot.Response{Content: cancelledNote}); err != nil {
		s.log.Warn("could not show the cancellation", "job", id, "err", err)
	}
	return &bot.Response{Content: "Cancelled. Nothing was spent.", Ephemeral: true}, nil
}

// pendingJob finds an unfinished job of guild; nil when there is none.
func (s *Set) pendingJob(ctx context.Context, guild string, id int64) (*jobs.Job, imageJob, error) {
	var p imageJob
	pending, err := s.queue.Pending(ctx, guild)
	if err != nil {
		return nil, p, fmt.Errorf("list jobs: %w", err)
	}
	for i := range pending {
		if pending[i].ID == id {
			if err := json.Unmarshal(pending[i].Payload, &p); err != nil {
				return nil, p, fmt.Errorf("read job %d: %w", id, err)
			}
			return &pending[i], p, nil
		}
	}
	return nil, p, nil
}

// showQueue lists what the server has waiting, for its moderators.
func (s *Set) showQueue(ctx context.Context, guildID string) (*bot.Response, error) {
	pending, err := s.queue.Pending(ctx, guildID)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	if len(pending) == 0 {
		return &bot.Response{Content: "Nothing is waiting in this server's queue.", Ephemeral: true}, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%d image(s) waiting or in progress in this server** (%d waiting for DreamStudio across all servers)\n", len(pending), s.turns.Len())
	for i, j := range pending {
		if i == 20 {
			fmt.Fprintf(&b, "…and %d more.\n", len(pending)-i)
			break
		}
		var p imageJob
		_ = json.Unmarshal(j.Payload, &p) // an unreadable one is still listed
		place := "queued"
		if st, ok := s.turns.Status(j.ID); ok {
			place = fmt.Sprintf("#%d", st.Position)
		} else if s.work.phaseOf(j.ID) == phaseGenerating {
			place = "generating"
		}
		fmt.Fprintf(&b, "%s · <@%s> · %s ago · %s\n", place, j.Member, humanWait(time.Since(j.CreatedAt)),
			escapeMarkdown(truncate(p.Prepared.Request.Prompt, 80)))
	}
	b.WriteString("Members (and moderators) can cancel a waiting image with its Cancel button.")
	return &bot.Response{Content: b.String(), Ephemeral: true}, nil
}
