package sqlite_test

import (
	"context"
	"slices"
	"testing"
)

// The settings cache: every read follows the changes made before it, here
// or by another process sharing the file (another *sqlite.DB on it).
func TestGuildCacheFollowsChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		other bool // the change comes from another DB on the same file
	}{
		{name: "through UpdateGuild"},
		{name: "by another process", other: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := tempPath(t)
			db := MustOpen(t, path)
			writer := db
			if tt.other {
				writer = MustOpen(t, path)
			}
			for _, id := range []string{"sdxl", "sd15", "sd21"} {
				// With no change since the last read, a read comes from the cache.
				if _, err := db.Guild(ctx, "g1"); err != nil {
					t.Fatal(err)
				}
				before := db.GuildLoads()
				if _, err := db.Guild(ctx, "g1"); err != nil {
					t.Fatal(err)
				}
				if n := db.GuildLoads() - before; n != 0 {
					t.Fatalf("a read with no change since the last read the tables %d times, want 0 (the cache)", n)
				}
				saved, err := writer.UpdateGuild(ctx, "g1", "m1", "allow", allow(id))
				if err != nil {
					t.Fatal(err)
				}
				got, err := db.Guild(ctx, "g1")
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.AllowedEngines, saved.AllowedEngines) || !got.UpdatedAt.Equal(saved.UpdatedAt) {
					t.Fatalf("after allowing %s: got %+v, want %+v", id, got, saved)
				}
			}
		})
	}
}

// A caller that changes the settings it was given changes no one else's.
func TestGuildCacheHandsOutCopies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpen(t, tempPath(t))
	if _, err := db.UpdateGuild(ctx, "g1", "m1", "allow", allow("sdxl")); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		g, err := db.Guild(ctx, "g1")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := g.AllowedEngines, []string{"sdxl"}; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		g.AllowedEngines[0] = "changed"
	}
}
