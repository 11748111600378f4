package settings_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"dreambot/settings"
)

func TestGuildEdits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		start   settings.Guild
		edit    func(*settings.Guild) error
		want    settings.Guild
		wantErr error
	}{
		{
			name:  "allow creates a sorted allow list",
			start: settings.Guild{AllowedEngines: []string{"c"}},
			edit:  func(g *settings.Guild) error { return g.Allow("a") },
			want:  settings.Guild{AllowedEngines: []string{"a", "c"}},
		},
		{
			name:  "allow twice keeps one",
			start: settings.Guild{AllowedEngines: []string{"a"}},
			edit:  func(g *settings.Guild) error { return g.Allow("a") },
			want:  settings.Guild{AllowedEngines: []string{"a"}},
		},
		{
			name:  "allow unblocks",
			start: settings.Guild{BlockedEngines: []string{"a", "b"}},
			edit:  func(g *settings.Guild) error { return g.Allow("a") },
			want:  settings.Guild{AllowedEngines: []string{"a"}, BlockedEngines: []string{"b"}},
		},
		{
			name:  "first allow clears a default outside it",
			start: settings.Guild{DefaultEngine: "b"},
			edit:  func(g *settings.Guild) error { return g.Allow("a") },
			want:  settings.Guild{AllowedEngines: []string{"a"}},
		},
		{
			name:  "allow keeps a default inside it",
			start: settings.Guild{AllowedEngines: []string{"b"}, DefaultEngine: "b"},
			edit:  func(g *settings.Guild) error { return g.Allow("a") },
			want:  settings.Guild{AllowedEngines: []string{"a", "b"}, DefaultEngine: "b"},
		},
		{
			name:  "block removes from allow list",
			start: settings.Guild{AllowedEngines: []string{"a", "b"}},
			edit:  func(g *settings.Guild) error { return g.Block("a") },
			want:  settings.Guild{AllowedEngines: []string{"b"}, BlockedEngines: []string{"a"}},
		},
		{
			name:    "block the last allowed refused",
			start:   settings.Guild{AllowedEngines: []string{"a"}, DefaultEngine: "a"},
			edit:    func(g *settings.Guild) error { return g.Block("a") },
			want:    settings.Guild{AllowedEngines: []string{"a"}, DefaultEngine: "a"},
			wantErr: settings.ErrLastAllowed,
		},
		{
			name:  "block with no allow list",
			start: settings.Guild{BlockedEngines: []string{"z"}},
			edit:  func(g *settings.Guild) error { return g.Block("a") },
			want:  settings.Guild{BlockedEngines: []string{"a", "z"}},
		},
		{
			name:  "block the default clears it",
			start: settings.Guild{DefaultEngine: "a"},
			edit:  func(g *settings.Guild) error { return g.Block("a") },
			want:  settings.Guild{BlockedEngines: []string{"a"}},
		},
		{
			name:    "block a bad id",
			start:   settings.Guild{},
			edit:    func(g *settings.Guild) error { return g.Block("") },
			want:    settings.Guild{},
			wantErr: settings.ErrInvalid,
		},
		{
			name: "reset keeps the rate",
			start: settings.Guild{
				AllowedEngines: []string{"a"}, BlockedEngines: []string{"b"}, DefaultEngine: "a",
				PerUserImages: 2, PerUserEvery: time.Minute,
			},
			edit: func(g *settings.Guild) error { g.ResetEngines(); return nil },
			want: settings.Guild{PerUserImages: 2, PerUserEvery: time.Minute},
		},
		{
			name:  "default allowed by operator",
			start: settings.Guild{},
			edit:  func(g *settings.Guild) error { return g.SetDefault("a", []string{"a"}) },
			want:  settings.Guild{DefaultEngine: "a"},
		},
		{
			name:    "default outside operator list",
			start:   settings.Guild{},
			edit:    func(g *settings.Guild) error { return g.SetDefault("b", []string{"a"}) },
			want:    settings.Guild{},
			wantErr: settings.ErrNotAllowed,
		},
		{
			name:    "default blocked",
			start:   settings.Guild{BlockedEngines: []string{"a"}},
			edit:    func(g *settings.Guild) error { return g.SetDefault("a", nil) },
			want:    settings.Guild{BlockedEngines: []string{"a"}},
			wantErr: settings.ErrNotAllowed,
		},
		{
			name:  "clear default",
			start: settings.Guild{DefaultEngine: "a"},
			edit:  func(g *settings.Guild) error { return g.SetDefault("", nil) },
			want:  settings.Guild{},
		},
		{
			name:  "set rate",
			start: settings.Guild{},
			edit:  func(g *settings.Guild) error { return g.SetRate(3, 90*time.Second) },
			want:  settings.Guild{PerUserImages: 3, PerUserEvery: 90 * time.Second},
		},
		{
			name:  "set daily budget",
			start: settings.Guild{PerUserImages: 3, PerUserEvery: time.Minute},
			edit:  func(g *settings.Guild) error { return g.SetDailyCredits(0.5) },
			want:  settings.Guild{PerUserImages: 3, PerUserEvery: time.Minute, DailyCredits: 0.5},
		},
		{
			name:  "largest daily budget",
			start: settings.Guild{},
			edit:  func(g *settings.Guild) error { return g.SetDailyCredits(settings.MaxDailyCredits) },
			want:  settings.Guild{DailyCredits: settings.MaxDailyCredits},
		},
		{
			name:  "daily budget back to operator default",
			start: settings.Guild{DailyCredits: 20, PerUserImages: 3, PerUserEvery: time.Minute},
			edit:  func(g *settings.Guild) error { g.ResetDailyCredits(); return nil },
			want:  settings.Guild{PerUserImages: 3, PerUserEvery: time.Minute},
		},
		{
			name:  "engine reset keeps the daily budget",
			start: settings.Guild{AllowedEngines: []string{"a"}, DailyCredits: 20},
			edit:  func(g *settings.Guild) error { g.ResetEngines(); return nil },
			want:  settings.Guild{DailyCredits: 20},
		},
		{
			name:  "rate back to operator default",
			start: settings.Guild{PerUserImages: 3, PerUserEvery: time.Minute},
			edit:  func(g *settings.Guild) error { return g.SetRate(0, 0) },
			want:  settings.Guild{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := tt.start
			err := tt.edit(&g)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(g, tt.want) {
				t.Errorf("got %+v, want %+v", g, tt.want)
			}
			if err := g.Validate(); err != nil {
				t.Errorf("result does not validate: %v", err)
			}
		})
	}
}

func TestGuildSetRateInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		images int
		every  time.Duration
	}{
		{0, time.Minute},
		{1, 0},
		{-1, time.Minute},
		{settings.MaxPerUserImages + 1, time.Minute},
		{1, settings.MinPerUserEvery - 1},
		{1, settings.MaxPerUserEvery + time.Second},
		{1, 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		g := settings.Guild{PerUserImages: 2, PerUserEvery: time.Hour}
		err := g.SetRate(tt.images, tt.every)
		if !errors.Is(err, settings.ErrInvalid) {
			t.Errorf("SetRate(%d, %v) = %v, want ErrInvalid", tt.images, tt.every, err)
		}
		if g.PerUserImages != 2 || g.PerUserEvery != time.Hour {
			t.Errorf("SetRate(%d, %v) changed the rate to %d/%v", tt.images, tt.every, g.PerUserImages, g.PerUserEvery)
		}
	}
}

func TestGuildSetDailyCreditsInvalid(t *testing.T) {
	t.Parallel()
	for _, v := range []float64{0, -5, settings.MaxDailyCredits + 0.01, math.Inf(1), math.Inf(-1), math.NaN()} {
		g := settings.Guild{DailyCredits: 20}
		err := g.SetDailyCredits(v)
		var se *settings.Error
		if !errors.As(err, &se) || !errors.Is(err, settings.ErrInvalid) || !strings.Contains(se.Message, "daily budget") {
			t.Errorf("SetDailyCredits(%v) = %v, want ErrInvalid about the daily budget", v, err)
		}
		if g.DailyCredits != 20 {
			t.Errorf("SetDailyCredits(%v) changed the budget to %v", v, g.DailyCredits)
		}
	}
}

func TestErrorMessageIsUserSafe(t *testing.T) {
	t.Parallel()
	g := settings.Guild{AllowedEngines: []string{"sdxl"}}
	err := g.Block("sdxl")
	var se *settings.Error
	if !errors.As(err, &se) {
		t.Fatalf("got %T, want *settings.Error", err)
	}
	if se.Code != settings.ErrLastAllowed.Code || !strings.Contains(se.Message, "sdxl") {
		t.Errorf("got code %q message %q, want code %q naming the engine", se.Code, se.Message, settings.ErrLastAllowed.Code)
	}
	if errors.Is(err, settings.ErrInvalid) {
		t.Errorf("errors.Is(%v, ErrInvalid) = true, want false", err)
	}
}
