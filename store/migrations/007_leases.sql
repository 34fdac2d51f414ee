-- Several peerbot processes may share one database (PostgreSQL; see
-- leases.go). Each group's timed work is done by the one process holding
-- the group's lease: a process renews its leases while it runs and takes
-- those that ran out, so a process that died hands its groups over when
-- its leases expire. "~"-keys are work for one process that belongs to no
-- group (the retention job).
CREATE TABLE leases (
	group_id   TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX leases_holder ON leases (holder);

-- A round's live status message needs an edit no earlier than status_due
-- (NULL: none pending); status_edited is when it was last edited. Kept in
-- the database when processes share it, so that the group's lease holder
-- edits it whichever process took the check-in.
ALTER TABLE rounds ADD COLUMN status_due INTEGER;
ALTER TABLE rounds ADD COLUMN status_edited INTEGER;
