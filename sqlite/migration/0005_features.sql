-- Version 5: the features a server's moderators turned off (vary, upscale,
-- image, count), comma-separated and sorted; '' when none.

ALTER TABLE guild_settings ADD COLUMN disabled_features TEXT NOT NULL DEFAULT '';
