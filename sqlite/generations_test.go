package sqlite_test

import (
	"context"
	"testing"
	"time"

	"dreambot/sqlite"
)

func TestRememberGeneration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newClock()
	path := tempPath(t)
	db := MustOpen(t, path, sqlite.WithClock(clock.Now))

	id, err := db.RememberGeneration(ctx, "g1", "m1", []byte(`{"prompt":"a cat"}`))
	if err != nil {
		t.Fatal(err)
	}
	MustClose(t, db)
	db = MustOpen(t, path, sqlite.WithClock(clock.Now)) // survives a restart
	t.Cleanup(func() { MustClose(t, db) })
	guild, req, err := db.Generation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if guild != "g1" || string(req) != `{"prompt":"a cat"}` {
		t.Errorf("got %q, %s", guild, req)
	}
	if _, req, err := db.Generation(ctx, id+1); req != nil || err != nil {
		t.Errorf("unknown id: %s, %v; want nothing", req, err)
	}
	if _, err := db.RememberGeneration(ctx, "g1", "m1", []byte(`not json`)); err == nil {
		t.Error("a request that is not JSON was stored")
	}

	// Old requests are dropped when new ones arrive.
	clock.Add(sqlite.GenerationRetention + time.Second)
	if _, err := db.RememberGeneration(ctx, "g1", "m2", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if _, req, err := db.Generation(ctx, id); req != nil || err != nil {
		t.Errorf("a request past retention: %s, %v; want nothing", req, err)
	}
}
