package sqlite

import (
	"context"
	"fmt"
	"time"

	"dreambot/usage"
)

// RecordUsage stores what one image cost. A record with the Key of one
// already stored is ignored, so a record replayed after a crash counts once.
// A zero At is read as now.
func (db *DB) RecordUsage(ctx context.Context, r usage.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.At.IsZero() {
		r.At = db.now()
	}
	tx, end, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("record usage %q: %w", r.Key, err)
	}
	defer end()
	defer tx.Rollback() // a no-op after Commit

	// DO NOTHING without a target: the only unique constraint it can meet
	// is the partial index on job_id.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO usage (key, guild_id, member_id, engine, credits, estimated, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		r.Key, r.Guild, r.Member, r.Engine, r.Credits, r.Estimated, formatTime(r.At)); err != nil {
		return fmt.Errorf("record usage %q: %w", r.Key, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record usage %q: commit: %w", r.Key, err)
	}
	return nil
}

// Spent returns what guildID ("" for DMs and the shell) spent from since on.
func (db *DB) Spent(ctx context.Context, guildID string, since time.Time) (usage.Totals, error) {
	var t usage.Totals
	err := db.db.QueryRowContext(ctx, `
		SELECT COUNT(*), COALESCE(SUM(credits), 0), COALESCE(MAX(estimated), 0)
		FROM usage WHERE guild_id = ? AND created_at >= ?`,
		guildID, formatTime(since)).Scan(&t.Images, &t.Credits, &t.Estimated)
	if err != nil {
		return usage.Totals{}, fmt.Errorf("read spending of guild %s: %w", guildID, err)
	}
	return t, nil
}

// SpentByGuild returns what each server spent from since on, for the
// servers that spent anything.
func (db *DB) SpentByGuild(ctx context.Context, since time.Time) (map[string]usage.Totals, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT guild_id, COUNT(*), SUM(credits), MAX(estimated)
		FROM usage WHERE created_at >= ? GROUP BY guild_id`,
		formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("read spending: %w", err)
	}
	defer rows.Close()
	out := map[string]usage.Totals{}
	for rows.Next() {
		var guild string
		var t usage.Totals
		if err := rows.Scan(&guild, &t.Images, &t.Credits, &t.Estimated); err != nil {
			return nil, fmt.Errorf("read spending: %w", err)
		}
		out[guild] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read spending: %w", err)
	}
	return out, nil
}
