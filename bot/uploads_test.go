package bot_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
)

// holdingREST blocks every edit until released, and records how many bytes of files the edits
// under way hold together at most.
type holdingREST struct {
	bot.REST
	release chan struct{}
	entered chan struct{}

	mu         sync.Mutex
	held, peak int
}

func (h *holdingREST) InteractionResponseEdit(_ *discordgo.Interaction, e *discordgo.WebhookEdit, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	n := 0
	for _, f := range e.Files {
		n += f.Reader.(*bytes.Reader).Len()
	}
	h.mu.Lock()
	h.held += n
	h.peak = max(h.peak, h.held)
	h.mu.Unlock()
	h.entered <- struct{}{}
	<-h.release
	h.mu.Lock()
	h.held -= n
	h.mu.Unlock()
	return &discordgo.Message{}, nil
}

func TestLimitUploadsBoundsTheBytesHeld(t *testing.T) {
	t.Parallel()
	const file, budget = 4 << 20, 10 << 20 // two files fit, a third waits
	h := &holdingREST{release: make(chan struct{}), entered: make(chan struct{}, 10)}
	rest := bot.LimitUploads(h, budget)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			edit := &discordgo.WebhookEdit{Files: []*discordgo.File{{Name: "a.png", Reader: bytes.NewReader(make([]byte, file))}}}
			if _, err := rest.InteractionResponseEdit(&discordgo.Interaction{}, edit); err != nil {
				t.Error(err)
			}
		})
	}
	<-h.entered
	<-h.entered // two uploads are under way; the others wait for their bytes
	select {
	case <-h.entered:
		t.Error("a third upload started while two held the budget")
	default:
	}
	close(h.release)
	wg.Wait()
	if h.peak > budget {
		t.Errorf("uploads held %d bytes at once, budget %d", h.peak, budget)
	}
}

func TestLimitUploadsHonoursTheCallsContext(t *testing.T) {
	t.Parallel()
	h := &holdingREST{release: make(chan struct{}), entered: make(chan struct{}, 10)}
	rest := bot.LimitUploads(h, 1<<20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		edit := &discordgo.WebhookEdit{Files: []*discordgo.File{{Name: "a.png", Reader: bytes.NewReader(make([]byte, 1<<20))}}}
		_, _ = rest.InteractionResponseEdit(&discordgo.Interaction{}, edit)
	}()
	<-h.entered // holds the whole budget
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	edit := &discordgo.WebhookEdit{Files: []*discordgo.File{{Name: "b.png", Reader: bytes.NewReader(make([]byte, 10))}}}
	if _, err := rest.InteractionResponseEdit(&discordgo.Interaction{}, edit, discordgo.WithContext(ctx)); err == nil {
		t.Error("an upload waiting for bytes ignored its cancelled context")
	}
	close(h.release)
	<-done
}
