package catalog_test

import (
	"bytes"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"dreambot/catalog"
	"dreambot/dreamstudio"
)

const ttl = 10 * time.Minute

// harness is a Cache over a fakeSource with a fake clock, and a channel that receives the
// outcome of every upstream call once the cache holds it.
type harness struct {
	src     *fakeSource
	clock   *clock
	fetched chan error
	log     *bytes.Buffer // written by the fetch goroutine; read only after a receive on fetched
	cache   *catalog.Cache
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{src: newFakeSource(), clock: newClock(), fetched: make(chan error, 1), log: new(bytes.Buffer)}
	h.cache = catalog.New(h.src, ttl,
		catalog.WithClock(h.clock.Now),
		catalog.WithLogger(slog.New(slog.NewTextHandler(h.log, nil))),
		catalog.WithFetchHook(func(err error) { h.fetched <- err }),
	)
	return h
}

// load fills the cache with es through one upstream call.
func (h *harness) load(t *testing.T, es []dreamstudio.Engine) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		_, err := h.cache.Engines(t.Context())
		errc <- err
	}()
	synctest.Wait()
	h.src.next(t).reply <- result{es: es}
	if err := <-h.fetched; err != nil {
		t.Fatalf("load: fetch hook got %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("load: Engines: %v", err)
	}
}

// engines calls Engines, which must answer without waiting for the source.
func (h *harness) engines(t *testing.T) []dreamstudio.Engine {
	t.Helper()
	es, err := h.cache.Engines(t.Context())
	if err != nil {
		t.Fatalf("Engines: %v", err)
	}
	return es
}

func TestColdStartSharesOneCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		want := loadEngines(t)
		const callers = 100
		var wg sync.WaitGroup
		got := make([][]dreamstudio.Engine, callers)
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() { got[i], errs[i] = h.cache.Engines(t.Context()) })
		}
		synctest.Wait() // every caller is now waiting on the source
		if n := h.src.calls.Load(); n != 1 {
			t.Fatalf("%d callers on an empty cache made %d upstream calls, want 1", callers, n)
		}
		h.src.next(t).reply <- result{es: want}
		wg.Wait()
		for i := range callers {
			if errs[i] != nil || !reflect.DeepEqual(got[i], want) {
				t.Fatalf("caller %d got %v, %v; want the list", i, got[i], errs[i])
			}
		}
		synctest.Wait()
		h.src.assertIdle(t)
	})
}

func TestFreshListMakesNoCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		want := loadEngines(t)
		h.load(t, want)
		h.clock.Add(ttl - time.Nanosecond)
		if got := h.engines(t); !reflect.DeepEqual(got, want) {
			t.Fatalf("Engines = %v, want %v", got, want)
		}
		synctest.Wait()
		h.src.assertIdle(t)
	})
}

func TestStaleListServedWhileOneRefreshRuns(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		old := loadEngines(t)
		h.load(t, old)
		h.clock.Add(ttl)

		// The source stays blocked: each call must answer from the old list at once.
		for range 10 {
			if got := h.engines(t); !reflect.DeepEqual(got, old) {
				t.Fatalf("stale Engines = %v, want the old list", got)
			}
		}
		synctest.Wait()
		refresh := h.src.next(t)
		h.src.assertIdle(t) // one refresh, not ten
		if _, ok := refresh.ctx.Deadline(); !ok {
			t.Error("the refresh has no deadline")
		}

		updated := old[:1]
		refresh.reply <- result{es: updated}
		if err := <-h.fetched; err != nil {
			t.Fatalf("fetch hook got %v", err)
		}
		if got := h.engines(t); !reflect.DeepEqual(got, updated) {
			t.Fatalf("Engines after refresh = %v, want %v", got, updated)
		}
		synctest.Wait()
		h.src.assertIdle(t)
		if n := h.src.calls.Load(); n != 2 {
			t.Fatalf("upstream calls = %d, want 2 (load and one refresh)", n)
		}
	})
}

func TestFailedRefreshKeepsListAndBacksOff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		old := loadEngines(t)
		h.load(t, old)
		h.clock.Add(ttl)

		h.engines(t)
		synctest.Wait()
		down := errors.New("503 service unavailable")
		h.src.next(t).reply <- result{err: down}
		if err := <-h.fetched; !errors.Is(err, down) {
			t.Fatalf("fetch hook got %v, want %v", err, down)
		}
		if log := h.log.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "component=catalog") {
			t.Errorf("log = %q, want a warning from the catalog component", log)
		}

		// Until the back-off is over, the old list is served and the API left alone.
		h.clock.Add(catalog.DefaultRetryAfter - time.Nanosecond)
		if got := h.engines(t); !reflect.DeepEqual(got, old) {
			t.Fatalf("Engines after failed refresh = %v, want the old list", got)
		}
		synctest.Wait()
		h.src.assertIdle(t)

		h.clock.Add(time.Nanosecond)
		if got := h.engines(t); !reflect.DeepEqual(got, old) {
			t.Fatalf("Engines = %v, want the old list", got)
		}
		synctest.Wait()
		h.src.next(t).reply <- result{es: old[1:]}
		if err := <-h.fetched; err != nil {
			t.Fatalf("fetch hook got %v", err)
		}
		if got := h.engines(t); !reflect.DeepEqual(got, old[1:]) {
			t.Fatalf("Engines after recovery = %v, want %v", got, old[1:])
		}
	})
}

func TestColdStartFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		down := errors.New("503 service unavailable")
		errc := make(chan error, 1)
		go func() {
			_, err := h.cache.Engines(t.Context())
			errc <- err
		}()
		synctest.Wait()
		h.src.next(t).reply <- result{err: down}
		if err := <-errc; !errors.Is(err, down) {
			t.Fatalf("Engines error = %v, want %v", err, down)
		}
		<-h.fetched

		// Callers right after get the same error without an upstream call
		// (a call would block on the fake source and fail the test)...
		if _, err := h.cache.Engines(t.Context()); !errors.Is(err, down) {
			t.Fatalf("Engines right after the failure = %v, want %v at once", err, down)
		}
		// ...and a few seconds later the next caller tries again.
		h.clock.Add(5 * time.Second)
		want := loadEngines(t)
		h.load(t, want)
		if got := h.engines(t); !reflect.DeepEqual(got, want) {
			t.Fatalf("Engines = %v, want %v", got, want)
		}
	})
}
