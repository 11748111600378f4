package dreamstudio

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
)

// DefaultMaxImageBytesInFlight bounds the bytes that all of a client's image downloads hold at
// once, when no WithMaxImageBytesInFlight is given: two images at the 50 MiB limit, or dozens
// of ordinary 1-3 MiB ones.
const DefaultMaxImageBytesInFlight = 128 << 20

// WithMaxImageBytesInFlight bounds the bytes that the client's image downloads hold at once,
// whatever their number; a download waits for its share (or for its context to end). n must
// be at least MaxImageBytes, the most one image may take. The default is
// DefaultMaxImageBytesInFlight.
func WithMaxImageBytesInFlight(n int64) Option {
	return func(c *Client) { c.memory = newMemoryBudget(n) }
}

// memoryBudget bounds the bytes held by a client's downloads as a whole. A download whose size
// is announced takes it all before reading; one whose size is not takes bytes as they arrive.
// Downloads that hold bytes and wait for more could wait for each other forever, so a share
// grows only while every download could still finish, each growing to its claim, in some order
// (the banker's algorithm): with a 128 MiB budget and 50 MiB claims, ordinary images all arrive
// at once while at most a few near the limit grow together.
type memoryBudget struct {
	limit int64

	mu sync.Mutex
	// The fields below are guarded by mu.
	used    int64
	shares  map[*share]struct{}
	changed chan struct{} // closed and replaced whenever a share is given back
}

func newMemoryBudget(limit int64) *memoryBudget {
	return &memoryBudget{limit: limit, shares: make(map[*share]struct{}), changed: make(chan struct{})}
}

// share is what one download holds of a memoryBudget.
type share struct {
	b     *memoryBudget
	claim int64 // the most the download will hold
	held  int64 // guarded by b.mu
}

// open starts the share of a download that will hold at most claim bytes; claim must not exceed
// the limit. The caller must close it.
func (b *memoryBudget) open(claim int64) *share {
	s := &share{b: b, claim: claim}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.shares[s] = struct{}{}
	return s
}

// grow waits until s may hold n more bytes, or ctx ends.
func (s *share) grow(ctx context.Context, n int64) error {
	b := s.b
	for {
		b.mu.Lock()
		if s.held+n > s.claim {
			b.mu.Unlock()
			return fmt.Errorf("dreamstudio: bug: share of %d bytes asked for %d more", s.claim, n)
		}
		if b.safeLocked(s, n) {
			s.held += n
			b.used += n
			b.mu.Unlock()
			return nil
		}
		changed := b.changed
		b.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return &MemoryWaitError{Err: ctx.Err()}
		}
	}
}

// close gives back everything s holds.
func (s *share) close() {
	b := s.b
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= s.held
	s.held = 0
	delete(b.shares, s)
	close(b.changed)
	b.changed = make(chan struct{})
}

// safeLocked reports whether giving s n more bytes leaves an order in which every share can
// grow to its claim and finish. Finishing only frees bytes, so taking shares by smallest
// remaining need finds such an order whenever one exists. b.mu must be held.
func (b *memoryBudget) safeLocked(s *share, n int64) bool {
	free := b.limit - b.used - n
	if free < 0 {
		return false
	}
	type state struct{ need, held int64 }
	states := make([]state, 0, len(b.shares))
	for o := range b.shares {
		st := state{need: o.claim - o.held, held: o.held}
		if o == s {
			st.need, st.held = st.need-n, st.held+n
		}
		states = append(states, st)
	}
	slices.SortFunc(states, func(x, y state) int { return cmp.Compare(x.need, y.need) })
	for _, st := range states {
		if st.need > free {
			return false
		}
		free += st.held
	}
	return true
}

// MemoryWaitError is a download that ran out of time waiting for its share of the memory that
// image downloads may hold together: the bot was busy receiving other large images, the API did
// nothing wrong, and the image it made is lost.
type MemoryWaitError struct{ Err error }

func (e *MemoryWaitError) Error() string { return "wait for image memory: " + e.Err.Error() }
func (e *MemoryWaitError) Unwrap() error { return e.Err }
