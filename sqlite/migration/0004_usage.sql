-- Version 4: what every image cost, and a server's daily credit budget.

-- One row per image paid for. key names the paid request (the interaction
-- and the attempt of its job), so that a record replayed after a crash is
-- counted once; '' (an image made from the shell) always adds a row.
CREATE TABLE usage (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	key        TEXT NOT NULL DEFAULT '',
	guild_id   TEXT NOT NULL, -- 'dm:<member>' in a DM, '' from the shell
	member_id  TEXT NOT NULL,
	engine     TEXT NOT NULL,
	credits    REAL NOT NULL CHECK (credits >= 0),
	estimated  INTEGER NOT NULL CHECK (estimated IN (0, 1)), -- 1: a price from the price list, not the API
	created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX usage_key ON usage (key) WHERE key != '';

CREATE INDEX usage_guild_created_at ON usage (guild_id, created_at);

-- 0 means the operator's default budget applies.
ALTER TABLE guild_settings ADD COLUMN daily_credits REAL NOT NULL DEFAULT 0
	CHECK (daily_credits >= 0);
