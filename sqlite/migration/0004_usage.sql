-- Version 4: what every image cost, and a server's daily credit budget.

-- One row per image. job_id is the queued job that made it, so that a job
-- replayed after a crash is counted once; 0 (an image made from the shell)
-- always adds a row.
CREATE TABLE usage (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	job_id     INTEGER NOT NULL DEFAULT 0 CHECK (job_id >= 0),
	guild_id   TEXT NOT NULL, -- '' in a DM and from the shell
	member_id  TEXT NOT NULL,
	engine     TEXT NOT NULL,
	credits    REAL NOT NULL CHECK (credits >= 0),
	estimated  INTEGER NOT NULL CHECK (estimated IN (0, 1)), -- 1: a price from the price list, not the API
	created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX usage_job_id ON usage (job_id) WHERE job_id > 0;

CREATE INDEX usage_guild_created_at ON usage (guild_id, created_at);

-- 0 means the operator's default budget applies.
ALTER TABLE guild_settings ADD COLUMN daily_credits REAL NOT NULL DEFAULT 0
	CHECK (daily_credits >= 0);
