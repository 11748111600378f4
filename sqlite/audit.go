package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dreambot/settings"
)

// Audit returns the last limit changes to the settings of guildID, newest
// first.
func (db *DB) Audit(ctx context.Context, guildID string, limit int) ([]settings.Change, error) {
	if limit <= 0 {
		return nil, errors.New("read audit log: limit must be positive")
	}
	// Ordered by id, not time: insertion order survives a clock set back.
	rows, err := db.db.QueryContext(ctx, `
		SELECT member_id, action, detail, at FROM audit_log
		WHERE guild_id = ? ORDER BY id DESC LIMIT ?`, guildID, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log of guild %s: %w", guildID, err)
	}
	defer rows.Close()

	var changes []settings.Change
	for rows.Next() {
		c := settings.Change{GuildID: guildID}
		var at string
		if err := rows.Scan(&c.MemberID, &c.Action, &c.Detail, &at); err != nil {
			return nil, fmt.Errorf("read audit log of guild %s: %w", guildID, err)
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read audit log of guild %s: at: %w", guildID, err)
		}
		changes = append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log of guild %s: %w", guildID, err)
	}
	return changes, nil
}

func insertChange(ctx context.Context, tx *sql.Tx, c settings.Change) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (guild_id, member_id, action, detail, at) VALUES (?, ?, ?, ?, ?)`,
		c.GuildID, c.MemberID, c.Action, c.Detail, formatTime(c.At))
	return err
}
