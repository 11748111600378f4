package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"modernc.org/sqlite"
)

// busyTimeout is how long Open waits for another process to let go of the
// file, as a previous run still shutting down would, before it fails. This
// process never waits on itself: it has a single connection (see openDB).
const busyTimeout = 5 * time.Second

// openDB opens the SQLite file at path, creating it and its directory.
//
// The pool has one connection, as River's riversqlite package recommends
// ("set the maximum pool size to one connection like
// dbPool.SetMaxOpenConns(1)"): River runs many statements concurrently and
// SQLite, one writer at a time, answers a second connection's write with
// SQLITE_BUSY; River's own test suite found busy_timeout does not remove
// those errors, and a single connection does. Statements of this process
// queue for the connection instead. So nothing here may hold the connection
// while waiting for another statement: no open rows across a second query.
// The connection keeps its statements prepared (see cachingConnector).
func openDB(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, err
	}
	conn, err := sqlite.NewConnector(dsn(abs))
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(cachingConnector{Connector: conn})
	db.SetMaxOpenConns(1)
	return db, nil
}

// dsn builds a file: URI for the driver, so that any path is escaped.
//
// Locking mode EXCLUSIVE makes the connection keep its lock on the file once
// it has written, which Open does: no other process can use the file while
// this one has it open, which rescue relies on. WAL, as River's tests use it,
// makes commits appends to the log. synchronous(FULL) syncs the log at each
// commit, so a job whose id Enqueue returned survives a power cut, not only a
// crash of the process; Enqueue writes concurrent calls in one commit.
// Transactions begin IMMEDIATE: they take the write lock up front, so a
// read-then-write never fails half-way on upgrading its lock. Foreign keys
// are on for River's tables that use them.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// migrate brings River's tables up to date, then this package's own.
func migrate(ctx context.Context, db *sql.DB, riverLog *slog.Logger) error {
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: riverLog})
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	for _, stmt := range progressSchema() {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("progress table: %w", err)
		}
	}
	return nil
}

// progressSchema returns the statements that create the progress table.
// Each is idempotent, so they all run at each Open.
//
// A progress row lives as long as its job's row: River's cleaner deletes
// finished jobs after their retention period, and the trigger deletes their
// progress with them. It is a trigger rather than a foreign key because
// River's migrations rebuild river_job by renaming it away (migration 008):
// SQLite would point a foreign key at the renamed table and cascade its drop
// into our rows, where a trigger goes with the old table and is created again
// on the new one by the next Open. The last statement sweeps rows whose job
// went while the trigger was missing.
func progressSchema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS job_progress (
			job_id     INTEGER PRIMARY KEY,
			progress   TEXT NOT NULL,
			updated_at TEXT NOT NULL
		)`,
		`CREATE TRIGGER IF NOT EXISTS job_progress_follows_job AFTER DELETE ON river_job
		BEGIN
			DELETE FROM job_progress WHERE job_id = OLD.id;
		END`,
		`DELETE FROM job_progress WHERE job_id NOT IN (SELECT id FROM river_job)`,
	}
}
