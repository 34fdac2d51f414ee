-- A check-in sent privately (a direct message, a Discord slash command)
-- shows no colour in the group unless the member asked for it to be shown.
ALTER TABLE check_ins ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
