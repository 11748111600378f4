package discordtest

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"sync"
)

// discordEpoch is the first millisecond of 2015 in Unix milliseconds, the origin of snowflakes.
const discordEpoch = 1420070400000

// snowflakes hands out unique, increasing Discord ids built from the fake clock.
type snowflakes struct {
	clock *Clock

	mu   sync.Mutex
	last uint64
}

func newSnowflakes(c *Clock) *snowflakes { return &snowflakes{clock: c} }

func (g *snowflakes) next() string {
	ms := uint64(g.clock.Now().UnixMilli() - discordEpoch)
	id := ms << 22
	g.mu.Lock()
	defer g.mu.Unlock()
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return strconv.FormatUint(id, 10)
}

// randomToken returns n random bytes in URL-safe base64, for tokens and session ids.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms.
	return base64.RawURLEncoding.EncodeToString(b)
}
