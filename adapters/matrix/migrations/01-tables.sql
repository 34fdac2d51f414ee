-- v0 -> v1: Matrix adapter tables
-- The baseline. Before versioned migrations the adapter created these same
-- tables with CREATE TABLE IF NOT EXISTS on every start, so a database may
-- already hold them (with data) but no peerbot_matrix_version row. IF NOT
-- EXISTS here adopts those tables as they are; it is for this step only.
-- Later migrations (02-….sql, headed "-- v2: …") change tables plainly.

-- The sync token, saved only after a batch was processed (see syncStore).
CREATE TABLE IF NOT EXISTS peerbot_matrix_sync (
	user_id    TEXT PRIMARY KEY,
	next_batch TEXT NOT NULL DEFAULT '',
	filter_id  TEXT NOT NULL DEFAULT ''
);

-- Which reaction on which bot message runs which command, and the bot's
-- own reaction offering it (removed when the actions are).
CREATE TABLE IF NOT EXISTS peerbot_matrix_actions (
	event_id    TEXT NOT NULL,
	emoji       TEXT NOT NULL,
	command     TEXT NOT NULL,
	reaction_id TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, emoji)
);

-- The bot's direct-message room with each member. declined is set when the
-- member left or rejected it.
CREATE TABLE IF NOT EXISTS peerbot_matrix_dm (
	user_id  TEXT PRIMARY KEY,
	room_id  TEXT NOT NULL,
	declined INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS peerbot_matrix_dm_room ON peerbot_matrix_dm (room_id);

-- When the bot joined each room (ms since epoch): older events are ignored.
-- PostgreSQL's INTEGER is 32 bits: BIGINT there (the same on SQLite, but
-- SQLite's declared type stays what the old ad-hoc schema made).
CREATE TABLE IF NOT EXISTS peerbot_matrix_rooms (
	room_id   TEXT PRIMARY KEY,
	-- only: sqlite
	joined_ms INTEGER NOT NULL
	-- only: postgres
	joined_ms BIGINT NOT NULL
);

-- Notes the bot sends only once (missing power, undecryptable message).
CREATE TABLE IF NOT EXISTS peerbot_matrix_once (
	key TEXT PRIMARY KEY
);

-- Which process holds the device (see lock.go).
CREATE TABLE IF NOT EXISTS peerbot_matrix_lock (
	device_id  TEXT PRIMARY KEY,
	owner      TEXT NOT NULL,
	-- only: sqlite
	expires_ms INTEGER NOT NULL
	-- only: postgres
	expires_ms BIGINT NOT NULL
);
