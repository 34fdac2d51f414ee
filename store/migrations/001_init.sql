-- peerbot's first schema. Times are UTC unix milliseconds; NULL means "none".
-- Opaque platform ids (group, channel, member, message) are TEXT.
-- Memberships, acceptances and rounds do not reference groups or members:
-- the core may record them before it saves the group or member, and
-- ForgetMember removes every row that names a member.

CREATE TABLE groups (
	id                   TEXT PRIMARY KEY,
	name                 TEXT NOT NULL DEFAULT '',
	default_country      TEXT NOT NULL DEFAULT '',
	facilitators_channel TEXT NOT NULL DEFAULT '',
	last_facilitator     TEXT NOT NULL DEFAULT '',
	timezone             TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE members (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL DEFAULT '',
	country         TEXT NOT NULL DEFAULT '',
	last_support_at INTEGER,
	dm_group        TEXT NOT NULL DEFAULT '',
	forget_asked_at INTEGER
) STRICT;

CREATE TABLE memberships (
	group_id  TEXT NOT NULL,
	member_id TEXT NOT NULL,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (group_id, member_id)
) STRICT;
CREATE INDEX memberships_member ON memberships (member_id);

CREATE TABLE agreements (
	group_id   TEXT NOT NULL,
	version    INTEGER NOT NULL CHECK (version > 0),
	text       TEXT NOT NULL,
	set_by     TEXT NOT NULL DEFAULT '',
	set_name   TEXT NOT NULL DEFAULT '',
	set_at     INTEGER,
	is_default INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (group_id, version)
) STRICT;
CREATE INDEX agreements_set_by ON agreements (set_by) WHERE set_by <> '';

-- Version 0 (the built-in agreement) is never stored, so acceptances do not
-- reference agreements.
CREATE TABLE acceptances (
	group_id    TEXT NOT NULL,
	member_id   TEXT NOT NULL,
	version     INTEGER NOT NULL,
	accepted_at INTEGER,
	PRIMARY KEY (group_id, version, member_id)
) STRICT;
CREATE INDEX acceptances_member ON acceptances (member_id);

-- AUTOINCREMENT: a round id is never reused, even after old rounds are
-- deleted, so message references keyed by round id cannot point at the
-- wrong round.
CREATE TABLE rounds (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id   TEXT NOT NULL,
	channel_id TEXT NOT NULL,
	prompt     TEXT NOT NULL DEFAULT '',
	opened_by  TEXT NOT NULL DEFAULT '',
	opened_at  INTEGER,
	closes_at  INTEGER,
	closed_at  INTEGER
) STRICT;
-- At most one open round per channel (CreateRound → ErrAlreadyExists).
CREATE UNIQUE INDEX rounds_open_channel ON rounds (channel_id) WHERE closed_at IS NULL;
CREATE INDEX rounds_channel ON rounds (channel_id, id);
CREATE INDEX rounds_open_group ON rounds (group_id) WHERE closed_at IS NULL;
-- DueRounds; also for a retention job finding old rounds.
CREATE INDEX rounds_closes_at ON rounds (closes_at);

-- One row per member per round, replaced by a new check-in. id keeps the
-- order of first check-in (an INTEGER PRIMARY KEY survives VACUUM).
-- words is sensitive and kept in its own column, NULL when empty, so a later
-- migration can encrypt it and a retention job can NULL it by age.
CREATE TABLE check_ins (
	id          INTEGER PRIMARY KEY,
	round_id    INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	member_id   TEXT NOT NULL,
	member_name TEXT NOT NULL DEFAULT '',
	colour      TEXT NOT NULL DEFAULT '',
	words       TEXT,
	private     INTEGER NOT NULL DEFAULT 0,
	passed      INTEGER NOT NULL DEFAULT 0,
	at          INTEGER,
	UNIQUE (round_id, member_id)
) STRICT;
CREATE INDEX check_ins_member ON check_ins (member_id);

CREATE TABLE message_refs (
	key TEXT PRIMARY KEY,
	ref TEXT NOT NULL
) STRICT;

-- Platform event ids already handled, so a redelivered event is ignored.
CREATE TABLE handled_events (
	event_id   TEXT PRIMARY KEY,
	handled_at INTEGER NOT NULL
) STRICT;
CREATE INDEX handled_events_at ON handled_events (handled_at);
