package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"dreambot/sqlite"
)

func TestOpenCreatesFileInWALMode(t *testing.T) {
	t.Parallel()
	path := tempPath(t)
	MustOpen(t, path)
	var mode string
	if err := rawDB(t, path).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode %q, want wal", mode)
	}
}

func TestOpenEscapesPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "new dir")
	path := filepath.Join(dir, "a?b#c%20.db") // characters a file: URI must escape
	db := MustOpen(t, path)
	if _, err := db.UpdateGuild(ctx, "g1", "m1", "allow", allow("sdxl")); err != nil {
		t.Fatal(err)
	}
	MustClose(t, db)

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(path) && e.Name() != filepath.Base(path)+"-wal" && e.Name() != filepath.Base(path)+"-shm" {
			t.Errorf("unexpected file %q beside the database", e.Name())
		}
	}
	if g, err := MustOpen(t, path).Guild(ctx, "g1"); err != nil || len(g.AllowedEngines) != 1 {
		t.Errorf("after reopen got %+v, %v; want sdxl allowed", g, err)
	}
}

func TestOpenRequiresPath(t *testing.T) {
	t.Parallel()
	if db, err := sqlite.Open(context.Background(), ""); err == nil {
		db.Close()
		t.Error("Open(\"\") succeeded, want an error")
	}
}

func TestUpdateGuildHonoursContext(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, tempPath(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.UpdateGuild(ctx, "g1", "m1", "allow", allow("sdxl")); err == nil {
		t.Error("UpdateGuild with a cancelled context succeeded, want an error")
	}
	if g, err := db.Guild(context.Background(), "g1"); err != nil || len(g.AllowedEngines) != 0 {
		t.Errorf("got %+v, %v; want nothing stored", g, err)
	}
}
