-- The whole meeting (issue 15).

-- kind: '' for a check-in round, 'closing' for a closing round (words
-- only, no colours).
ALTER TABLE rounds ADD COLUMN kind TEXT NOT NULL DEFAULT '';

-- A paused schedule opens nothing until it is resumed.
ALTER TABLE schedules ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;

-- One row per skipped occurrence: the day (YYYY-MM-DD, in the group's
-- time zone) on which the schedule opens nothing.
CREATE TABLE schedule_skips (
	schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
	day         TEXT NOT NULL,
	PRIMARY KEY (schedule_id, day)
) STRICT;

-- A member's lead time in minutes for a note before a scheduled round
-- opens (0: only the note when it opens).
ALTER TABLE reminders ADD COLUMN lead_minutes INTEGER NOT NULL DEFAULT 0;

-- One row per early note sent: the claim that keeps it from going twice.
CREATE TABLE reminder_runs (
	schedule_id   INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
	occurrence_at INTEGER NOT NULL,
	lead_minutes  INTEGER NOT NULL,
	PRIMARY KEY (schedule_id, occurrence_at, lead_minutes)
) STRICT;
