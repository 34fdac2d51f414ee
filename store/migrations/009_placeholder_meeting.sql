-- Placeholder for 009_meeting.sql (issue 15, the other half of the meeting
-- work), so that 010 follows without a gap while the two are built apart.
-- Remove this file when 009_meeting.sql is merged.
CREATE TABLE IF NOT EXISTS peerbot_placeholder_009 (x INTEGER) STRICT;
DROP TABLE peerbot_placeholder_009;
