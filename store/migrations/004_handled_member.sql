-- Handled event ids remember whose event they were, so that !forgetme
-- deletes exactly that member's ids (it used to match ids that merely
-- contained the member's id as text). Rows from before this migration have
-- no member; they are pruned with the rest after a week.
ALTER TABLE handled_events ADD COLUMN member_id TEXT NOT NULL DEFAULT '';
CREATE INDEX handled_events_member ON handled_events (member_id) WHERE member_id != '';
