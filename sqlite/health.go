package sqlite

import (
	"context"
	"fmt"
)

// Health reports, in one line for an operator's health check, whether the database can be read:
// it reads the schema's version from the file, which a mere ping of the pool would not.
func (db *DB) Health(ctx context.Context) error {
	var version int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	return nil
}
