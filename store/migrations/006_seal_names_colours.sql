-- Check-in colours and flags, and every display name, are encrypted at rest
-- like check-in words (see crypt.go and sealed.go). Each table that held
-- them gets one BLOB column "sealed": a sealed value bound to the row, NULL
-- only until Open has sealed the row (see below), and in agreements also
-- once the member who set it was forgotten:
--
--   check_ins.sealed   the colour, private, hidden, passed, member_name
--   members.sealed     name, country, last_support_at
--   groups.sealed      name
--   agreements.sealed  set_name
--   round_aggregates.sealed  the anonymous counts of a purged round
--
-- and the plain-text columns are dropped (DROP COLUMN rewrites every row, and
-- secure_delete overwrites the old content). SQL cannot encrypt: the plain
-- values move to legacy_plain_* tables, which Open seals into the new
-- columns and then drops, in one transaction.

CREATE TABLE legacy_plain_check_ins (
	check_in_id INTEGER PRIMARY KEY,
	member_name TEXT NOT NULL,
	colour      TEXT NOT NULL,
	private     INTEGER NOT NULL,
	hidden      INTEGER NOT NULL,
	passed      INTEGER NOT NULL
) STRICT;
INSERT INTO legacy_plain_check_ins (check_in_id, member_name, colour, private, hidden, passed)
	SELECT id, member_name, colour, private, hidden, passed FROM check_ins;
ALTER TABLE check_ins ADD COLUMN sealed BLOB;
ALTER TABLE check_ins DROP COLUMN member_name;
ALTER TABLE check_ins DROP COLUMN colour;
ALTER TABLE check_ins DROP COLUMN private;
ALTER TABLE check_ins DROP COLUMN hidden;
ALTER TABLE check_ins DROP COLUMN passed;

CREATE TABLE legacy_plain_members (
	member_id       TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	country         TEXT NOT NULL,
	last_support_at INTEGER
) STRICT;
INSERT INTO legacy_plain_members (member_id, name, country, last_support_at)
	SELECT id, name, country, last_support_at FROM members;
ALTER TABLE members ADD COLUMN sealed BLOB;
ALTER TABLE members DROP COLUMN name;
ALTER TABLE members DROP COLUMN country;
ALTER TABLE members DROP COLUMN last_support_at;

CREATE TABLE legacy_plain_groups (
	group_id TEXT PRIMARY KEY,
	name     TEXT NOT NULL
) STRICT;
INSERT INTO legacy_plain_groups (group_id, name) SELECT id, name FROM groups;
ALTER TABLE groups ADD COLUMN sealed BLOB;
ALTER TABLE groups DROP COLUMN name;

CREATE TABLE legacy_plain_agreements (
	group_id TEXT NOT NULL,
	version  INTEGER NOT NULL,
	set_name TEXT NOT NULL,
	PRIMARY KEY (group_id, version)
) STRICT;
INSERT INTO legacy_plain_agreements (group_id, version, set_name)
	SELECT group_id, version, set_name FROM agreements;
ALTER TABLE agreements ADD COLUMN sealed BLOB;
ALTER TABLE agreements DROP COLUMN set_name;

CREATE TABLE legacy_plain_round_aggregates (
	round_id  INTEGER PRIMARY KEY,
	green     INTEGER NOT NULL,
	amber     INTEGER NOT NULL,
	red       INTEGER NOT NULL,
	no_colour INTEGER NOT NULL,
	passed    INTEGER NOT NULL
) STRICT;
INSERT INTO legacy_plain_round_aggregates (round_id, green, amber, red, no_colour, passed)
	SELECT round_id, green, amber, red, no_colour, passed FROM round_aggregates;
ALTER TABLE round_aggregates ADD COLUMN sealed BLOB;
ALTER TABLE round_aggregates DROP COLUMN green;
ALTER TABLE round_aggregates DROP COLUMN amber;
ALTER TABLE round_aggregates DROP COLUMN red;
ALTER TABLE round_aggregates DROP COLUMN no_colour;
ALTER TABLE round_aggregates DROP COLUMN passed;
