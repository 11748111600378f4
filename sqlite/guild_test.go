package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"dreambot/settings"
	"dreambot/sqlite"
)

func allow(id string) func(*settings.Guild) (string, error) {
	return func(g *settings.Guild) (string, error) { return id, g.Allow(id) }
}

func TestGuildNothingStored(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, tempPath(t))
	got, err := db.Guild(context.Background(), "g1")
	if err != nil {
		t.Fatal(err)
	}
	if want := (settings.Guild{GuildID: "g1"}); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestUpdateGuildSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := tempPath(t)
	at := time.Date(2024, 5, 1, 12, 0, 0, 123456789, time.UTC)
	db := MustOpen(t, path, sqlite.WithClock(func() time.Time { return at }))

	if _, err := db.UpdateGuild(ctx, "g1", "m1", "allow", allow("sdxl")); err != nil {
		t.Fatal(err)
	}
	saved, err := db.UpdateGuild(ctx, "g1", "m2", "configure", func(g *settings.Guild) (string, error) {
		if err := g.Allow("sd15"); err != nil {
			return "", err
		}
		if err := g.Block("esrgan"); err != nil {
			return "", err
		}
		if err := g.SetDefault("sdxl", nil); err != nil {
			return "", err
		}
		if err := g.SetDailyCredits(42.5); err != nil {
			return "", err
		}
		return "several", g.SetRate(3, 90*time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := settings.Guild{
		GuildID:        "g1",
		AllowedEngines: []string{"sd15", "sdxl"},
		BlockedEngines: []string{"esrgan"},
		DefaultEngine:  "sdxl",
		PerUserImages:  3,
		PerUserEvery:   90 * time.Second,
		DailyCredits:   42.5,
		UpdatedBy:      "m2",
		UpdatedAt:      at,
	}
	if !reflect.DeepEqual(saved, want) {
		t.Errorf("UpdateGuild returned %+v, want %+v", saved, want)
	}

	MustClose(t, db)
	db = MustOpen(t, path)
	got, err := db.Guild(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after reopen got %+v, want %+v", got, want)
	}
	if other, err := db.Guild(ctx, "g2"); err != nil || len(other.AllowedEngines) != 0 {
		t.Errorf("other guild got %+v, %v; want nothing configured", other, err)
	}
}

func TestUpdateGuildWritesNothingOnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		fn   func(*settings.Guild) (string, error)
		want error
	}{
		{"fn error", func(g *settings.Guild) (string, error) {
			g.Allow("other") // changed, then failed: must not be saved
			return "", errors.New("boom")
		}, nil},
		{"refused edit", func(g *settings.Guild) (string, error) { return "", g.Block("sdxl") }, settings.ErrLastAllowed},
		{"invalid value", func(g *settings.Guild) (string, error) {
			g.BlockedEngines = append(g.BlockedEngines, "sdxl") // both allowed and blocked
			return "", nil
		}, settings.ErrInvalid},
		{"negative budget set by hand", func(g *settings.Guild) (string, error) {
			g.DailyCredits = -3
			return "", nil
		}, settings.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := MustOpen(t, tempPath(t), sqlite.WithClock(newClock().Now))
			before, err := db.UpdateGuild(ctx, "g1", "m1", "allow", allow("sdxl"))
			if err != nil {
				t.Fatal(err)
			}

			_, err = db.UpdateGuild(ctx, "g1", "m2", "edit", tt.fn)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}

			after, err := db.Guild(ctx, "g1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("got %+v, want unchanged %+v", after, before)
			}
			changes, err := db.Audit(ctx, "g1", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 1 {
				t.Errorf("got %d audit rows, want 1: %+v", len(changes), changes)
			}
		})
	}
}

func TestUpdateGuildRequiresIDs(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, tempPath(t))
	for _, ids := range [][3]string{{"", "m", "a"}, {"g", "", "a"}, {"g", "m", ""}} {
		if _, err := db.UpdateGuild(context.Background(), ids[0], ids[1], ids[2], allow("sdxl")); err == nil {
			t.Errorf("UpdateGuild(%q, %q, %q) = nil error, want one", ids[0], ids[1], ids[2])
		}
	}
}

// TestUpdateGuildConcurrent has two handles on one file, as two bot processes
// would, each changing the same guild from many goroutines at once. A lost
// update would drop an engine; a failed lock would return an error.
func TestUpdateGuildConcurrent(t *testing.T) {
	t.Parallel()
	const perHandle = 50
	ctx := context.Background()
	path := tempPath(t)
	dbs := []*sqlite.DB{MustOpen(t, path), MustOpen(t, path)}

	var wg sync.WaitGroup
	errs := make(chan error, len(dbs)*perHandle)
	for h, db := range dbs {
		for i := range perHandle {
			wg.Go(func() {
				id := fmt.Sprintf("engine-%d-%02d", h, i)
				if _, err := db.UpdateGuild(ctx, "g1", fmt.Sprintf("m%d", h), "allow", allow(id)); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	g, err := dbs[0].Guild(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(g.AllowedEngines), len(dbs)*perHandle; got != want {
		t.Errorf("got %d allowed engines, want %d", got, want)
	}
	changes, err := dbs[1].Audit(ctx, "g1", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(changes), len(dbs)*perHandle; got != want {
		t.Errorf("got %d audit rows, want %d", got, want)
	}
}
