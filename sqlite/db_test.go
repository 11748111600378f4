package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// TestOpenSaysWhenAnotherProcessHoldsTheFile: a second bot on the same
// DATA_DIR is told so, not sent looking at migrations.
func TestOpenSaysWhenAnotherProcessHoldsTheFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "dreambot.db")
	holder, err := sql.Open("sqlite", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	tx, err := holder.Begin() // holds the write lock until the test ends
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TABLE hold (x)`); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("opened a database another process holds")
	}
	var inUse *sqlite.InUseError
	if !errors.As(err, &inUse) || !strings.Contains(err.Error(), "another dreambot") {
		t.Errorf("got %v, want an *InUseError that names the likely cause", err)
	}
}
