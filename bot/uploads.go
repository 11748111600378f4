package bot

import (
	"context"
	"net/http"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// MaxUploadBytes is the most Discord takes in one message's files from a bot: 10 MiB, unless the
// server's boosts raise it, which a bot cannot count on. Files over it are not sent: the answer
// says where the image was saved instead, decided before the upload rather than after a 413.
const MaxUploadBytes = 10 << 20

// DefaultUploadBudget bounds the bytes of files that uploads under way hold together.
const DefaultUploadBudget = 64 << 20

// LimitUploads returns rest with every call that carries files holding their size from a budget
// of max bytes shared by all calls, so that a burst of uploads cannot hold more than max bytes of
// files (each is copied into a request body) at once.
func LimitUploads(rest REST, max int64) REST {
	return &limitedUploads{REST: rest, budget: newByteBudget(max)}
}

type limitedUploads struct {
	REST
	budget *byteBudget
}

func (l *limitedUploads) InteractionRespond(i *discordgo.Interaction, r *discordgo.InteractionResponse, opts ...discordgo.RequestOption) error {
	var files []*discordgo.File
	if r.Data != nil {
		files = r.Data.Files
	}
	release, err := l.hold(files, opts)
	if err != nil {
		return err
	}
	defer release()
	return l.REST.InteractionRespond(i, r, opts...)
}

func (l *limitedUploads) InteractionResponseEdit(i *discordgo.Interaction, e *discordgo.WebhookEdit, opts ...discordgo.RequestOption) (*discordgo.Message, error) {
	release, err := l.hold(e.Files, opts)
	if err != nil {
		return nil, err
	}
	defer release()
	return l.REST.InteractionResponseEdit(i, e, opts...)
}

func (l *limitedUploads) FollowupMessageCreate(i *discordgo.Interaction, wait bool, p *discordgo.WebhookParams, opts ...discordgo.RequestOption) (*discordgo.Message, error) {
	release, err := l.hold(p.Files, opts)
	if err != nil {
		return nil, err
	}
	defer release()
	return l.REST.FollowupMessageCreate(i, wait, p, opts...)
}

func (l *limitedUploads) ChannelMessageSendComplex(channelID string, m *discordgo.MessageSend, opts ...discordgo.RequestOption) (*discordgo.Message, error) {
	release, err := l.hold(m.Files, opts)
	if err != nil {
		return nil, err
	}
	defer release()
	return l.REST.ChannelMessageSendComplex(channelID, m, opts...)
}

// hold takes the files' bytes from the budget, waiting as long as the call's context allows.
func (l *limitedUploads) hold(files []*discordgo.File, opts []discordgo.RequestOption) (release func(), err error) {
	var n int64
	for _, f := range files {
		if s, ok := f.Reader.(interface{ Size() int64 }); ok {
			n += s.Size()
		}
	}
	if n == 0 {
		return func() {}, nil
	}
	return l.budget.acquire(requestContext(opts), n)
}

// requestContext is the context discordgo's options give a call (WithContext), or Background.
func requestContext(opts []discordgo.RequestOption) context.Context {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	cfg := &discordgo.RequestConfig{Request: req}
	for _, o := range opts {
		o(cfg)
	}
	return cfg.Request.Context()
}

// byteBudget hands out up to max bytes at a time; a request for more than max waits for all of
// it, so that one huge file still goes, alone.
type byteBudget struct {
	max int64

	// mu guards free and changed; changed is closed and replaced whenever bytes come back.
	mu      sync.Mutex
	free    int64
	changed chan struct{}
}

func newByteBudget(max int64) *byteBudget {
	return &byteBudget{max: max, free: max, changed: make(chan struct{})}
}

func (b *byteBudget) acquire(ctx context.Context, n int64) (release func(), err error) {
	n = min(n, b.max)
	for {
		b.mu.Lock()
		if b.free >= n {
			b.free -= n
			b.mu.Unlock()
			var once sync.Once
			return func() { once.Do(func() { b.release(n) }) }, nil
		}
		changed := b.changed
		b.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.free += n
	close(b.changed)
	b.changed = make(chan struct{})
}

// filesSize is the bytes of fs.
func filesSize(fs []File) int {
	n := 0
	for _, f := range fs {
		n += len(f.Data)
	}
	return n
}
