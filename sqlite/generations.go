package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// GenerationRetention is how long a remembered request is kept.
const GenerationRetention = 30 * 24 * time.Hour

// RememberGeneration stores request (JSON) and returns its id. Requests
// older than GenerationRetention are dropped on the way, so the table
// stays small without a janitor.
func (db *DB) RememberGeneration(ctx context.Context, guildID, memberID string, request []byte) (int64, error) {
	tx, end, err := db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("remember generation: %w", err)
	}
	defer end()
	defer tx.Rollback() // a no-op after Commit

	now := db.now()
	if _, err := tx.ExecContext(ctx, `DELETE FROM generations WHERE created_at < ?`,
		formatTime(now.Add(-GenerationRetention))); err != nil {
		return 0, fmt.Errorf("remember generation: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO generations (guild_id, member_id, request, created_at) VALUES (?, ?, ?, ?)`,
		guildID, memberID, string(request), formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("remember generation: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("remember generation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("remember generation: %w", err)
	}
	return id, nil
}

// Generation returns the server and the request remembered as id; request
// is nil when there is none (never stored, or past retention).
func (db *DB) Generation(ctx context.Context, id int64) (guildID string, request []byte, err error) {
	var text string
	err = db.db.QueryRowContext(ctx, `SELECT guild_id, request FROM generations WHERE id = ?`, id).Scan(&guildID, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("read generation %d: %w", id, err)
	}
	return guildID, []byte(text), nil
}
