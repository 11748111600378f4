-- Version 1: one row of settings per server, its engine rules, and the audit log.

CREATE TABLE guild_settings (
	guild_id       TEXT PRIMARY KEY,
	default_engine TEXT NOT NULL DEFAULT '',
	updated_by     TEXT NOT NULL DEFAULT '',
	updated_at     TEXT NOT NULL DEFAULT ''
);

-- One row per engine a server allows or blocks. The primary key makes
-- "allowed and blocked at once" impossible to store.
CREATE TABLE guild_engines (
	guild_id  TEXT NOT NULL REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
	engine_id TEXT NOT NULL,
	rule      TEXT NOT NULL CHECK (rule IN ('allow', 'block')),
	PRIMARY KEY (guild_id, engine_id)
);

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	guild_id  TEXT NOT NULL,
	member_id TEXT NOT NULL,
	action    TEXT NOT NULL,
	detail    TEXT NOT NULL DEFAULT '',
	at        TEXT NOT NULL
);

CREATE INDEX audit_log_guild ON audit_log (guild_id, id);
