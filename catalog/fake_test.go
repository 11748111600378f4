package catalog_test

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dreambot/dreamstudio"
)

// request is one upstream call held by fakeSource until the test answers it.
type request struct {
	ctx   context.Context
	reply chan<- result
}

type result struct {
	es  []dreamstudio.Engine
	err error
}

// fakeSource is a Source whose every call waits for the test to answer it, so a test decides
// when the API is slow, down, or back.
type fakeSource struct {
	calls atomic.Int32
	reqs  chan request
}

func newFakeSource() *fakeSource { return &fakeSource{reqs: make(chan request)} }

func (f *fakeSource) ListEngines(ctx context.Context) (dreamstudio.EngineList, error) {
	f.calls.Add(1)
	reply := make(chan result, 1)
	select {
	case f.reqs <- request{ctx: ctx, reply: reply}:
	case <-ctx.Done():
		return dreamstudio.EngineList{}, ctx.Err()
	}
	select {
	case r := <-reply:
		return dreamstudio.EngineList{Engines: r.es}, r.err
	case <-ctx.Done():
		return dreamstudio.EngineList{}, ctx.Err()
	}
}

// next returns the upstream call waiting to be answered. Call it after synctest.Wait, when
// any call that was started is blocked waiting.
func (f *fakeSource) next(t *testing.T) request {
	t.Helper()
	select {
	case r := <-f.reqs:
		return r
	default:
		t.Fatal("no upstream call pending")
		return request{}
	}
}

// assertIdle fails if an upstream call is waiting. Call it after synctest.Wait.
func (f *fakeSource) assertIdle(t *testing.T) {
	t.Helper()
	select {
	case r := <-f.reqs:
		r.reply <- result{}
		t.Fatal("unexpected upstream call")
	default:
	}
}

// sourceFunc adapts a function to Source, for tests that need no control over timing.
type sourceFunc func(ctx context.Context) ([]dreamstudio.Engine, error)

func (f sourceFunc) ListEngines(ctx context.Context) (dreamstudio.EngineList, error) {
	es, err := f(ctx)
	return dreamstudio.EngineList{Engines: es}, err
}

// clock is a fake clock that only moves when the test says so.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// loadEngines reads the engine list of the API description's example.
func loadEngines(t *testing.T) []dreamstudio.Engine {
	t.Helper()
	b, err := os.ReadFile("testdata/engines.json")
	if err != nil {
		t.Fatal(err)
	}
	var es []dreamstudio.Engine
	if err := json.Unmarshal(b, &es); err != nil {
		t.Fatal(err)
	}
	if len(es) < 2 {
		t.Fatalf("testdata/engines.json holds %d engines, want at least 2", len(es))
	}
	return es
}
