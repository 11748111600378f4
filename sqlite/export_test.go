package sqlite

// GuildLoads is how many times the settings cache read a server's settings from the tables.
func (db *DB) GuildLoads() int {
	db.guilds.mu.Lock()
	defer db.guilds.mu.Unlock()
	return db.guilds.loads
}
