package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"dreambot/settings"
)

// guildCache keeps the settings of each guild read since the database last
// changed. Every read first asks SQLite for PRAGMA data_version on a
// connection of its own: the number changes whenever any other connection,
// of this process or of another sharing the file, commits a change. A
// change made through UpdateGuild (another connection of the pool) is so
// seen by the next read, as is one made by another process, at the cost of
// one statement that reads no table. Any commit (usage, audit) empties the
// cache; settings are read far more often than anything is written.
type guildCache struct {
	// mu guards conn, whose data_version is only comparable with itself,
	// and the cache it validates.
	mu      sync.Mutex
	conn    *sql.Conn // nil until first used, or after it failed
	version int64
	guilds  map[string]settings.Guild
	loads   int // settings read from the tables, for tests
}

// get returns the settings of guildID, loading them from db when the cache
// holds none that are current.
func (c *guildCache) get(ctx context.Context, db *sql.DB, guildID string) (settings.Guild, error) {
	c.mu.Lock()
	v, err := c.dataVersion(ctx, db)
	if err != nil {
		c.mu.Unlock()
		return loadGuild(ctx, db, guildID)
	}
	if v != c.version || c.guilds == nil {
		c.version, c.guilds = v, map[string]settings.Guild{}
	}
	g, ok := c.guilds[guildID]
	c.mu.Unlock()
	if ok {
		return clone(g), nil
	}
	// Loaded after the version was read: a change committed in between
	// moves the version on, so what is stored under v is read again.
	if g, err = loadGuild(ctx, db, guildID); err != nil {
		return settings.Guild{}, err
	}
	c.mu.Lock()
	c.loads++
	if c.version == v {
		c.guilds[guildID] = clone(g)
	}
	c.mu.Unlock()
	return g, nil
}

// dataVersion reads PRAGMA data_version on c's connection, opening it if
// needed; a connection that failed is dropped, for the next read to replace.
func (c *guildCache) dataVersion(ctx context.Context, db *sql.DB) (int64, error) {
	if c.conn == nil {
		conn, err := db.Conn(ctx)
		if err != nil {
			return 0, err
		}
		c.conn = conn
	}
	var v int64
	if err := c.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		c.conn.Close()
		c.conn, c.guilds = nil, nil
		return 0, err
	}
	return v, nil
}

// close releases the connection.
func (c *guildCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// clone returns g with slices of its own, so that no caller changes the cache.
func clone(g settings.Guild) settings.Guild {
	g.AllowedEngines = slices.Clone(g.AllowedEngines)
	g.BlockedEngines = slices.Clone(g.BlockedEngines)
	g.DisabledFeatures = slices.Clone(g.DisabledFeatures)
	return g
}
