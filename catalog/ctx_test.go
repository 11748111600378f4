package catalog_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"dreambot/catalog"
	"dreambot/dreamstudio"
)

type ctxKey struct{}

func TestCallerGivesUpFetchGoesOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ctx     func(context.Context) (context.Context, context.CancelFunc)
		cancel  bool // cancel once the upstream call is running, rather than wait for a deadline
		wantErr error
		elapsed time.Duration
	}{
		{"deadline", func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 2*time.Second)
		}, false, context.DeadlineExceeded, 2 * time.Second},
		{"cancel", context.WithCancel, true, context.Canceled, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t)
				ctx, cancel := tt.ctx(context.WithValue(t.Context(), ctxKey{}, "trace"))
				defer cancel()

				start := time.Now() // the bubble's fake time
				errc := make(chan error, 1)
				go func() {
					_, err := h.cache.Engines(ctx)
					errc <- err
				}()
				synctest.Wait()
				upstream := h.src.next(t)
				if tt.cancel {
					cancel()
				}
				if err := <-errc; !errors.Is(err, tt.wantErr) {
					t.Fatalf("Engines error = %v, want %v", err, tt.wantErr)
				}
				if elapsed := time.Since(start); elapsed != tt.elapsed {
					t.Fatalf("Engines returned after %v, want %v", elapsed, tt.elapsed)
				}

				// The upstream call is still alive, keeps the caller's values, and serves
				// whoever asks next.
				if err := upstream.ctx.Err(); err != nil {
					t.Fatalf("upstream context ended with the caller's: %v", err)
				}
				if v := upstream.ctx.Value(ctxKey{}); v != "trace" {
					t.Errorf("upstream context value = %v, want the caller's", v)
				}
				want := loadEngines(t)
				got := make(chan []dreamstudio.Engine, 1)
				go func() {
					es, _ := h.cache.Engines(t.Context())
					got <- es
				}()
				synctest.Wait()
				h.src.assertIdle(t)
				upstream.reply <- result{es: want}
				if es := <-got; !reflect.DeepEqual(es, want) {
					t.Fatalf("next caller got %v, want %v", es, want)
				}
				if n := h.src.calls.Load(); n != 1 {
					t.Fatalf("upstream calls = %d, want 1", n)
				}
			})
		})
	}
}

func TestFetchIsBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		src := newFakeSource() // never answers
		c := catalog.New(src, ttl, catalog.WithFetchTimeout(5*time.Second))
		start := time.Now()
		_, err := c.Engines(t.Context())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Engines error = %v, want %v", err, context.DeadlineExceeded)
		}
		if elapsed := time.Since(start); elapsed != 5*time.Second {
			t.Fatalf("gave up after %v, want 5s", elapsed)
		}
	})
}

func TestSourcePanicReleasesWaiters(t *testing.T) {
	t.Parallel()
	c := catalog.New(sourceFunc(func(context.Context) ([]dreamstudio.Engine, error) {
		panic("boom")
	}), ttl)
	if _, err := c.Engines(t.Context()); err == nil {
		t.Fatal("Engines returned no error after the source panicked")
	}
}
