-- Version 2: a server's own rate, "a member may make N images every S seconds".
-- 0 and 0 mean the operator default applies.

ALTER TABLE guild_settings ADD COLUMN per_user_images INTEGER NOT NULL DEFAULT 0
	CHECK (per_user_images >= 0);

ALTER TABLE guild_settings ADD COLUMN per_user_every_seconds INTEGER NOT NULL DEFAULT 0
	CHECK (per_user_every_seconds >= 0);
