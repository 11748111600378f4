package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dreambot/settings"
	"dreambot/sqlite"
)

// knownVersion is the newest migration this code ships.
const knownVersion = 5

// createV1 makes the database that dreambot with schema version 1 left
// behind: the raw v1 SQL, its schema_migrations row, and one configured guild.
func createV1(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	v1, err := os.ReadFile("migration/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	mustExec(t, raw, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	mustExec(t, raw, string(v1))
	mustExec(t, raw, `INSERT INTO schema_migrations VALUES (1, '0001_init', '2024-01-01T00:00:00.000000000Z')`)
	mustExec(t, raw, `INSERT INTO guild_settings VALUES ('g1', 'sdxl', 'm1', '2024-01-02T03:04:05.000000000Z')`)
	mustExec(t, raw, `INSERT INTO guild_engines VALUES ('g1', 'sdxl', 'allow'), ('g1', 'sd15', 'allow'), ('g1', 'esrgan', 'block')`)
	mustExec(t, raw, `INSERT INTO audit_log (guild_id, member_id, action, detail, at) VALUES ('g1', 'm1', 'allow', 'sdxl', '2024-01-02T03:04:05.000000000Z')`)
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenUpgradesV1(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := tempPath(t)
	createV1(t, path)

	db := MustOpen(t, path)
	got, err := db.Guild(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	want := settings.Guild{
		GuildID:        "g1",
		AllowedEngines: []string{"sd15", "sdxl"},
		BlockedEngines: []string{"esrgan"},
		DefaultEngine:  "sdxl",
		UpdatedBy:      "m1",
		UpdatedAt:      time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if changes, err := db.Audit(ctx, "g1", 10); err != nil || len(changes) != 1 || changes[0].Detail != "sdxl" {
		t.Errorf("audit got %+v, %v; want the v1 row", changes, err)
	}

	// The new columns work on the upgraded file.
	saved, err := db.UpdateGuild(ctx, "g1", "m2", "rate", func(g *settings.Guild) (string, error) {
		if err := g.SetDailyCredits(12.5); err != nil {
			return "", err
		}
		return "2/60s", g.SetRate(2, time.Minute)
	})
	if err != nil {
		t.Fatal(err)
	}
	if saved.PerUserImages != 2 || saved.PerUserEvery != time.Minute || saved.DailyCredits != 12.5 ||
		!reflect.DeepEqual(saved.AllowedEngines, want.AllowedEngines) {
		t.Errorf("after rate change got %+v", saved)
	}

	raw := rawDB(t, path)
	if got := queryInt(t, raw, `SELECT MAX(version) FROM schema_migrations`); got != knownVersion {
		t.Errorf("schema version %d, want %d", got, knownVersion)
	}
}

func TestOpenIsIdempotent(t *testing.T) {
	t.Parallel()
	path := tempPath(t)
	MustClose(t, MustOpen(t, path))
	MustClose(t, MustOpen(t, path))

	raw := rawDB(t, path)
	if got := queryInt(t, raw, `SELECT COUNT(*) FROM schema_migrations`); got != knownVersion {
		t.Errorf("got %d migration rows, want %d", got, knownVersion)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	path := tempPath(t)
	MustClose(t, MustOpen(t, path))
	raw := rawDB(t, path)
	mustExec(t, raw, `INSERT INTO schema_migrations VALUES (7, '0007_future', '2030-01-01T00:00:00.000000000Z')`)

	db, err := sqlite.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded, want a *SchemaError")
	}
	var se *sqlite.SchemaError
	if !errors.As(err, &se) || se.Found != 7 || se.Known != knownVersion {
		t.Fatalf("got %v, want *SchemaError{7, %d}", err, knownVersion)
	}
	if want := fmt.Sprintf("database schema version 7 is newer than this dreambot (%d): upgrade dreambot", knownVersion); !strings.Contains(err.Error(), want) {
		t.Errorf("got %q, want it to contain %q", err, want)
	}
}

// TestFailedMigrationKeepsData breaks migration 2 half-way (its second column
// already exists) and checks that the first column it added is rolled back
// and the v1 data is intact, so a fixed dreambot can upgrade the file later.
func TestFailedMigrationKeepsData(t *testing.T) {
	t.Parallel()
	path := tempPath(t)
	createV1(t, path)
	raw := rawDB(t, path)
	mustExec(t, raw, `ALTER TABLE guild_settings ADD COLUMN per_user_every_seconds INTEGER`)

	db, err := sqlite.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded, want migration 2 to fail")
	}
	if !strings.Contains(err.Error(), "0002_per_user_rate") {
		t.Errorf("got %q, want it to name the migration", err)
	}
	if got := queryInt(t, raw, `SELECT MAX(version) FROM schema_migrations`); got != 1 {
		t.Errorf("schema version %d, want 1", got)
	}
	if got := queryInt(t, raw, `SELECT COUNT(*) FROM pragma_table_info('guild_settings') WHERE name = 'per_user_images'`); got != 0 {
		t.Errorf("per_user_images exists after a failed migration")
	}
	if got := queryInt(t, raw, `SELECT COUNT(*) FROM guild_engines WHERE guild_id = 'g1'`); got != 3 {
		t.Errorf("got %d engine rows, want 3", got)
	}
}
