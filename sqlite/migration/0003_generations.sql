-- Version 3: generation requests, remembered so that a result's "Again"
-- button can make the image again. request is the caller's own JSON.

CREATE TABLE generations (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	guild_id   TEXT NOT NULL, -- '' in a DM
	member_id  TEXT NOT NULL,
	request    TEXT NOT NULL CHECK (json_valid(request)),
	created_at TEXT NOT NULL
);

CREATE INDEX generations_created_at ON generations (created_at);
