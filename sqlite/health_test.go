package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"dreambot/sqlite"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		spoil func(db *sqlite.DB) context.Context
		want  string // "" for healthy, else the start of the reason
	}{
		{"open", func(*sqlite.DB) context.Context { return context.Background() }, ""},
		{"closed", func(db *sqlite.DB) context.Context { db.Close(); return context.Background() }, "database unreachable: sql: database is closed"},
		{"out of time", func(*sqlite.DB) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, "database unreachable: context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, err := sqlite.Open(context.Background(), tempPath(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			err = db.Health(tt.spoil(db))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want healthy", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}
