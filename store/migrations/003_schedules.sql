-- Weekly scheduled rounds, the occurrences already dealt with, and members'
-- opt-in round reminders.

-- days: the weekdays as digits, Sunday = 0 ("2,4" = Tuesday and Thursday).
CREATE TABLE schedules (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id   TEXT NOT NULL,
	channel_id TEXT NOT NULL,
	days       TEXT NOT NULL,
	hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
	minute     INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
	minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
	prompt     TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL DEFAULT '',
	created_at INTEGER
) STRICT;
CREATE INDEX schedules_group ON schedules (group_id);

-- One row per occurrence dealt with: the primary key is the claim that
-- keeps an occurrence from opening twice (restarts, racing processes).
CREATE TABLE schedule_runs (
	schedule_id   INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
	occurrence_at INTEGER NOT NULL,
	PRIMARY KEY (schedule_id, occurrence_at)
) STRICT;

CREATE TABLE reminders (
	group_id  TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (group_id, member_id)
) STRICT;
CREATE INDEX reminders_member ON reminders (member_id);
