// Package sqlite stores dreambot's per-server settings in one SQLite file,
// with the pure-Go driver modernc.org/sqlite. It knows nothing of Discord or
// of the image API.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeout is how long a write waits for another writer, such as a second
// moderator's change, before it fails. Writes take milliseconds.
const busyTimeout = 5 * time.Second

// maxOpenConns bounds the pool: SQLite has one writer at a time anyway, and
// each connection holds its own page cache. One of them is the settings
// cache's, held for good.
const maxOpenConns = 5

// DB is the settings database. It is safe for concurrent use, including by
// several processes sharing the file.
type DB struct {
	db  *sql.DB
	now func() time.Time

	// writing holds a token while this process writes. Writers of one
	// process queue here, cancellably, rather than polling
	// SQLite's busy handler; busy_timeout is left for other processes.
	writing chan struct{}

	guilds guildCache
}

// Option configures a DB in Open.
type Option func(*DB)

// WithClock makes the DB read the time from now instead of time.Now, so that
// tests can fix the times recorded.
func WithClock(now func() time.Time) Option {
	return func(db *DB) { db.now = now }
}

// Open opens the database file at path, creating it and its directory if
// missing, and brings its schema up to date. It refuses, with a
// *SchemaError, a database written by a newer dreambot.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	if path == "" {
		return nil, errors.New("open settings database: path required")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open settings database %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("open settings database: %w", err)
	}
	sqldb, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("open settings database %s: %w", abs, err)
	}
	sqldb.SetMaxOpenConns(maxOpenConns)
	db := &DB{db: sqldb, now: time.Now, writing: make(chan struct{}, 1)}
	for _, opt := range opts {
		opt(db)
	}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		if InUse(err) {
			return nil, fmt.Errorf("open settings database: %w", &InUseError{Path: abs, Err: err})
		}
		return nil, fmt.Errorf("open settings database %s: %w", abs, err)
	}
	return db, nil
}

// Close closes the database. Pending WAL content is checkpointed into the
// main file when the last connection closes.
func (db *DB) Close() error {
	db.guilds.close()
	return db.db.Close()
}

// beginWrite starts a write transaction once this process's other writers
// are done. The returned end must be called after Commit or Rollback.
func (db *DB) beginWrite(ctx context.Context) (tx *sql.Tx, end func(), err error) {
	select {
	case db.writing <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	end = func() { <-db.writing }
	tx, err = db.db.BeginTx(ctx, nil) // IMMEDIATE: see dsn
	if err != nil {
		end()
		return nil, nil, err
	}
	return tx, end, nil
}

// dsn builds a file: URI for the driver, so that any path is escaped. Every
// transaction begins IMMEDIATE: it takes the write lock up front, so that a
// read-modify-write never fails half-way on an upgrade to a write lock and
// two writers queue on busy_timeout instead.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}
