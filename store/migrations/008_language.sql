-- A group's language (set by its facilitators) and a member's own choice
-- for private answers; '' means the configured default or none chosen.
ALTER TABLE groups ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN language TEXT NOT NULL DEFAULT '';
